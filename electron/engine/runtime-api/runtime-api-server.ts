import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { SystemClock, type Clock } from '../clock.ts';
import { ServiceError } from '../errors.ts';
import { resolveErrorType } from './function-error-type.ts';
import {
  entityTooLarge,
  INTERNAL_SERVER_ERROR,
  INVALID_REQUEST_ID,
  INVALID_RESPONSE_MODE,
  invalidResponseModeBody,
  invalidStateTransition,
  MAX_RESPONSE_BYTES,
  MAX_STREAMED_RESPONSE_BYTES,
  responseSizeTooLargeBody,
  sendAccepted,
  sendEmpty,
  sendJson,
  TRUNCATED_REQUEST,
} from './runtime-api-replies.ts';

export interface InvokeWork {
  requestId: string;
  /** Sent unchanged as the `/next` body. */
  payload: Buffer;
  /** Epoch ms → `Lambda-Runtime-Deadline-Ms`. */
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId?: string;
  /** Already base64-decoded JSON text → `Lambda-Runtime-Client-Context`. */
  clientContext?: string;
  cognitoIdentity?: string;
  tenantId?: string;
  contentType?: string;
}

export type InvokeOutcome =
  | { kind: 'response'; payload: Buffer; contentType: string; streamed: boolean }
  | { kind: 'error'; payload: Buffer; contentType: string; errorType: string; xrayErrorCause?: string }
  | { kind: 'too-large'; payload: Buffer; contentType: 'application/json' }
  | { kind: 'invalid-response-mode'; payload: Buffer; contentType: 'application/json' }
  | { kind: 'aborted'; reason: string };

export interface InitErrorReport {
  payload: Buffer;
  contentType: string;
  errorType: string;
  at: number;
}

export type ReadyResult = { kind: 'ready'; at: number } | { kind: 'init-error'; report: InitErrorReport };

export interface RuntimeApiServerOptions {
  /** Loopback unless a container has to reach it through another interface. */
  host?: string;
  clock?: Clock;
  /** Cap of a buffered `/response` (and of `/error` bodies); AWS: 6,291,556 bytes. */
  maxResponseBytes?: number;
  /** Cap of a streamed `/response`; AWS: 200 MiB. */
  maxStreamedResponseBytes?: number;
}

interface CurrentInvoke {
  work: InvokeWork;
  onChunk?: (chunk: Buffer) => void;
  delivered: boolean;
  /** A response, an error or an abort has claimed this id: later posts for it get 400. */
  claimed: boolean;
  settled: boolean;
  resolve: (outcome: InvokeOutcome) => void;
}

const API = '/2018-06-01';
const RESPONSE_MODE_HEADER = 'lambda-runtime-function-response-mode';
const ERROR_TYPE_HEADER = 'lambda-runtime-function-error-type';
const ERROR_BODY_TRAILER = 'lambda-runtime-function-error-body';
const XRAY_CAUSE_HEADER = 'lambda-runtime-function-xray-error-cause';
const ERROR_WITH_CAUSE_TYPE = 'application/vnd.aws.lambda.error.cause+json';

/**
 * The Lambda Runtime API of one sandbox (`AWS_LAMBDA_RUNTIME_API`), as the official runtime
 * clients expect it: `/next` is a long poll that hands over one invoke at a time, and the
 * runtime's `/response`, `/error` and `/init/error` settle what the invoker waits for.
 */
export class RuntimeApiServer {
  readonly events = new EventEmitter<{ 'next-polled': [at: number] }>();
  private readonly host: string;
  private readonly clock: Clock;
  private readonly maxResponseBytes: number;
  private readonly maxStreamedResponseBytes: number;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly parkedPolls: ServerResponse[] = [];
  private current?: CurrentInvoke;
  private listening?: { host: string; port: number };
  private closed = false;
  /** Names used in `InvalidStateTransition` messages, as RAPID calls its runtime states. */
  private state: 'Started' | 'InitError' | 'Ready' | 'Running' = 'Started';
  private initError?: InitErrorReport;
  private readonly ready: Promise<ReadyResult>;
  private resolveReady!: (result: ReadyResult) => void;

