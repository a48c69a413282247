import { createHash } from 'node:crypto';

/** The whole hash key space of a stream: 0 to 2^128 - 1. */
const SPACE = 2n ** 128n;

export interface HashRange {
  start: bigint;
  end: bigint;
}

/** How CreateStream splits the hash key space: ShardCount even ranges, the last one taking the rest. */
export function evenRanges(shardCount: number): HashRange[] {
  const size = SPACE / BigInt(shardCount);
  return Array.from({ length: shardCount }, (_, i) => ({ start: size * BigInt(i), end: i === shardCount - 1 ? SPACE - 1n : size * BigInt(i + 1) - 1n }));
}

/** Kinesis maps a partition key to a 128-bit integer by its MD5 digest; ExplicitHashKey overrides it. */
export function hashKeyOf(partitionKey: string, explicitHashKey?: string): bigint {
  if (explicitHashKey !== undefined) return BigInt(explicitHashKey);
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

export function inRange(hash: bigint, range: HashRange): boolean {
  return hash >= range.start && hash <= range.end;
}

export function isHashKey(text: string): boolean {
  return /^\d{1,39}$/.test(text) && BigInt(text) < SPACE;
}
