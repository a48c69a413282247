import type { IncomingMessage, OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { constants, Http2ServerRequest, Http2ServerResponse, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { ReadableOptions } from 'node:stream';

/**
 * Connection-specific headers (RFC 9113 §8.2.2): HTTP/2 frames the body itself, so a response
 * written for HTTP/1.1 (`transfer-encoding: chunked` for a stream) drops them, where Node would
 * otherwise refuse the whole response. `te` is allowed only as `trailers`.
 */
const CONNECTION_SPECIFIC = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'http2-settings']);

function isConnectionSpecific(name: string, value: unknown): boolean {
  const lower = name.trim().toLowerCase();
  return CONNECTION_SPECIFIC.has(lower) || (lower === 'te' && String(value).trim().toLowerCase() !== 'trailers');
}

function withoutConnectionSpecific(headers: OutgoingHttpHeaders | OutgoingHttpHeader[] | undefined): OutgoingHttpHeaders | OutgoingHttpHeader[] | undefined {
  if (!headers) return headers;
  if (!Array.isArray(headers)) return Object.fromEntries(Object.entries(headers).filter(([name, value]) => !isConnectionSpecific(name, value)));
  // Node takes a flat [name, value, …] list or a list of pairs.
  if (headers.length && Array.isArray(headers[0])) return (headers as unknown as Array<[string, OutgoingHttpHeader]>).filter(([name, value]) => !isConnectionSpecific(name, value)) as unknown as OutgoingHttpHeader[];
  const kept: OutgoingHttpHeader[] = [];
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (!isConnectionSpecific(String(headers[i]), headers[i + 1])) kept.push(headers[i]!, headers[i + 1]!);
  }
  return kept;
}

/** An HTTP/2 request with the `Host` header HTTP/1 handlers read (HTTP/2 sends `:authority` instead). */
export class Http2RequestAsHttp1 extends Http2ServerRequest {
  constructor(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, options: ReadableOptions, rawHeaders: readonly string[]) {
    super(stream, headers, options, rawHeaders);
    if (headers.host === undefined && headers[':authority'] !== undefined) headers.host = headers[':authority'];
  }
}

/** An HTTP/2 response that takes what an HTTP/1 handler writes: connection-specific headers are dropped. */
export class Http2ResponseAsHttp1 extends Http2ServerResponse<Http2RequestAsHttp1> {
  override setHeader(name: string, value: number | string | readonly string[]): this {
    if (!isConnectionSpecific(name, value)) super.setHeader(name, value);
    return this;
  }

  override appendHeader(name: string, value: string | string[]): void {
    if (!isConnectionSpecific(name, value)) super.appendHeader(name, value);
  }

  override writeHead(statusCode: number, headers?: OutgoingHttpHeaders | OutgoingHttpHeader[]): this;
  override writeHead(statusCode: number, statusMessage: string, headers?: OutgoingHttpHeaders | OutgoingHttpHeader[]): this;
  override writeHead(statusCode: number, messageOrHeaders?: string | OutgoingHttpHeaders | OutgoingHttpHeader[], headers?: OutgoingHttpHeaders | OutgoingHttpHeader[]): this {
    // HTTP/2 has no reason phrase (Node warns once and ignores it), so it is not passed on.
    const given = typeof messageOrHeaders === 'string' ? headers : messageOrHeaders;
    // Node's compatibility layer takes header arrays too, though its types say otherwise.
    return super.writeHead(statusCode, withoutConnectionSpecific(given) as OutgoingHttpHeaders | undefined);
  }

  /** `finish` only for a response that went out whole, as on HTTP/1 (see responseFinished). */
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'finish' && !responseFinished(this)) return false;
    return super.emit(event, ...args);
  }
}

/**
 * Whether the whole response went out, as HTTP/1 means it. Node's compatibility response reports
 * its stream's `writableFinished` and emits `finish`, both also when the client reset the stream
 * before the end; a long poll would then not see its client leave, and `pipeline(file, res)` would
 * resolve with the file half read and never closed.
 */
function responseFinished(res: Http2ServerResponse): boolean {
  const { stream } = res;
  return stream.writableFinished && !stream.aborted && (stream.rstCode === undefined || stream.rstCode === constants.NGHTTP2_NO_ERROR);
}

// Accessors on the prototype, because the types declare these as Writable's fields, not accessors.
Object.defineProperties(Http2ResponseAsHttp1.prototype, {
  // Read by handlers that answer late (a long poll whose client left); the compatibility response lacks it.
  destroyed: {
    get(this: Http2ResponseAsHttp1): boolean {
      return this.stream.destroyed;
    },
    configurable: true,
  },
  writableFinished: {
    get(this: Http2ResponseAsHttp1): boolean {
      return responseFinished(this);
    },
    configurable: true,
  },
});

/**
 * What the AWS endpoint's services use of a request and a response. The compiler checks that the
 * HTTP/2 exchange has each under the same name and a compatible type; a service that reaches past
 * these (`req.httpVersion`, `res.socket` writes, `res.statusMessage`) must be checked on HTTP/2 and
 * added here.
 */
type RequestInCommon = Members<IncomingMessage, 'method' | 'url' | 'headers' | 'complete' | 'socket' | 'resume' | 'read' | 'pipe' | typeof Symbol.asyncIterator>;
type ResponseInCommon = Members<ServerResponse, 'writeHead' | 'setHeader' | 'getHeader' | 'write' | 'end' | 'destroy' | 'headersSent' | 'destroyed' | 'writableEnded' | 'writableFinished' | 'statusCode'>;
/** Members by name and type. Of a method, its (last overload's) parameters are compared, not its result: HTTP/1's return `this`, their own class. */
type Members<T, K extends keyof T> = { [P in K]: T[P] extends (...args: infer A) => unknown ? (...args: A) => unknown : T[P] };

/**
 * The HTTP/1 view of an HTTP/2 exchange, so every service's handler (typed with Node's HTTP/1
 * classes) serves both protocols unchanged. Events the services listen for (`close`, `finish`,
 * `data`, `end`) have the same names and meaning on both.
 */
export function asHttp1Exchange(req: Http2RequestAsHttp1, res: Http2ResponseAsHttp1): { req: IncomingMessage; res: ServerResponse } {
  const common: { req: RequestInCommon; res: ResponseInCommon } = { req, res };
  return common as { req: IncomingMessage; res: ServerResponse };
}
