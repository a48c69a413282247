import type { IncomingMessage } from 'node:http';
import { LambdaDeskError } from '../../errors.ts';
import { readBody } from '../../http/aws-request.ts';

/** API Gateway's request payload limit (REST and HTTP APIs): 10 MB. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

export class RequestTooLongError extends LambdaDeskError {
  readonly awsName = 'RequestTooLongException';
  readonly status = 413;
}

/** An HTTP request as API Gateway sees it, before any event is made from it. */
export interface GatewayRequest {
  method: string;
  /** The path as sent, still percent-encoded, without the query. */
  rawPath: string;
  /** Everything after `?`, as sent. */
  rawQuery: string;
  /** `[name, value]` pairs in arrival order, name casing kept (REST events keep it, HTTP APIs lowercase it). */
  headers: Array<[string, string]>;
  body: Buffer;
  sourceIp: string;
  /** `HTTP/1.1`. */
  protocol: string;
  /** The port the client connected to, for `X-Forwarded-Port`. */
  localPort: number;
}

/** The values of a header, case-insensitively, in arrival order. */
export function headerValues(request: Pick<GatewayRequest, 'headers'>, name: string): string[] {
  const wanted = name.toLowerCase();
  return request.headers.filter(([key]) => key.toLowerCase() === wanted).map(([, value]) => value);
}

/** A header's value; repeated headers are joined with commas as HTTP allows. */
export function header(request: Pick<GatewayRequest, 'headers'>, name: string): string | undefined {
  const values = headerValues(request, name);
  return values.length > 0 ? values.join(',') : undefined;
}

/** The hostname the client asked for, without the port. */
export function hostName(request: Pick<GatewayRequest, 'headers'>): string {
  const host = headerValues(request, 'host')[0] ?? 'localhost';
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  return host.split(':')[0]!.toLowerCase();
}

/** Reads the request line, headers and body, refusing a body over API Gateway's 10 MB limit. */
export async function readGatewayRequest(req: IncomingMessage): Promise<GatewayRequest> {
  const target = req.url ?? '/';
  // A request target may be `//x` or absolute-form; prefixing an origin keeps `//x` a path.
  const url = target.startsWith('/') ? new URL(`http://gateway.invalid${target}`) : new URL(target === '*' ? 'http://gateway.invalid/' : target);
  const headers: Array<[string, string]> = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  const body = await readBody(req, MAX_REQUEST_BYTES, () => new RequestTooLongError('Request Too Long'));
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    rawPath: url.pathname,
    rawQuery: url.search.replace(/^\?/, ''),
    headers,
    body,
    sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    protocol: `HTTP/${req.httpVersion}`,
    localPort: req.socket.localPort ?? 0,
  };
}

/** Query pairs in order, decoded; API Gateway keeps `+` as it is rather than reading it as a space. */
export function queryPairs(rawQuery: string): Array<[string, string]> {
  if (rawQuery === '') return [];
  return rawQuery
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      const [key, value] = eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
      return [decodeQuery(key), decodeQuery(value)];
    });
}

function decodeQuery(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The headers API Gateway forwards: the client's, plus `X-Forwarded-For` (the client address
 * appended), `X-Forwarded-Port`, `X-Forwarded-Proto` and `X-Amzn-Trace-Id`.
 */
export function forwardedHeaders(request: GatewayRequest, trace: string): Array<[string, string]> {
  const skip = new Set(['x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto', 'x-amzn-trace-id']);
  const kept = request.headers.filter(([name]) => !skip.has(name.toLowerCase()));
  const forwardedFor = header(request, 'x-forwarded-for');
  return [
    ...kept,
    ['X-Amzn-Trace-Id', header(request, 'x-amzn-trace-id') ?? trace],
    ['X-Forwarded-For', forwardedFor ? `${forwardedFor}, ${request.sourceIp}` : request.sourceIp],
    ['X-Forwarded-Port', String(request.localPort)],
    ['X-Forwarded-Proto', 'http'],
  ];
}
