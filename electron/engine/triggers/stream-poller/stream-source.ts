/** One record of a shard as the poller sees it, whatever the stream (Kinesis, DynamoDB). */
export interface ShardRecord {
  /** Decimal string; grows within a shard. */
  sequenceNumber: string;
  /** What orders records: the same key is always delivered in order (and to the same virtual shard). */
  partitionKey: string;
  /** Epoch ms when the record entered the stream. */
  arrivalMs: number;
  /** The record as the function receives it inside `Records` (already in AWS's shape). */
  event: Record<string, unknown>;
  /** What FilterCriteria patterns are matched against (Kinesis: `data` decoded when it is JSON). */
  filterView: Record<string, unknown>;
  sizeBytes: number;
}

export interface ShardInfo {
  shardId: string;
}

/**
 * A stream the poller reads: its shards and their records in sequence order. Kinesis streams
 * and DynamoDB table streams implement it; the poller knows nothing else about them.
 */
export interface StreamSource {
  readonly streamArn: string;
  /** `Kinesis` or `DynamoDB`: chooses the on-failure record's batch-info key. */
  readonly kind: 'Kinesis' | 'DynamoDB';
  shards(): ShardInfo[];
  /** Records of a shard after `afterSequence` (all of them when undefined), oldest first, at most `limit`. */
  read(shardId: string, afterSequence: string | undefined, limit: number, accept?: (record: ShardRecord) => boolean): ShardRecord[];
  /** The newest sequence number of a shard (LATEST starts after it), undefined when empty. */
  latestSequence(shardId: string): string | undefined;
  /** Sequence number of the first record at or after `epochMs` minus one step, for AT_TIMESTAMP. */
  sequenceBefore(shardId: string, epochMs: number): string | undefined;
  /** Called whenever records are appended to a shard; returns an unsubscribe function. */
  onAppend(listener: (shardId: string) => void): () => void;
}

/** Compares decimal sequence numbers of one shard. */
export function compareSequence(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
