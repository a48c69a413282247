import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LambdaDeskError } from '../errors.ts';
import { credentialScope, serviceByShape, type AwsRequestContext } from './aws-request.ts';
import { DualProtocolServer } from './dual-protocol-server.ts';
import { sendAwsError } from './send-aws-error.ts';

/**
 * A service's handler. It serves HTTP/1.1 and HTTP/2 clients alike: on HTTP/2, `req` and `res`
 * are Node's compatibility objects in HTTP/1 form (http2-exchange.ts lists the members both have).
 */
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
 * `--endpoint-url` serves Lambda and every service added later. HTTP/1.1 and cleartext HTTP/2
 * share the port, since SDK clients differ in which they open with.
 */
export class AwsEndpoint {
  private readonly services = new Map<string, AwsServiceHandler>();
  private readonly claims: Array<{ service: string; claims: UnsignedRequestClaim }> = [];
  private server?: DualProtocolServer;
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
    const server = new DualProtocolServer((req, res) => void this.route(req, res), { keepAliveTimeoutMs: 65_000, maxHeaderBytes: 64 * 1024, firstBytesTimeoutMs: 66_000 });
    const { port } = await server.listen(this.options.port, this.options.host);
    this.server = server;
    this.boundPort = port;
    return { host: this.options.host, port };
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
    await server.close();
  }
}
