import type { ServerResponse } from 'node:http';
import { toLambdaDeskError } from '../errors.ts';

/**
 * Service errors as AWS sends them: clients pick their exception class from
 * `x-amzn-ErrorType`, so the name must be exact; `Type` and the message key follow the shape.
 */
export function sendAwsError(res: ServerResponse, err: unknown, requestId: string): void {
  const e = toLambdaDeskError(err);
  if (res.headersSent) {
    res.destroy(e);
    return;
  }
  const body = JSON.stringify({ Type: e.status < 500 ? 'User' : 'Service', [e.messageKey]: e.message, ...e.extraBody() });
  res.writeHead(e.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-errortype': e.awsName,
    'x-amzn-requestid': requestId,
    ...e.extraHeaders(),
  });
  res.end(body);
}
