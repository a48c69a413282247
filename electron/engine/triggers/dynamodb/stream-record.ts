import type { ShardRecord } from '../stream-poller/stream-source.ts';
import { keyText } from './attribute-value.ts';
import type { StreamChange } from './table-store.ts';

/** A change as DynamoDB Streams' GetRecords returns it. */
export function streamApiRecord(change: StreamChange, region: string): Record<string, unknown> {
  return {
    eventID: change.eventId,
    eventName: change.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(change.at / 1000),
      Keys: change.keys,
      ...(change.newImage ? { NewImage: change.newImage } : {}),
      ...(change.oldImage ? { OldImage: change.oldImage } : {}),
      SequenceNumber: change.sequenceNumber,
      SizeBytes: change.sizeBytes,
      StreamViewType: change.viewType,
    },
  };
}

/** A change as a `DynamoDB` event hands it to a function: the stream record plus its source ARN. */
export function lambdaStreamRecord(change: StreamChange, region: string, streamArn: string, hashKey: string): ShardRecord {
  const event = { ...streamApiRecord(change, region), eventSourceARN: streamArn };
  // Changes of items with the same partition key stay in order: it picks the virtual shard.
  const hash = change.keys[hashKey];
  const partitionKey = hash ? keyText(hash) : JSON.stringify(change.keys);
  return { sequenceNumber: change.sequenceNumber, partitionKey, arrivalMs: change.at, event, filterView: event, sizeBytes: change.sizeBytes };
}
