import { compareSequence } from './stream-source.ts';

/** What a shard iterator stands for: a position in one shard, as of when it was issued. */
export interface IteratorPosition {
  streamArn: string;
  shardId: string;
  /** Read records after this sequence number; '' reads from the oldest. */
  after: string;
  issuedAt: number;
}

/** Shard iterators are valid for 5 minutes (Kinesis) or 15 minutes (DynamoDB Streams). */
export function encodeIterator(position: IteratorPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64');
}

export function decodeIterator(text: unknown): IteratorPosition | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    const value = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as IteratorPosition;
    return typeof value.streamArn === 'string' && typeof value.shardId === 'string' && typeof value.after === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Index of the first element whose sequence number is greater than `after` ('' means all). */
export function firstAfter<T>(items: readonly T[], after: string | undefined, sequenceOf: (item: T) => string): number {
  if (after === undefined || after === '') return 0;
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (compareSequence(sequenceOf(items[mid]!), after) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The sequence number just before `sequence` (for AT_SEQUENCE_NUMBER): decimal minus one. */
export function sequenceBefore(sequence: string): string {
  const n = BigInt(sequence) - 1n;
  return n < 0n ? '' : n.toString();
}
