import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaDeskError } from '../errors.ts';
import { credentialScope, serviceByShape, type AwsRequestContext } from './aws-request.ts';
import { sendAwsError } from './send-aws-error.ts';

export type AwsServiceHandler = (req: IncomingMessage, res: ServerResponse, ctx: AwsRequestContext) => Promise<void>;

/**
 * Whether an unsigned request that its shape does not place is a service's (S3: a path to a
 * bucket it has). It may read the URL, method and headers, never the body: that is the handler's.
 */
export type UnsignedRequestClaim = (req: IncomingMessage, url: URL) => boolean | Promise<boolean>;

class UnknownServiceError extends LambdaDeskError {
  readonly awsName = 'UnknownServiceException';
  readonly status = 400;
}

export interface AwsEndpointOptions {
  host: string;
  port: number;
  region: string;
}

/**
 * One HTTP endpoint for every emulated AWS service (the Invoke API's port, 3001 by default):
 * each request goes to the service named in its SigV4 credential scope, so one
 * `--endpoint-url` serves Lambda and every service added later.
 */
export class AwsEndpoint {
  private readonly services = new Map<string, AwsServiceHandler>();
  private readonly claims: Array<{ service: string; claims: UnsignedRequestClaim }> = [];
  private server?: Server;
  private boundPort?: number;

  constructor(private readonly options: AwsEndpointOptions) {}

  register(service: string, handler: AwsServiceHandler): void {
    this.services.set(service, handler);
  }

  /** Lets a service take unsigned requests that need its own state to recognise; asked in registration order. */
  claimUnsigned(service: string, claims: UnsignedRequestClaim): void {
    this.claims.push({ service, claims });
  }

  get url(): string {
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    return `http://${host}:${this.boundPort ?? this.options.port}`;
  }

  async listen(): Promise<{ host: string; port: number }> {
    const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, maxHeaderSize: 64 * 1024 }, (req, res) => void this.route(req, res));
    server.headersTimeout = 66_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (server.address() as AddressInfo).port;
    return { host: this.options.host, port: this.boundPort };
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const scope = credentialScope(req, url);
      const service = scope?.service ?? serviceByShape(req, url) ?? (await this.claimant(req, url));
      const handler = service ? this.services.get(service) : undefined;
      if (!service || !handler) {
        throw new UnknownServiceError(
          service
            ? `LambdaDesk does not emulate the '${service}' service. Emulated here: ${[...this.services.keys()].join(', ')}.`
            : `Cannot tell which AWS service this request is for: sign it with SigV4 (any AWS SDK or the AWS CLI does) or use a service path such as /2015-03-31/functions/NAME/invocations, a queue URL or a bucket that exists.`,
        );
      }
      await handler(req, res, { service, region: scope?.region ?? this.options.region, requestId, url });
    } catch (err) {
      sendAwsError(res, err, requestId);
    }
  }

  private async claimant(req: IncomingMessage, url: URL): Promise<string | undefined> {
    for (const { service, claims } of this.claims) {
      if (await claims(req, url)) return service;
    }
    return undefined;
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
