import { createHash } from 'node:crypto';

/**
 * Object keys in S3 event notifications are form-URL-encoded (`red flower.jpg` → `red+flower.jpg`,
 * `a=b` → `a%3Db`), with `/` kept as it is.
 */
export function encodeEventKey(key: string): string {
  return Array.from(Buffer.from(key, 'utf8'))
    .map((byte) => {
      const c = String.fromCharCode(byte);
      if (/[A-Za-z0-9\-_.*/]/.test(c)) return c;
      if (c === ' ') return '+';
      return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

let lastSequencer = 0n;

/** A hex sequencer that grows with every event, as S3's does per key (it is only ever compared). */
export function nextSequencer(nowMs: number): string {
  const candidate = BigInt(Math.floor(nowMs)) * 1_000_000n;
  lastSequencer = candidate > lastSequencer ? candidate : lastSequencer + 1n;
  return lastSequencer.toString(16).toUpperCase().padStart(18, '0');
}

export interface S3EventInput {
  eventName: string;
  region: string;
  accountId: string;
  partition: string;
  bucket: string;
  key: string;
  /** Created objects only. */
  size?: number;
  etag?: string;
  eventTime: number;
  requestId: string;
  sourceIp: string;
  configurationId: string;
}

/** The id S3 shows as the bucket owner and principal in events: stable per account. */
export function principalIdOf(accountId: string): string {
  return `A${createHash('sha1').update(accountId).digest('hex').slice(0, 13).toUpperCase()}`;
}

/** One `Records[]` entry exactly as S3 sends it (lambda-contract.md §6, sam-events/s3). */
export function s3EventRecord(input: S3EventInput): Record<string, unknown> {
  const object: Record<string, unknown> = { key: encodeEventKey(input.key) };
  if (input.size !== undefined) object.size = input.size;
  if (input.etag !== undefined) object.eTag = input.etag;
  object.sequencer = nextSequencer(input.eventTime);
  const principal = principalIdOf(input.accountId);
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: input.region,
    eventTime: new Date(input.eventTime).toISOString(),
    eventName: input.eventName,
    userIdentity: { principalId: `AWS:${principal}` },
    requestParameters: { sourceIPAddress: input.sourceIp },
    responseElements: {
      'x-amz-request-id': input.requestId.replace(/-/g, '').slice(0, 16).toUpperCase(),
      'x-amz-id-2': createHash('sha256').update(input.requestId).digest('base64'),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: input.configurationId,
      bucket: { name: input.bucket, ownerIdentity: { principalId: principal }, arn: `arn:${input.partition}:s3:::${input.bucket}` },
      object,
    },
  };
}
