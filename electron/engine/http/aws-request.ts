import type { IncomingMessage } from 'node:http';
import { RequestTooLargeError } from '../errors.ts';

/** What the router learns from a request before a service sees it. */
export interface AwsRequestContext {
  /** SigV4 service name (`lambda`, `sqs`, `s3`, …), or the one guessed from the request's shape. */
  service: string;
  region: string;
  requestId: string;
  url: URL;
}

const CREDENTIAL_SCOPE = /Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/;
/** A queue URL's path: `/<12-digit account id>/<queue name>`. */
const SQS_QUEUE_PATH = /^\/\d{12}\/[\w-]{1,80}(\.fifo)?$/;

/**
 * Finds the service a request is for from its SigV4 credential scope (header or presigned
 * query), as AWS's single-endpoint emulators do; unsigned requests are recognised by shape.
 */
export function credentialScope(req: IncomingMessage, url: URL): { region: string; service: string } | undefined {
  const header = req.headers.authorization ?? '';
  const fromHeader = CREDENTIAL_SCOPE.exec(header);
  if (fromHeader) return { region: fromHeader[1]!, service: fromHeader[2]! };
  const credential = url.searchParams.get('X-Amz-Credential');
  if (credential) {
    const parts = credential.split('/');
    if (parts.length >= 5) return { region: parts[2]!, service: parts[3]! };
  }
  return undefined;
}

/**
 * Unsigned requests (curl, tests): guess the service from the target header, the path and the
 * content type. Only the URL, method and headers are read: the body stays for the service.
 */
export function serviceByShape(req: IncomingMessage, url: URL): string | undefined {
  const target = String(req.headers['x-amz-target'] ?? '');
  if (target.startsWith('AmazonSQS')) return 'sqs';
  if (target.startsWith('DynamoDB')) return 'dynamodb';
  if (target.startsWith('AWSEvents')) return 'events';
  if (target.startsWith('Kinesis')) return 'kinesis';
  if (/^\/20\d\d-\d\d-\d\d\/functions(\/|$)/.test(url.pathname)) return 'lambda';
  // SQS's query protocol sends `Action=…` to the queue URL, as a form or in the query string.
  if (SQS_QUEUE_PATH.test(url.pathname) && (isFormEncoded(req) || url.searchParams.has('Action'))) return 'sqs';
  return undefined;
}

function isFormEncoded(req: IncomingMessage): boolean {
  return /^application\/x-www-form-urlencoded\s*(;|$)/i.test(String(req.headers['content-type'] ?? ''));
}

/** Reads a request body up to a limit; past it, the service's own "too large" error. */
export async function readBody(req: IncomingMessage, limitBytes: number, tooLarge: () => Error = () => new RequestTooLargeError('Request is too large.')): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limitBytes) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
