import type { ShardRecord } from './stream-source.ts';

export type DiscardCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

export interface DiscardedBatch {
  kind: 'Kinesis' | 'DynamoDB';
  streamArn: string;
  shardId: string;
  records: readonly ShardRecord[];
  condition: DiscardCondition;
  functionArn: string;
  /** Invokes that carried these records (0 when they aged out before any). */
  invokeCount: number;
  /** The last invoke's outcome, when there was one. */
  lastResponse?: { requestId: string; executedVersion: string; functionError?: string };
  atMs: number;
}

/**
 * The document Lambda sends to a stream mapping's on-failure destination: metadata about the
 * discarded batch (its shard and sequence range), never the records themselves.
 */
export function failureRecord(batch: DiscardedBatch): string {
  const first = batch.records[0]!;
  const last = batch.records[batch.records.length - 1]!;
  const info = {
    shardId: batch.shardId,
    startSequenceNumber: first.sequenceNumber,
    endSequenceNumber: last.sequenceNumber,
    approximateArrivalOfFirstRecord: isoTime(first.arrivalMs, batch.kind),
    approximateArrivalOfLastRecord: isoTime(last.arrivalMs, batch.kind),
    batchSize: batch.records.length,
    streamArn: batch.streamArn,
  };
  const document = {
    requestContext: {
      requestId: batch.lastResponse?.requestId ?? '',
      functionArn: batch.functionArn,
      condition: batch.condition,
      approximateInvokeCount: batch.invokeCount,
    },
    responseContext: batch.lastResponse
      ? { statusCode: 200, executedVersion: batch.lastResponse.executedVersion, functionError: batch.lastResponse.functionError ?? '' }
      : { statusCode: 0, executedVersion: '', functionError: '' },
    version: '1.0',
    timestamp: new Date(batch.atMs).toISOString(),
    [batch.kind === 'Kinesis' ? 'KinesisBatchInfo' : 'DDBStreamBatchInfo']: info,
  };
  return JSON.stringify(document);
}

/** DynamoDB streams report arrival to the second; Kinesis to the millisecond. */
function isoTime(ms: number, kind: DiscardedBatch['kind']): string {
  const iso = new Date(Math.floor(ms)).toISOString();
  return kind === 'DynamoDB' ? `${iso.slice(0, 19)}Z` : iso;
}