  constructor(options: RuntimeApiServerOptions = {}) {
    this.host = options.host ?? '127.0.0.1';
    this.clock = options.clock ?? new SystemClock();
    this.maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    this.maxStreamedResponseBytes = options.maxStreamedResponseBytes ?? MAX_STREAMED_RESPONSE_BYTES;
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
    this.server = createServer(
      {
        // The X-Ray error cause header alone may be 64 KiB; Node's default cap is 16 KiB.
        maxHeaderSize: 128 * 1024,
        // `/next` waits as long as the sandbox is idle, and the runtime keeps its connection.
        requestTimeout: 0,
        keepAliveTimeout: 0,
      },
      (req, res) => this.route(req, res),
    );
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.server.on('clientError', (err: NodeJS.ErrnoException, socket) => this.onClientError(err, socket));
  }

  /** Binds a free port; `address` is then what goes into `AWS_LAMBDA_RUNTIME_API`. */
  async listen(): Promise<{ host: string; port: number }> {
    if (this.listening) return this.listening;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, this.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const { port } = this.server.address() as AddressInfo;
    this.listening = { host: this.host, port };
    return this.listening;
  }

  get address(): string {
    if (!this.listening) throw new ServiceError('The Runtime API server has no address before listen().');
    return `${this.listening.host}:${this.listening.port}`;
  }

  /** Resolves the first time the runtime calls `/next` or posts `/init/error`. */
  whenReady(): Promise<ReadyResult> {
    return this.ready;
  }

  /**
   * Hands one invoke to the runtime (held until it polls `/next`) and resolves when it answers.
   * A sandbox runs one invoke at a time, so a second call while one is in flight throws.
   */
  invoke(work: InvokeWork, onChunk?: (chunk: Buffer) => void): Promise<InvokeOutcome> {
    if (this.closed) throw new ServiceError(`Cannot invoke ${work.requestId}: the Runtime API server is closed.`);
    if (this.current && !this.current.settled) {
      throw new ServiceError(`Cannot invoke ${work.requestId}: ${this.current.work.requestId} is still running in this sandbox.`);
    }
    // The runtime reported an init error and exits: that error answers the invoke, as on AWS.
    if (this.initError) return Promise.resolve(initErrorOutcome(this.initError));
    return new Promise<InvokeOutcome>((resolve) => {
      this.current = { work, onChunk, delivered: false, claimed: false, settled: false, resolve };
      this.deliverToParkedPoll();
    });
  }

