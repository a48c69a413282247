import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaDeskError } from '../../errors.ts';

export class ApiPortUnavailableError extends LambdaDeskError {
  readonly awsName = 'ServiceException';
  readonly status = 500;
}

/**
 * The API Gateway emulation's listening socket (127.0.0.1:3000 unless `--api-port` says
 * otherwise). Requests are handed to one function; the socket knows nothing about routes.
 */
export class GatewayServer {
  private server?: Server;
  private boundPort?: number;

  constructor(private readonly options: { host: string; port: number; handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> }) {}

  get listening(): boolean {
    return this.server !== undefined;
  }

  get url(): string {
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    return `http://${host}:${this.boundPort ?? this.options.port}`;
  }

  get port(): number {
    return this.boundPort ?? this.options.port;
  }

  async listen(): Promise<void> {
    // API Gateway waits at most 30 s for an integration; a slow client upload should not hang forever either.
    const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 300_000, maxHeaderSize: 64 * 1024 }, (req, res) => void this.options.handle(req, res));
    server.headersTimeout = 66_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        const where = `${this.options.host}:${this.options.port}`;
        reject(
          err.code === 'EADDRINUSE' || err.code === 'EACCES'
            ? new ApiPortUnavailableError(`The API Gateway emulation cannot listen on ${where}: ${err.code === 'EADDRINUSE' ? 'the port is in use' : 'permission denied'}.`, 'Stop what uses the port, or pass --api-port N (0 picks a free port).')
            : err,
        );
      });
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    server.removeAllListeners('error');
    server.on('error', () => undefined);
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
