import type { StreamMapping } from '../stream-poller/mapping-config.ts';
import { firstAfter, sequenceBefore } from '../stream-poller/shard-iterator.ts';
import type { ShardRecord, StreamSource } from '../stream-poller/stream-source.ts';
import type { KinesisRecord, KinesisStore } from './kinesis-store.ts';

/** A Kinesis record as a `Kinesis` event hands it to a function (sam-events/kinesis/Kinesis.json). */
export function lambdaKinesisRecord(record: KinesisRecord, shardId: string, ids: { region: string; streamArn: string; invokeIdentityArn: string }): ShardRecord {
  const kinesis = {
    kinesisSchemaVersion: '1.0',
    partitionKey: record.partitionKey,
    sequenceNumber: record.sequenceNumber,
    data: record.data,
    approximateArrivalTimestamp: record.at / 1000,
  };
  const event = {
    kinesis,
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${record.sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: ids.invokeIdentityArn,
    awsRegion: ids.region,
    eventSourceARN: ids.streamArn,
  };
  // FilterCriteria match the `kinesis` fields, with `data` decoded when it is JSON.
  return { sequenceNumber: record.sequenceNumber, partitionKey: record.partitionKey, arrivalMs: record.at, event, filterView: { ...kinesis, data: decodedData(record.data) }, sizeBytes: Buffer.from(record.data, 'base64').length };
}

function decodedData(base64: string): unknown {
  const text = Buffer.from(base64, 'base64').toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** One mapping's view of a stream (the stream may be created or deleted while it runs). */
export function kinesisSource(store: KinesisStore, mapping: StreamMapping, ids: { region: string; accountId: string }): StreamSource {
  const name = mapping.streamArn.split(':stream/')[1] ?? '';
  const invokeIdentityArn = `arn:aws:iam::${ids.accountId}:role/${mapping.functionLogicalId}Role`;
  const records = (shardId: string) => store.records(name, shardId);
  return {
    streamArn: mapping.streamArn,
    kind: 'Kinesis',
    shards: () => store.find(name)?.definition.shards.map((s) => ({ shardId: s.shardId })) ?? [],
    read(shardId, afterSequence, limit) {
      const all = records(shardId);
      const from = firstAfter(all, afterSequence, (r) => r.sequenceNumber);
      return all.slice(from, from + limit).map((r) => lambdaKinesisRecord(r, shardId, { region: ids.region, streamArn: mapping.streamArn, invokeIdentityArn }));
    },
    latestSequence: (shardId) => records(shardId).at(-1)?.sequenceNumber,
    sequenceBefore(shardId, epochMs) {
      const all = records(shardId);
      const first = all.find((r) => r.at >= epochMs);
      return first ? sequenceBefore(first.sequenceNumber) : all.at(-1)?.sequenceNumber;
    },
    onAppend(listener) {
      const handler = (stream: string, shardId: string) => {
        if (stream === name) listener(shardId);
      };
      store.events.on('records:appended', handler);
      return () => store.events.off('records:appended', handler);
    },
  };
}
