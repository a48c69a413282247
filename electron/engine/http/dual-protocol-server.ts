import { createServer as createHttp1Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2Session } from 'node:http2';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { asHttp1Exchange, Http2RequestAsHttp1, Http2ResponseAsHttp1 } from './http2-exchange.ts';
import { sniffProtocol } from './protocol-sniffer.ts';

export type HttpExchangeHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface DualProtocolServerOptions {
  /** Idle time before an HTTP/1.1 keep-alive connection is closed. */
  keepAliveTimeoutMs: number;
  /** Largest request head (HTTP/1.1) or header list (HTTP/2). */
  maxHeaderBytes: number;
  /** How long a new connection may stay silent before its first bytes show its protocol. */
  firstBytesTimeoutMs: number;
}

/**
 * One cleartext port for HTTP/1.1 and HTTP/2 with prior knowledge, one handler for both: AWS CLI
 * and most SDK clients speak HTTP/1.1, while the SDK's Kinesis client (and others with streaming
 * operations) opens HTTP/2 straight away. Each connection's first bytes pick the server it goes to.
 */
export class DualProtocolServer {
  // No Nagle delay, as http.Server sets it (HTTP/2 sessions set it themselves).
  private readonly tcp = createTcpServer({ noDelay: true });
  private readonly sockets = new Set<Socket>();
  private readonly sessions = new Set<Http2Session>();

  constructor(handler: HttpExchangeHandler, options: DualProtocolServerOptions) {
    // Neither server listens: they only parse connections the TCP server hands them. Node's
    // periodic headers/request timeout check starts on `listen`, so only the keep-alive timeout applies.
    const http1 = createHttp1Server({ keepAliveTimeout: options.keepAliveTimeoutMs, requestTimeout: 0, maxHeaderSize: options.maxHeaderBytes }, handler);
    const http2 = createHttp2Server(
      { Http2ServerRequest: Http2RequestAsHttp1, Http2ServerResponse: Http2ResponseAsHttp1, settings: { maxHeaderListSize: options.maxHeaderBytes } },
      (req, res) => {
        const exchange = asHttp1Exchange(req, res);
        handler(exchange.req, exchange.res);
      },
    );
    http2.on('session', (session) => {
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
    });
    this.tcp.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      void sniffProtocol(socket, options.firstBytesTimeoutMs).then((protocol) => {
        if (protocol === 'h2c') {
          // The HTTP/2 session reads the bytes put back itself, before any new ones.
          http2.emit('connection', socket);
        } else if (protocol === 'http/1.1') {
          http1.emit('connection', socket);
          socket.resume();
        }
      });
    });
  }

  async listen(port: number, host: string): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.tcp.once('error', reject);
      this.tcp.listen(port, host, () => {
        this.tcp.off('error', reject);
        resolve();
      });
    });
    return this.tcp.address() as AddressInfo;
  }

  /** Stops listening and ends every connection at once, HTTP/2 sessions with their open streams included. */
  async close(): Promise<void> {
    if (!this.tcp.listening) return;
    const closed = new Promise<void>((resolve) => this.tcp.close(() => resolve()));
    for (const session of this.sessions) session.destroy();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}