  /** The invoker gave up on the invoke (timeout, crash): settle it; later posts for it get 400. */
  abort(requestId: string, reason: string): void {
    const current = this.current;
    if (!current || current.work.requestId !== requestId) return;
    current.claimed = true;
    this.settle(current, { kind: 'aborted', reason });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.current) this.abort(this.current.work.requestId, 'The Runtime API server closed.');
    this.parkedPolls.length = 0;
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    if (this.listening) await closing;
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    try {
      const path = new URL(req.url ?? '/', 'http://runtime-api').pathname;
      const method = req.method ?? 'GET';
      if (path.startsWith('/2020-01-01/')) return sendEmpty(res, 404); // extensions are not offered
      if (path === '/2020-08-15/logs') return this.only(method, 'PUT', res, () => sendJson(res, 202, { errorMessage: 'Logs API is not supported', errorType: 'Logs.NotSupported' }));
      if (path === '/2022-07-01/telemetry') {
        return this.only(method, 'PUT', res, () => sendJson(res, 202, { errorMessage: 'Telemetry API is not supported', errorType: 'Telemetry.NotSupported' }));
      }
      if (path === `${API}/ping`) return this.only(method, 'GET', res, () => sendText(res, 200, 'pong'));
      if (path === `${API}/runtime/invocation/next`) return this.only(method, 'GET', res, () => this.onNext(res));
      if (path === `${API}/runtime/init/error`) return this.only(method, 'POST', res, () => this.onInitError(req, res));
      const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(path);
      if (match) {
        const id = decodeRequestId(match[1] ?? '');
        const handler = match[2] === 'response' ? this.onResponse : this.onError;
        return this.only(method, 'POST', res, () => handler.call(this, id, req, res));
      }
      sendText(res, 404, '404 page not found\n');
    } catch {
      sendJson(res, 500, INTERNAL_SERVER_ERROR);
    }
  }

  private only(method: string, allowed: string, res: ServerResponse, handle: () => void): void {
    if (method !== allowed) return sendEmpty(res, 405);
    handle();
  }

  private onNext(res: ServerResponse): void {
    const at = this.clock.now();
    if (this.state === 'InitError') return sendJson(res, 403, invalidStateTransition('InitError', 'Ready'));
    if (this.state === 'Started') this.resolveReady({ kind: 'ready', at });
    this.state = 'Ready';
    this.events.emit('next-polled', at);
    this.parkedPolls.push(res);
    res.once('close', () => {
      const index = this.parkedPolls.indexOf(res);
      if (index >= 0) this.parkedPolls.splice(index, 1);
    });
    this.deliverToParkedPoll();
  }

  private deliverToParkedPoll(): void {
    const current = this.current;
    if (!current || current.delivered || current.settled) return;
    const res = this.parkedPolls.shift();
    if (!res) return;
    current.delivered = true;
    this.state = 'Running';
    const { work } = current;
    const headers: Record<string, string | number> = {
      'Lambda-Runtime-Aws-Request-Id': work.requestId,
      'Lambda-Runtime-Deadline-Ms': String(Math.trunc(work.deadlineMs)),
      'Lambda-Runtime-Invoked-Function-Arn': work.invokedFunctionArn,
      'Lambda-Runtime-Trace-Id': work.traceId ?? '',
      'Lambda-Runtime-Client-Context': work.clientContext ?? '',
      'Lambda-Runtime-Cognito-Identity': work.cognitoIdentity ?? '',
      'Lambda-Runtime-Aws-Tenant-Id': work.tenantId ?? '',
      'Content-Type': work.contentType || 'application/json',
    };
    // Clients treat a present header as meaningful (RIC parses an empty client context as JSON).
    for (const [name, value] of Object.entries(headers)) if (value === '') delete headers[name];
    headers['Content-Length'] = work.payload.length;
    try {
      res.writeHead(200, headers);
    } catch (err) {
      // A value HTTP cannot carry (a newline in an id): the runtime is told to exit, the invoke ends here.
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      sendJson(res, 500, INTERNAL_SERVER_ERROR);
      current.claimed = true;
      this.settle(current, { kind: 'aborted', reason: `The invoke could not be handed to the runtime: ${err instanceof Error ? err.message : String(err)}` });
      return;
    }
    res.end(work.payload);
  }

  /** The id in the path must be the invoke the runtime is working on, and not yet answered. */
  private claimable(id: string | undefined): CurrentInvoke | undefined {
    const current = this.current;
    if (!current || id === undefined || current.work.requestId !== id || !current.delivered || current.claimed) return undefined;
    return current;
  }

  private onResponse(id: string | undefined, req: IncomingMessage, res: ServerResponse): void {
    const current = this.claimable(id);
    if (!current) return sendJson(res, 400, INVALID_REQUEST_ID);
    const mode = headerValue(req, RESPONSE_MODE_HEADER).toLowerCase();
    if (mode !== '' && mode !== 'buffered' && mode !== 'streaming') {
      current.claimed = true;
      this.settle(current, { kind: 'invalid-response-mode', payload: invalidResponseModeBody(), contentType: 'application/json' });
      return sendJson(res, 400, INVALID_RESPONSE_MODE);
    }
    current.claimed = true;
    if (mode === 'streaming') return this.receiveStream(current, req, res);
    const contentType = headerValue(req, 'content-type') || 'application/json';
    readCapped(req, this.maxResponseBytes, {
      onOverflow: () => this.settleTooLarge(current, this.maxResponseBytes),
      onEnd: (body, overflowed) => {
        if (overflowed) return sendJson(res, 413, entityTooLarge(this.maxResponseBytes));
        this.settle(current, { kind: 'response', payload: body, contentType, streamed: false });
        sendAccepted(res);
      },
      onTruncated: () => sendJson(res, 400, TRUNCATED_REQUEST),
    });
  }

  private receiveStream(current: CurrentInvoke, req: IncomingMessage, res: ServerResponse): void {
    const contentType = headerValue(req, 'content-type') || 'application/octet-stream';
    const chunks: Buffer[] = [];
    let total = 0;
    let overflowed = false;
    req.on('data', (chunk: Buffer) => {
      if (overflowed) return;
      total += chunk.length;
      if (total > this.maxStreamedResponseBytes) {
        overflowed = true;
        chunks.length = 0;
        this.settleTooLarge(current, this.maxStreamedResponseBytes);
        // A stream has no end we could wait for: answer now and stop reading it.
        res.once('finish', () => req.socket.destroy());
        return sendJson(res, 413, entityTooLarge(this.maxStreamedResponseBytes));
      }
      chunks.push(chunk);
      current.onChunk?.(chunk);
    });
    req.on('end', () => {
      if (overflowed) return;
      const payload = Buffer.concat(chunks);
      const errorType = trailerValue(req, ERROR_TYPE_HEADER);
      if (errorType) {
        // A failure after the first byte: the runtime sends its error as trailers.
        const encoded = trailerValue(req, ERROR_BODY_TRAILER);
        const body = encoded ? Buffer.from(encoded, 'base64') : Buffer.from(JSON.stringify({ errorMessage: '', errorType }));
        this.settle(current, { kind: 'error', payload: body, contentType: 'application/json', errorType: resolveErrorType(errorType, body, 'Function.Unknown') });
      } else {
        this.settle(current, { kind: 'response', payload, contentType, streamed: true });
      }
      sendAccepted(res);
    });
    onTruncated(req, () => sendJson(res, 400, TRUNCATED_REQUEST));
  }

  private onError(id: string | undefined, req: IncomingMessage, res: ServerResponse): void {
    const current = this.claimable(id);
    if (!current) return sendJson(res, 400, INVALID_REQUEST_ID);
    current.claimed = true;
    const headerType = headerValue(req, ERROR_TYPE_HEADER) || undefined;
    const xrayErrorCause = headerValue(req, XRAY_CAUSE_HEADER) || undefined;
    const requestType = headerValue(req, 'content-type');
    readCapped(req, this.maxResponseBytes, {
      onOverflow: () => this.settleTooLarge(current, this.maxResponseBytes),
      onEnd: (body, overflowed) => {
        if (overflowed) return sendJson(res, 413, entityTooLarge(this.maxResponseBytes));
        const { payload, contentType } = requestType === ERROR_WITH_CAUSE_TYPE ? withoutErrorCause(body) : { payload: body, contentType: requestType || 'application/json' };
        const outcome: InvokeOutcome = { kind: 'error', payload, contentType, errorType: resolveErrorType(headerType, payload, 'Function.Unknown') };
        if (xrayErrorCause) outcome.xrayErrorCause = xrayErrorCause;
        this.settle(current, outcome);
        sendAccepted(res);
      },
      onTruncated: () => sendJson(res, 400, TRUNCATED_REQUEST),
    });
  }

  private onInitError(req: IncomingMessage, res: ServerResponse): void {
    if (this.state !== 'Started') return sendJson(res, 403, invalidStateTransition(this.state, 'InitError'));
    const at = this.clock.now();
    this.state = 'InitError';
    const headerType = headerValue(req, ERROR_TYPE_HEADER) || undefined;
    readCapped(req, this.maxResponseBytes, {
      onEnd: (body) => {
        const report: InitErrorReport = { payload: body, contentType: isJson(body) ? 'application/json' : 'application/octet-stream', errorType: resolveErrorType(headerType, body, 'Runtime.Unknown'), at };
        this.initError = report;
        this.resolveReady({ kind: 'init-error', report });
        const current = this.current;
        if (current && !current.settled) {
          current.claimed = true;
          this.settle(current, initErrorOutcome(report));
        }
        sendAccepted(res);
      },
      onTruncated: () => sendJson(res, 400, TRUNCATED_REQUEST),
    });
  }

  private settleTooLarge(current: CurrentInvoke, maxBytes: number): void {
    this.settle(current, { kind: 'too-large', payload: responseSizeTooLargeBody(maxBytes), contentType: 'application/json' });
  }

  private settle(current: CurrentInvoke, outcome: InvokeOutcome): void {
    if (current.settled) return;
    current.settled = true;
    current.resolve(outcome);
  }

  private onClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
    if (!socket.writable) return void socket.destroy();
    // The runtime closed its side before sending all the bytes it announced.
    const body = err.code === 'HPE_INVALID_EOF_STATE' ? TRUNCATED_REQUEST : { errorMessage: 'Bad Request', errorType: 'BadRequest' };
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    const text = `${JSON.stringify(body)}\n`;
    socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
  }
}

