import type { Clock } from '../../clock.ts';
import type { JsonOperation } from '../dynamodb/aws-json-protocol.ts';
import { decodeIterator, encodeIterator, firstAfter, sequenceBefore } from '../stream-poller/shard-iterator.ts';
import { kinesisErrors } from './kinesis-errors.ts';
import { newStreamDefinition, type KinesisStore, type RecordInput, type StreamData } from './kinesis-store.ts';
import { isHashKey } from './shard-hash.ts';

const MAX_RECORD_BYTES = 1024 * 1024;
const ITERATOR_LIFETIME_MS = 5 * 60 * 1000;
const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

export interface KinesisApiDeps {
  store: KinesisStore;
  clock: Clock;
  region: string;
  accountId: string;
}

export function streamArn(name: string, region: string, accountId: string): string {
  return `arn:aws:kinesis:${region}:${accountId}:stream/${name}`;
}

/** Kinesis Data Streams' JSON protocol (`Kinesis_20131202.*`): what the SDKs, the CLI and the KCL's basics use. */
export function kinesisOperations({ store, clock, region, accountId }: KinesisApiDeps): Record<string, JsonOperation> {
  const nameOf = (input: Record<string, unknown>): string => {
    if (typeof input.StreamARN === 'string') {
      const name = input.StreamARN.split(':stream/')[1];
      if (!name) throw kinesisErrors.invalidArgument(`StreamARN ${input.StreamARN} is not a Kinesis stream ARN.`);
      return name;
    }
    if (typeof input.StreamName !== 'string' || !STREAM_NAME.test(input.StreamName)) {
      throw kinesisErrors.validation(`1 validation error detected: Value '${String(input.StreamName)}' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`);
    }
    return input.StreamName;
  };
  const streamOf = (input: Record<string, unknown>): StreamData => {
    const name = nameOf(input);
    const stream = store.find(name);
    if (!stream) throw kinesisErrors.streamNotFound(name, accountId);
    return stream;
  };
  const checkRecord = (raw: Record<string, unknown>, where: string): RecordInput => {
    if (typeof raw.PartitionKey !== 'string' || raw.PartitionKey.length < 1 || raw.PartitionKey.length > 256) {
      throw kinesisErrors.validation(`1 validation error detected: Value '${String(raw.PartitionKey)}' at '${where}partitionKey' failed to satisfy constraint: Member must have length less than or equal to 256 and greater than or equal to 1`);
    }
    if (typeof raw.Data !== 'string') throw kinesisErrors.validation(`1 validation error detected: Value null at '${where}data' failed to satisfy constraint: Member must not be null`);
    const bytes = Buffer.from(raw.Data, 'base64');
    if (bytes.length + Buffer.byteLength(raw.PartitionKey) > MAX_RECORD_BYTES) throw kinesisErrors.validation(`1 validation error detected: Value at '${where}data' failed to satisfy constraint: Member must have length less than or equal to 1048576`);
    if (raw.ExplicitHashKey !== undefined && (typeof raw.ExplicitHashKey !== 'string' || !isHashKey(raw.ExplicitHashKey))) {
      throw kinesisErrors.invalidArgument(`ExplicitHashKey ${String(raw.ExplicitHashKey)} is not a decimal number from 0 to 2^128 - 1.`);
    }
    return { partitionKey: raw.PartitionKey, data: bytes.toString('base64'), ...(raw.ExplicitHashKey ? { explicitHashKey: raw.ExplicitHashKey as string } : {}) };
  };
  const describeShards = (stream: StreamData) =>
    stream.definition.shards.map((shard) => ({
      ShardId: shard.shardId,
      HashKeyRange: { StartingHashKey: shard.startingHashKey, EndingHashKey: shard.endingHashKey },
      SequenceNumberRange: { StartingSequenceNumber: stream.shards.get(shard.shardId)!.sequence(0n) },
    }));
  const summary = (stream: StreamData) => ({
    StreamName: stream.definition.name,
    StreamARN: streamArn(stream.definition.name, region, accountId),
    StreamStatus: 'ACTIVE',
    StreamModeDetails: { StreamMode: stream.definition.mode },
    RetentionPeriodHours: stream.definition.retentionHours,
    StreamCreationTimestamp: stream.definition.createdAt / 1000,
    EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
    EncryptionType: 'NONE',
  });

  return {
    async CreateStream(input) {
      const name = nameOf(input);
      if (store.find(name)) throw kinesisErrors.streamExists(name, accountId);
      const onDemand = (input.StreamModeDetails as { StreamMode?: string } | undefined)?.StreamMode === 'ON_DEMAND';
      const count = input.ShardCount === undefined ? (onDemand ? 4 : 1) : Number(input.ShardCount);
      if (!Number.isInteger(count) || count < 1 || count > 500) throw kinesisErrors.invalidArgument(`ShardCount must be a whole number from 1 to 500, not ${String(input.ShardCount)}.`);
      await store.create(newStreamDefinition(name, count, clock.now(), { mode: onDemand ? 'ON_DEMAND' : 'PROVISIONED' }));
      return {};
    },
    async DeleteStream(input) {
      const stream = streamOf(input);
      await store.drop(stream.definition.name);
      return {};
    },
    ListStreams(input) {
      const names = store.list().map((s) => s.name).sort();
      const start = typeof input.ExclusiveStartStreamName === 'string' ? names.findIndex((n) => n > (input.ExclusiveStartStreamName as string)) : 0;
      const limit = input.Limit === undefined ? 100 : Number(input.Limit);
      const page = start < 0 ? [] : names.slice(start, start + limit);
      return {
        StreamNames: page,
        HasMoreStreams: start >= 0 && start + limit < names.length,
        StreamSummaries: page.map((n) => {
          const s = summary(store.find(n)!);
          return { StreamName: s.StreamName, StreamARN: s.StreamARN, StreamStatus: s.StreamStatus, StreamModeDetails: s.StreamModeDetails, StreamCreationTimestamp: s.StreamCreationTimestamp };
        }),
      };
    },
    DescribeStream(input) {
      const stream = streamOf(input);
      return { StreamDescription: { ...summary(stream), Shards: describeShards(stream), HasMoreShards: false } };
    },
    DescribeStreamSummary(input) {
      const stream = streamOf(input);
      return { StreamDescriptionSummary: { ...summary(stream), OpenShardCount: stream.shards.size, ConsumerCount: 0 } };
    },
    ListShards(input) {
      const stream = streamOf(input);
      return { Shards: describeShards(stream) };
    },
    async PutRecord(input) {
      const stream = streamOf(input);
      const [result] = await store.put(stream.definition.name, [checkRecord(input, '')]);
      return { ShardId: result!.shardId, SequenceNumber: result!.sequenceNumber, EncryptionType: 'NONE' };
    },
    async PutRecords(input) {
      const stream = streamOf(input);
      const records = input.Records;
      if (!Array.isArray(records) || records.length < 1 || records.length > 500) throw kinesisErrors.validation(`1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length less than or equal to 500 and greater than or equal to 1`);
      const checked = records.map((r: unknown, i) => checkRecord((r ?? {}) as Record<string, unknown>, `records.${i + 1}.member.`));
      const total = checked.reduce((n, r) => n + Buffer.from(r.data, 'base64').length + Buffer.byteLength(r.partitionKey), 0);
      if (total > 5 * 1024 * 1024) throw kinesisErrors.invalidArgument(`Records size exceeds 5 MB limit`);
      const results = await store.put(stream.definition.name, checked);
      return { FailedRecordCount: 0, Records: results.map((r) => ({ SequenceNumber: r.sequenceNumber, ShardId: r.shardId })), EncryptionType: 'NONE' };
    },
    GetShardIterator(input) {
      const stream = streamOf(input);
      const shardId = String(input.ShardId);
      if (!stream.shards.has(shardId)) throw kinesisErrors.shardNotFound(shardId, stream.definition.name, accountId);
      const records = store.records(stream.definition.name, shardId);
      const type = String(input.ShardIteratorType);
      const sequence = typeof input.StartingSequenceNumber === 'string' && /^\d+$/.test(input.StartingSequenceNumber) ? input.StartingSequenceNumber : undefined;
      let after: string;
      if (type === 'TRIM_HORIZON') after = '';
      else if (type === 'LATEST') after = records.at(-1)?.sequenceNumber ?? '';
      else if (type === 'AT_SEQUENCE_NUMBER' && sequence) after = sequenceBefore(sequence);
      else if (type === 'AFTER_SEQUENCE_NUMBER' && sequence) after = sequence;
      else if (type === 'AT_TIMESTAMP' && input.Timestamp !== undefined) {
        const ms = Number(input.Timestamp) * 1000;
        const first = records.find((r) => r.at >= ms);
        after = first ? sequenceBefore(first.sequenceNumber) : (records.at(-1)?.sequenceNumber ?? '');
      } else {
        throw kinesisErrors.invalidArgument(`ShardIteratorType ${type} needs ${type.includes('SEQUENCE') ? 'StartingSequenceNumber' : type === 'AT_TIMESTAMP' ? 'Timestamp' : 'to be one of TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, AT_TIMESTAMP'}.`);
      }
      return { ShardIterator: encodeIterator({ streamArn: stream.definition.name, shardId, after, issuedAt: clock.now() }) };
    },
    GetRecords(input) {
      const position = decodeIterator(input.ShardIterator);
      if (!position) throw kinesisErrors.invalidArgument('Invalid ShardIterator.');
      if (clock.now() - position.issuedAt > ITERATOR_LIFETIME_MS) throw kinesisErrors.expiredIterator();
      const limit = input.Limit === undefined ? 10_000 : Number(input.Limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw kinesisErrors.invalidArgument('Limit must be from 1 to 10000.');
      if (!store.find(position.streamArn)) throw kinesisErrors.streamNotFound(position.streamArn, accountId);
      const records = store.records(position.streamArn, position.shardId);
      const from = firstAfter(records, position.after, (r) => r.sequenceNumber);
      const page = records.slice(from, from + limit);
      const last = records.at(-1);
      return {
        Records: page.map((r) => ({ SequenceNumber: r.sequenceNumber, ApproximateArrivalTimestamp: r.at / 1000, Data: r.data, PartitionKey: r.partitionKey })),
        NextShardIterator: encodeIterator({ ...position, after: page.at(-1)?.sequenceNumber ?? position.after, issuedAt: clock.now() }),
        MillisBehindLatest: last && page.at(-1) !== last && from + page.length < records.length ? Math.max(0, last.at - (page.at(-1)?.at ?? last.at)) : 0,
      };
    },
  };
}
