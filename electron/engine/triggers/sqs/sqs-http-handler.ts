import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsServiceHandler } from '../../http/aws-endpoint.ts';
import { readBody, type AwsRequestContext } from '../../http/aws-request.ts';
import { SqsError, sqsErrors } from './sqs-errors.ts';
import type { SqsCallContext, SqsInput, SqsOperation } from './sqs-operations.ts';
import { parseQueryRequest, renderQueryError, renderQueryResponse } from './sqs-query-protocol.ts';

/** Room for a 1 MiB message even when every character is JSON-escaped. */
const MAX_REQUEST_BYTES = 8 * 1024 * 1024;
const JSON_TARGET_PREFIX = 'AmazonSQS.';

export interface SqsHttpDeps {
  operations: Record<string, SqsOperation>;
  accountId: string;
  /** Waits until the queues are loaded (requests may arrive while the engine starts). */
  ready: () => Promise<void>;
}

/**
 * SQS on the AWS endpoint, in both protocols clients use: JSON (`X-Amz-Target:
 * AmazonSQS.SendMessage`, current SDKs) and query (form-encoded `Action=SendMessage`, XML
 * answers: Debian's AWS CLI v2 2.9). Errors go out in the protocol the request came in.
 */
export function createSqsHttpHandler(deps: SqsHttpDeps): AwsServiceHandler {
  return async (req: IncomingMessage, res: ServerResponse, ctx: AwsRequestContext): Promise<void> => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const json = target.startsWith(JSON_TARGET_PREFIX);
    let action = json ? target.slice(JSON_TARGET_PREFIX.length) : '';
    try {
      const body = await readBody(req, MAX_REQUEST_BYTES, () => sqsErrors.invalidParameterValue(`The request is larger than ${MAX_REQUEST_BYTES} bytes.`));
      let input: SqsInput;
      if (json) {
        input = parseJson(body);
      } else {
        const params = new URLSearchParams(ctx.url.search);
        for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params.set(key, value);
        ({ action, input } = parseQueryRequest(params));
        if (!action) throw sqsErrors.missingParameter('Action');
      }
      const operation = Object.hasOwn(deps.operations, action) ? deps.operations[action] : undefined;
      if (!operation) throw json ? sqsErrors.unknownOperation(target) : sqsErrors.invalidAction(action);
      await deps.ready();
      const output = await operation(input, callContext(req, res, ctx, deps.accountId));
      if (res.destroyed) return;
      const text = json ? JSON.stringify(output) : renderQueryResponse(action, output, ctx.requestId);
      res.writeHead(200, { 'content-type': json ? 'application/x-amz-json-1.0' : 'text/xml', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': ctx.requestId });
      res.end(text);
    } catch (err) {
      sendSqsError(res, err, json, ctx.requestId);
    }
  };
}

function parseJson(body: Buffer): SqsInput {
  const text = body.toString('utf8').trim();
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new SqsError('SerializationException', 'SerializationException', 400, `The request body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SqsError('SerializationException', 'SerializationException', 400, 'The request body must be a JSON object.');
  return parsed as SqsInput;
}

function callContext(req: IncomingMessage, res: ServerResponse, ctx: AwsRequestContext, accountId: string): SqsCallContext {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  const host = req.headers.host;
  const accessKey = /Credential=([^/,\s]+)\//.exec(req.headers.authorization ?? '')?.[1];
  return {
    baseUrl: host ? `http://${host}` : `http://${ctx.url.host}`,
    senderId: accessKey ?? accountId,
    signal: controller.signal,
    path: ctx.url.pathname,
  };
}

function sendSqsError(res: ServerResponse, err: unknown, json: boolean, requestId: string): void {
  const error = err instanceof SqsError ? err : sqsErrors.internal(err instanceof Error ? err.message : String(err));
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body = json ? JSON.stringify({ __type: `com.amazonaws.sqs#${error.awsName}`, message: error.message }) : renderQueryError(error, requestId);
  const headers: Record<string, string | number> = {
    'content-type': json ? 'application/x-amz-json-1.0' : 'text/xml',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
  };
  // Current SDKs take the exception class from this header (the service is "query compatible").
  if (json) headers['x-amzn-query-error'] = `${error.queryCode};${error.faultType}`;
  res.writeHead(error.status, headers);
  res.end(body);
}
