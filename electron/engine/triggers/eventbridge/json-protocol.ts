import type { ServerResponse } from 'node:http';
import { toLambdaDeskError } from '../../errors.ts';

const CONTENT_TYPE = 'application/x-amz-json-1.1';

export function sendJson(res: ServerResponse, body: unknown, requestId: string): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': requestId });
  res.end(text);
}

/**
 * JSON 1.1 errors. The SDK reads the `x-amzn-ErrorType` header, but botocore (the AWS CLI)
 * reads `__type` from the body and otherwise reports the bare status code, so both are sent.
 */
export function sendJsonError(res: ServerResponse, err: unknown, requestId: string): void {
  const e = toLambdaDeskError(err);
  if (res.headersSent) {
    res.destroy(e);
    return;
  }
  const text = JSON.stringify({ __type: e.awsName, message: e.message, ...e.extraBody() });
  res.writeHead(e.status, { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(text), 'x-amzn-errortype': e.awsName, 'x-amzn-requestid': requestId, ...e.extraHeaders() });
  res.end(text);
}