function initErrorOutcome(report: InitErrorReport): InvokeOutcome {
  return { kind: 'error', payload: report.payload, contentType: report.contentType, errorType: report.errorType };
}

interface ReadHandlers {
  onOverflow?: () => void;
  onEnd: (body: Buffer, overflowed: boolean) => void;
  onTruncated: () => void;
}

/** Reads a body up to `maxBytes`; past that it keeps draining so the connection stays usable. */
function readCapped(req: IncomingMessage, maxBytes: number, handlers: ReadHandlers): void {
  const chunks: Buffer[] = [];
  let total = 0;
  let overflowed = false;
  req.on('data', (chunk: Buffer) => {
    total += chunk.length;
    if (overflowed) return;
    if (total > maxBytes) {
      overflowed = true;
      chunks.length = 0;
      handlers.onOverflow?.();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => handlers.onEnd(Buffer.concat(chunks), overflowed));
  onTruncated(req, handlers.onTruncated);
}

/** The body stopped short of what the runtime announced (it crashed or closed its socket). */
function onTruncated(req: IncomingMessage, handle: () => void): void {
  req.on('error', () => undefined); // the connection reset is reported through `close` below
  req.once('close', () => {
    if (!req.complete) handle();
  });
}

/** RIC percent-encodes the id in the path; anything that does not decode matches no invoke. */
function decodeRequestId(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

function headerValue(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

function trailerValue(req: IncomingMessage, name: string): string {
  return req.trailers[name]?.trim() ?? '';
}

function isJson(body: Buffer): boolean {
  try {
    JSON.parse(body.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

/** `error.cause+json` carries the error and its X-Ray cause in one body; callers see only the error. */
function withoutErrorCause(body: Buffer): { payload: Buffer; contentType: string } {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errorMessage?: unknown; errorType?: unknown; stackTrace?: unknown };
    const error = { errorMessage: parsed.errorMessage, errorType: parsed.errorType, stackTrace: parsed.stackTrace };
    return { payload: Buffer.from(JSON.stringify(error)), contentType: 'application/json' };
  } catch {
    return { payload: Buffer.from(JSON.stringify('Invalid error body')), contentType: 'application/octet-stream' };
  }
}

function sendText(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
