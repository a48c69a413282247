import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FunctionConfig, ProjectModel } from '../contract.ts';
import { InvalidParameterValueError, InvalidRequestContentError, LambdaDeskError, RequestTooLargeError } from '../errors.ts';
import type { AsyncInvokeQueue } from '../invoke/async-invoke-queue.ts';
import { Invoker, MAX_SYNC_PAYLOAD_BYTES } from '../invoke/invoker.ts';
import { logTail } from '../invoke/platform-log-lines.ts';
import type { AwsRequestContext } from './aws-request.ts';
import { readBody } from './aws-request.ts';
import { eventMessage, encodeEventStreamMessage } from './event-stream.ts';
import { functionConfiguration } from './function-configuration.ts';

/** Async payloads: AWS raised the limit from 256 KB to 1 MB. */
const MAX_ASYNC_PAYLOAD_BYTES = 1_048_576;
const MAX_CLIENT_CONTEXT_BYTES = 3583;

class UnknownOperationError extends LambdaDeskError {
  readonly awsName = 'UnknownOperationException';
  readonly status = 404;
}

export interface LambdaApiDeps {
  invoker: Invoker;
  asyncQueue: AsyncInvokeQueue;
  model: () => ProjectModel;
  accountId: string;
}

type Route = { method: string; pattern: RegExp; run: (req: IncomingMessage, res: ServerResponse, ctx: AwsRequestContext, name: string) => Promise<void> };

