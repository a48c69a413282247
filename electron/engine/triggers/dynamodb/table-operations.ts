import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import type { JsonOperation } from './aws-json-protocol.ts';
import { dynamoErrors } from './dynamodb-errors.ts';
import { streamArnOf, streamViewType, tableArnOf, type TableDefinition } from './table-definition.ts';
import { checkTableDefinition, checkTableName, streamSpecification } from './table-schema.ts';
import type { TableData, TableStore } from './table-store.ts';

export interface TableOperationsDeps {
  store: TableStore;
  clock: Clock;
  region: string;
  accountId: string;
}

/** A stream label is the stream's creation time: `2015-06-27T00:48:05.899`. */
export function streamLabelAt(ms: number): string {
  return new Date(Math.floor(ms)).toISOString().slice(0, 23);
}

/** DescribeTable's TableDescription: every table is ACTIVE at once, as there is nothing to provision. */
export function describeTable(table: TableData, region: string, accountId: string): Record<string, unknown> {
  const d = table.definition;
  const arn = tableArnOf(d, region, accountId);
  const throughput = { NumberOfDecreasesToday: 0, ReadCapacityUnits: d.ProvisionedThroughput?.ReadCapacityUnits ?? 0, WriteCapacityUnits: d.ProvisionedThroughput?.WriteCapacityUnits ?? 0 };
  const view = streamViewType(d);
  const index = (i: NonNullable<TableDefinition['GlobalSecondaryIndexes']>[number], global: boolean) => ({
    IndexName: i.IndexName,
    KeySchema: i.KeySchema,
    Projection: i.Projection,
    ...(global ? { IndexStatus: 'ACTIVE', ProvisionedThroughput: throughput } : {}),
    IndexSizeBytes: 0,
    ItemCount: 0,
    IndexArn: `${arn}/index/${i.IndexName}`,
  });
  return {
    AttributeDefinitions: d.AttributeDefinitions,
    TableName: d.TableName,
    KeySchema: d.KeySchema,
    TableStatus: 'ACTIVE',
    CreationDateTime: d.createdAt / 1000,
    ProvisionedThroughput: throughput,
    TableSizeBytes: table.sizeBytes(),
    ItemCount: table.count,
    TableArn: arn,
    TableId: d.tableId,
    BillingModeSummary: { BillingMode: d.BillingMode, LastUpdateToPayPerRequestDateTime: d.createdAt / 1000 },
    ...(d.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: d.GlobalSecondaryIndexes.map((i) => index(i, true)) } : {}),
    ...(d.LocalSecondaryIndexes ? { LocalSecondaryIndexes: d.LocalSecondaryIndexes.map((i) => index(i, false)) } : {}),
    ...(d.StreamSpecification ? { StreamSpecification: d.StreamSpecification } : {}),
    ...(view ? { LatestStreamLabel: d.streamLabel, LatestStreamArn: streamArnOf(d, region, accountId) } : {}),
    DeletionProtectionEnabled: false,
  };
}

export function tableOperations({ store, clock, region, accountId }: TableOperationsDeps): Record<string, JsonOperation> {
  return {
    async CreateTable(input) {
      const createdAt = clock.now();
      const definition = checkTableDefinition(input, { createdAt, tableId: randomUUID(), streamLabel: streamLabelAt(createdAt) });
      await store.createTable(definition);
      const description = describeTable(store.require(definition.TableName), region, accountId);
      return { TableDescription: { ...description, TableStatus: 'ACTIVE' } };
    },
    DescribeTable(input) {
      const name = checkTableName(input.TableName);
      return { Table: describeTable(store.require(name), region, accountId) };
    },
    ListTables(input) {
      const limit = input.Limit === undefined ? 100 : Number(input.Limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw dynamoErrors.validation(`1 validation error detected: Value '${String(input.Limit)}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100`);
      const names = store.list().map((t) => t.TableName).sort();
      const start = typeof input.ExclusiveStartTableName === 'string' ? names.findIndex((n) => n > (input.ExclusiveStartTableName as string)) : 0;
      const page = start < 0 ? [] : names.slice(start, start + limit);
      const more = start >= 0 && start + limit < names.length;
      return { TableNames: page, ...(more ? { LastEvaluatedTableName: page[page.length - 1] } : {}) };
    },
    async DeleteTable(input) {
      const name = checkTableName(input.TableName);
      const description = describeTable(store.require(name), region, accountId);
      await store.deleteTable(name);
      return { TableDescription: { ...description, TableStatus: 'DELETING' } };
    },
    async UpdateTable(input) {
      const name = checkTableName(input.TableName);
      const table = store.require(name);
      const next: TableDefinition = structuredClone(table.definition);
      if (input.StreamSpecification !== undefined) {
        const before = streamViewType(table.definition);
        next.StreamSpecification = streamSpecification(input.StreamSpecification);
        const after = streamViewType(next);
        if (before && after) throw dynamoErrors.validation(`Table already has an enabled stream: TableName: ${name}`);
        if (!before && !after) throw dynamoErrors.validation(`Table already has no enabled stream: TableName: ${name}`);
        // A stream enabled anew is a new stream, with its own label (template tables keep theirs).
        if (after && !next.logicalId) next.streamLabel = streamLabelAt(clock.now());
      }
      if (input.BillingMode !== undefined) next.BillingMode = input.BillingMode === 'PROVISIONED' ? 'PROVISIONED' : 'PAY_PER_REQUEST';
      if (input.ProvisionedThroughput !== undefined) {
        const t = input.ProvisionedThroughput as Record<string, number>;
        next.ProvisionedThroughput = { ReadCapacityUnits: Number(t.ReadCapacityUnits), WriteCapacityUnits: Number(t.WriteCapacityUnits) };
      }
      if (Array.isArray(input.GlobalSecondaryIndexUpdates)) {
        if (Array.isArray(input.AttributeDefinitions)) next.AttributeDefinitions = mergeDefinitions(next.AttributeDefinitions, input.AttributeDefinitions as TableDefinition['AttributeDefinitions']);
        for (const update of input.GlobalSecondaryIndexUpdates as Array<Record<string, Record<string, unknown>>>) {
          const create = update.Create;
          if (create) {
            const keys = [...next.KeySchema, ...((create.KeySchema as Array<{ AttributeName: string }>) ?? [])];
            const checked = checkTableDefinition({ ...next, GlobalSecondaryIndexes: [create], LocalSecondaryIndexes: undefined, AttributeDefinitions: next.AttributeDefinitions.filter((a) => keys.some((k) => k.AttributeName === a.AttributeName)) }, next);
            next.GlobalSecondaryIndexes = [...(next.GlobalSecondaryIndexes ?? []), ...(checked.GlobalSecondaryIndexes ?? [])];
          } else if (update.Delete) {
            next.GlobalSecondaryIndexes = (next.GlobalSecondaryIndexes ?? []).filter((i) => i.IndexName !== update.Delete!.IndexName);
          }
        }
      }
      await store.updateTable(next);
      return { TableDescription: describeTable(store.require(name), region, accountId) };
    },
    DescribeTimeToLive(input) {
      store.require(checkTableName(input.TableName));
      return { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } };
    },
    DescribeEndpoints() {
      return { Endpoints: [{ Address: 'localhost', CachePeriodInMinutes: 1440 }] };
    },
  };
}

function mergeDefinitions(current: TableDefinition['AttributeDefinitions'], added: TableDefinition['AttributeDefinitions']): TableDefinition['AttributeDefinitions'] {
  const out = [...current];
  for (const a of added) if (!out.some((b) => b.AttributeName === a.AttributeName)) out.push(a);
  return out;
}
