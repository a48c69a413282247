import { decodeIterator, encodeIterator, firstAfter, sequenceBefore } from '../stream-poller/shard-iterator.ts';
import type { ShardRecord, StreamSource } from '../stream-poller/stream-source.ts';
import type { JsonOperation } from './aws-json-protocol.ts';
import { dynamoErrors } from './dynamodb-errors.ts';
import { keyNames, streamArnOf, streamShardId, streamViewType } from './table-definition.ts';
import { lambdaStreamRecord, streamApiRecord } from './stream-record.ts';
import type { TableData, TableStore } from './table-store.ts';

const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;

export interface TableStreamsDeps {
  store: TableStore;
  region: string;
  accountId: string;
  now: () => number;
}

/**
 * A table's stream, as the poller and the DynamoDB Streams API read it. Each table stream here
 * has one shard (a local table is one partition), named after the table's creation.
 */
export class TableStreams {
  constructor(private readonly deps: TableStreamsDeps) {}

  arnOf(table: TableData): string {
    return streamArnOf(table.definition, this.deps.region, this.deps.accountId);
  }

  /** The table whose stream has this ARN (enabled or not), if any. */
  tableByStream(arn: string): TableData | undefined {
    for (const definition of this.deps.store.list()) {
      const table = this.deps.store.find(definition.TableName)!;
      if (this.arnOf(table) === arn) return table;
    }
    return undefined;
  }

  /** The poller's view of one stream ARN; the table may come and go while it runs. */
  source(streamArn: string): StreamSource {
    const { store, region } = this.deps;
    const shardOf = () => {
      const table = this.tableByStream(streamArn);
      return table ? { table, shardId: streamShardId(table.definition) } : undefined;
    };
    const records = (shardId: string) => {
      const found = shardOf();
      return found && found.shardId === shardId ? { table: found.table, changes: store.streamOf(found.table.definition.TableName) } : undefined;
    };
    return {
      streamArn,
      kind: 'DynamoDB',
      shards: () => {
        const found = shardOf();
        return found && (streamViewType(found.table.definition) || found.table.stream.length > 0) ? [{ shardId: found.shardId }] : [];
      },
      read(shardId, afterSequence, limit): ShardRecord[] {
        const found = records(shardId);
        if (!found) return [];
        const hash = keyNames(found.table.definition.KeySchema).hash;
        const from = firstAfter(found.changes, afterSequence, (c) => c.sequenceNumber);
        return found.changes.slice(from, from + limit).map((c) => lambdaStreamRecord(c, region, streamArn, hash));
      },
      latestSequence: (shardId) => records(shardId)?.changes.at(-1)?.sequenceNumber,
      sequenceBefore(shardId, epochMs) {
        const changes = records(shardId)?.changes ?? [];
        const first = changes.find((c) => c.at >= epochMs);
        return first ? sequenceBefore(first.sequenceNumber) : changes.at(-1)?.sequenceNumber;
      },
      onAppend(listener) {
        const handler = (tableName: string) => {
          const found = shardOf();
          if (found && found.table.definition.TableName === tableName) listener(found.shardId);
        };
        store.events.on('stream:appended', handler);
        return () => store.events.off('stream:appended', handler);
      },
    };
  }

  /** The DynamoDB Streams API (`DynamoDBStreams_20120810.*`), for code that reads streams itself. */
  operations(): Record<string, JsonOperation> {
    const { store, region } = this.deps;
    const describe = (arn: unknown) => {
      const table = typeof arn === 'string' ? this.tableByStream(arn) : undefined;
      if (!table || !streamViewType(table.definition)) throw dynamoErrors.resourceNotFound(`Requested resource not found: Stream: ${String(arn)} not found`);
      return table;
    };
    return {
      ListStreams: (input) => {
        const tables = store
          .list()
          .filter((d) => streamViewType(d) && (input.TableName === undefined || d.TableName === input.TableName))
          .map((d) => store.find(d.TableName)!);
        return { Streams: tables.map((t) => ({ StreamArn: this.arnOf(t), TableName: t.definition.TableName, StreamLabel: t.definition.streamLabel })) };
      },
      DescribeStream: (input) => {
        const table = describe(input.StreamArn);
        const changes = store.streamOf(table.definition.TableName);
        return {
          StreamDescription: {
            StreamArn: this.arnOf(table),
            StreamLabel: table.definition.streamLabel,
            StreamStatus: 'ENABLED',
            StreamViewType: streamViewType(table.definition),
            CreationRequestDateTime: table.definition.createdAt / 1000,
            TableName: table.definition.TableName,
            KeySchema: table.definition.KeySchema,
            Shards: [{ ShardId: streamShardId(table.definition), SequenceNumberRange: { StartingSequenceNumber: changes[0]?.sequenceNumber ?? '100000000000000000000' } }],
          },
        };
      },
      GetShardIterator: (input) => {
        const table = describe(input.StreamArn);
        const shardId = streamShardId(table.definition);
        if (input.ShardId !== shardId) throw dynamoErrors.resourceNotFound(`Requested resource not found: Shard does not exist`);
        const changes = store.streamOf(table.definition.TableName);
        const type = String(input.ShardIteratorType);
        const sequence = typeof input.SequenceNumber === 'string' ? input.SequenceNumber : undefined;
        let after: string;
        if (type === 'TRIM_HORIZON') after = '';
        else if (type === 'LATEST') after = changes.at(-1)?.sequenceNumber ?? '';
        else if ((type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER') && sequence && /^\d+$/.test(sequence)) after = type === 'AT_SEQUENCE_NUMBER' ? sequenceBefore(sequence) : sequence;
        else throw dynamoErrors.validation(`ShardIteratorType must be TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER (the last two with SequenceNumber), not ${type}.`);
        return { ShardIterator: encodeIterator({ streamArn: this.arnOf(table), shardId, after, issuedAt: this.deps.now() }) };
      },
      GetRecords: (input) => {
        const position = decodeIterator(input.ShardIterator);
        if (!position) throw dynamoErrors.validation('Invalid ShardIterator');
        if (this.deps.now() - position.issuedAt > ITERATOR_LIFETIME_MS) throw dynamoErrors.expiredIterator();
        const limit = input.Limit === undefined ? 1000 : Number(input.Limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw dynamoErrors.validation('Limit must be from 1 to 1000.');
        const table = describe(position.streamArn);
        const changes = store.streamOf(table.definition.TableName);
        const from = firstAfter(changes, position.after, (c) => c.sequenceNumber);
        const page = changes.slice(from, from + limit);
        const after = page.at(-1)?.sequenceNumber ?? position.after;
        return { Records: page.map((c) => streamApiRecord(c, region)), NextShardIterator: encodeIterator({ ...position, after, issuedAt: this.deps.now() }) };
      },
    };
  }
}