/** The Lambda service on the AWS endpoint: Invoke, InvokeWithResponseStream, ListFunctions, GetFunction. */
export function createLambdaApi(deps: LambdaApiDeps) {
  const routes: Route[] = [
    { method: 'POST', pattern: /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/, run: (req, res, ctx, name) => invoke(deps, req, res, ctx, name) },
    { method: 'POST', pattern: /^\/2021-11-15\/functions\/([^/]+)\/response-streaming-invocations\/?$/, run: (req, res, ctx, name) => invokeStreaming(deps, req, res, ctx, name) },
    { method: 'GET', pattern: /^\/2015-03-31\/functions\/?$/, run: (_req, res, ctx) => listFunctions(deps, res, ctx) },
    { method: 'GET', pattern: /^\/2015-03-31\/functions\/([^/]+)\/?$/, run: (_req, res, ctx, name) => getFunction(deps, res, ctx, name, false) },
    { method: 'GET', pattern: /^\/2015-03-31\/functions\/([^/]+)\/configuration\/?$/, run: (_req, res, ctx, name) => getFunction(deps, res, ctx, name, true) },
  ];
  return async (req: IncomingMessage, res: ServerResponse, ctx: AwsRequestContext): Promise<void> => {
    for (const route of routes) {
      const match = route.pattern.exec(ctx.url.pathname);
      if (match && req.method === route.method) return route.run(req, res, ctx, decodeURIComponent(match[1] ?? ''));
    }
    req.resume();
    throw new UnknownOperationError(`LambdaDesk's Lambda API has no operation for ${req.method} ${ctx.url.pathname}. Supported: Invoke, InvokeWithResponseStream, ListFunctions, GetFunction, GetFunctionConfiguration.`);
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value || undefined;
}

function clientContextOf(req: IncomingMessage): string | undefined {
  const value = header(req, 'x-amz-client-context');
  if (!value) return undefined;
  const decoded = Buffer.from(value, 'base64');
  if (value.length > 0 && decoded.length > MAX_CLIENT_CONTEXT_BYTES) throw new InvalidParameterValueError(`Client context must be at most ${MAX_CLIENT_CONTEXT_BYTES} bytes once decoded.`);
  try {
    const parsed: unknown = JSON.parse(decoded.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
  } catch {
    throw new InvalidRequestContentError('Client context must be a valid Base64-encoded JSON object.');
  }
  return value;
}

async function invoke(deps: LambdaApiDeps, req: IncomingMessage, res: ServerResponse, ctx: AwsRequestContext, name: string): Promise<void> {
  const invocationType = header(req, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (!['RequestResponse', 'Event', 'DryRun'].includes(invocationType)) {
    req.resume();
    throw new InvalidParameterValueError(`1 validation error detected: Value '${invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`);
  }
  const logType = header(req, 'x-amz-log-type') ?? 'None';
  if (!['None', 'Tail'].includes(logType)) throw new InvalidParameterValueError(`1 validation error detected: Value '${logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]`);
  const qualifier = ctx.url.searchParams.get('Qualifier') ?? undefined;
  const limit = invocationType === 'Event' ? MAX_ASYNC_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES;
  const raw = await readBody(req, limit, () => new RequestTooLargeError(`Request must be smaller than ${limit} bytes for the InvokeFunction operation`));
  const target = deps.invoker.target(name, qualifier);
  const payload = Invoker.validatePayload(raw);

  if (invocationType === 'DryRun') {
    res.writeHead(204, { 'x-amzn-requestid': ctx.requestId, 'x-amz-executed-version': target.executedVersion });
    res.end();
    return;
  }
  if (invocationType === 'Event') {
    // Tail and client context are ignored for async invokes, as on AWS.
    const event = await deps.asyncQueue.enqueue({ requestId: ctx.requestId, functionName: target.fn.functionName, qualifier: target.qualifier, payload: payload.toString('utf8'), trigger: 'event' });
    res.writeHead(202, { 'x-amzn-requestid': event.requestId, 'content-length': 0 });
    res.end();
    return;
  }
  const result = await deps.invoker.invoke({ functionName: name, qualifier, payload: payload.toString('utf8'), clientContext: clientContextOf(req), trigger: 'invoke-api' }, { requestId: ctx.requestId });
  const headers: Record<string, string | number> = {
    'content-type': result.contentType || 'application/json',
    'content-length': result.payload.length,
    'x-amzn-requestid': result.record.requestId,
    'x-amz-executed-version': result.executedVersion,
  };
  if (result.functionError) headers['x-amz-function-error'] = result.functionError;
  if (logType === 'Tail') headers['x-amz-log-result'] = logTail(result.logs);
  res.writeHead(200, headers);
  res.end(result.payload);
}

async function invokeStreaming(deps: LambdaApiDeps, req: IncomingMessage, res: ServerResponse, ctx: AwsRequestContext, name: string): Promise<void> {
  const invocationType = header(req, 'x-amz-invocation-type') ?? 'RequestResponse';
  const logType = header(req, 'x-amz-log-type') ?? 'None';
  const qualifier = ctx.url.searchParams.get('Qualifier') ?? undefined;
  const raw = await readBody(req, MAX_SYNC_PAYLOAD_BYTES, () => new RequestTooLargeError(`Request must be smaller than ${MAX_SYNC_PAYLOAD_BYTES} bytes for the InvokeWithResponseStream operation`));
  const target = deps.invoker.target(name, qualifier);
  const payload = Invoker.validatePayload(raw);
  if (invocationType === 'DryRun') {
    res.writeHead(204, { 'x-amzn-requestid': ctx.requestId });
    res.end();
    return;
  }
  const startStream = (): void => {
    if (res.headersSent) return;
    res.writeHead(200, {
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-requestid': ctx.requestId,
      'x-amz-executed-version': target.executedVersion,
      'transfer-encoding': 'chunked',
    });
  };
  let streamed = false;
  const result = await deps.invoker.invoke(
    { functionName: name, qualifier, payload: payload.toString('utf8'), clientContext: clientContextOf(req), trigger: 'invoke-api' },
    {
      requestId: ctx.requestId,
      onChunk: (chunk) => {
        startStream();
        streamed = true;
        res.write(eventMessage('PayloadChunk', chunk));
      },
    },
  );
  startStream();
  if (!streamed && !result.functionError && result.payload.length) res.write(eventMessage('PayloadChunk', result.payload));
  const complete: Record<string, string> = {};
  if (result.functionError) {
    const body = safeJson(result.payload);
    complete.ErrorCode = String(body?.errorType ?? result.record.errorType ?? 'Unhandled');
    complete.ErrorDetails = result.payload.toString('utf8');
  }
  if (logType === 'Tail') complete.LogResult = logTail(result.logs);
  res.end(encodeEventStreamMessage({ ':event-type': 'InvokeComplete', ':content-type': 'application/json', ':message-type': 'event' }, Buffer.from(JSON.stringify(complete))));
}

function safeJson(payload: Buffer): Record<string, unknown> | undefined {
  try {
    return JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, requestId: string, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': requestId });
  res.end(text);
}

async function listFunctions(deps: LambdaApiDeps, res: ServerResponse, ctx: AwsRequestContext): Promise<void> {
  const functions = deps.model().functions;
  const maxItems = Math.min(50, Math.max(1, Number(ctx.url.searchParams.get('MaxItems') ?? 50) || 50));
  const start = Number(ctx.url.searchParams.get('Marker') ?? 0) || 0;
  const page = functions.slice(start, start + maxItems);
  const next = start + maxItems < functions.length ? String(start + maxItems) : undefined;
  sendJson(res, ctx.requestId, { Functions: page.map((fn: FunctionConfig) => functionConfiguration(fn, ctx.region, deps.accountId)), ...(next ? { NextMarker: next } : {}) });
}

async function getFunction(deps: LambdaApiDeps, res: ServerResponse, ctx: AwsRequestContext, name: string, configOnly: boolean): Promise<void> {
  const target = deps.invoker.target(name, ctx.url.searchParams.get('Qualifier') ?? undefined);
  const configuration = functionConfiguration(target.fn, ctx.region, deps.accountId);
  if (configOnly) return sendJson(res, ctx.requestId, configuration);
  sendJson(res, ctx.requestId, { Configuration: configuration, Code: { RepositoryType: 'S3', Location: `file://${target.fn.codeDir}` }, Tags: {} });
}

