import type { ServerResponse } from 'node:http';

/**
 * The Runtime API's own answers, byte for byte as AWS's runtime API (RAPID) renders them:
 * JSON with a trailing newline, error bodies `{"errorMessage","errorType"}`.
 */

export const MAX_RESPONSE_BYTES = 6_291_556;
/** Streamed responses may run far past the buffered cap (contract §1.4). */
export const MAX_STREAMED_RESPONSE_BYTES = 200 * 1024 * 1024;

export interface RuntimeApiErrorBody {
  errorMessage: string;
  errorType: string;
}

export const INVALID_REQUEST_ID: RuntimeApiErrorBody = { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' };
export const INVALID_RESPONSE_MODE: RuntimeApiErrorBody = { errorMessage: 'Invalid function response mode', errorType: 'InvalidFunctionResponseMode' };
export const TRUNCATED_REQUEST: RuntimeApiErrorBody = { errorMessage: 'HTTP request detected as truncated', errorType: 'TruncatedHTTPRequest' };
export const INTERNAL_SERVER_ERROR: RuntimeApiErrorBody = { errorMessage: 'Internal Server Error', errorType: 'InternalServerError' };

export function entityTooLarge(maxBytes: number): RuntimeApiErrorBody {
  return { errorMessage: `Exceeded maximum allowed payload size (${maxBytes} bytes).`, errorType: 'RequestEntityTooLarge' };
}

export function invalidStateTransition(from: string, to: string): RuntimeApiErrorBody {
  return { errorMessage: `State transition from ${from} to ${to} failed for runtime. Error: State transition is not allowed`, errorType: 'InvalidStateTransition' };
}

/** What the caller of Invoke receives when the function answered with too many bytes. */
export function responseSizeTooLargeBody(maxBytes: number): Buffer {
  return Buffer.from(JSON.stringify({ errorMessage: `Response payload size exceeded maximum allowed payload size (${maxBytes} bytes).`, errorType: 'Function.ResponseSizeTooLarge' }));
}

/** What the caller of Invoke receives when the runtime named a response mode Lambda does not know. */
export function invalidResponseModeBody(): Buffer {
  return Buffer.from(JSON.stringify({ errorMessage: 'Invalid function response mode', errorType: 'Runtime.InvalidResponseModeHeader' }));
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendAccepted(res: ServerResponse): void {
  sendJson(res, 202, { status: 'OK' });
}

/** Routes that exist on AWS but that LambdaDesk does not offer answer 404 with nothing in the body. */
export function sendEmpty(res: ServerResponse, status: number): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Length': 0 });
  res.end();
}
