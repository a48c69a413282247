import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { ProjectModel } from '../../contract.ts';
import type { EngineContext, EngineService } from '../../engine-context.ts';
import { ResourceNotFoundError, type TemplateError } from '../../errors.ts';
import type { AwsRequestContext } from '../../http/aws-request.ts';
import { MappingSupervisor, type MappingInfo } from '../stream-poller/mapping-supervisor.ts';
import { serveJsonProtocol, type JsonOperation } from './aws-json-protocol.ts';
import type { Item } from './attribute-value.ts';
import { itemOperations } from './item-operations.ts';
import { fromItem, toItem } from './plain-json.ts';
import { queryOperations } from './query-operations.ts';
import { streamViewType, type TableDefinition } from './table-definition.ts';
import { describeTable, tableOperations } from './table-operations.ts';
import { TableStreams } from './table-stream-source.ts';
import { TableStore } from './table-store.ts';
import { readTemplateTables } from './template-tables.ts';
import { writeFileAtomic } from '../../atomic-write.ts';

/** Largest DynamoDB request body (BatchWriteItem: 25 items of 400 KB, plus names). */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/** A table as the canvas and `lambdadesk table` show it. */
export interface TableInfo {
  tableName: string;
  logicalId?: string;
  itemCount: number;
  sizeBytes: number;
  keySchema: TableDefinition['KeySchema'];
  streamViewType?: string;
  streamArn?: string;
}

/**
 * DynamoDB on the AWS endpoint: the template's tables (created at start, kept in step with
 * template edits), tables made through the API, DynamoDB Streams, and the functions' `DynamoDB`
 * events polling those streams. Everything is kept under `.lambdadesk/dynamodb/`.
 */
export class DynamoDbService implements EngineService {
  readonly name = 'dynamodb';
  private store?: TableStore;
  private streams?: TableStreams;
  private operations: Record<string, JsonOperation> = {};
  private streamOperations: Record<string, JsonOperation> = {};
  private templateProblems: TemplateError[] = [];
  readonly mappings: MappingSupervisor;

  constructor(private readonly ctx: EngineContext) {
    this.mappings = new MappingSupervisor(ctx, 'DynamoDB', (mapping) => this.requireStreams().source(mapping.streamArn), (m) => `dynamodb:${m.streamArn.split('/')[1] ?? m.streamArn}`);
    ctx.endpoint.register('dynamodb', (req, res, request) => this.handle(req, res, request));
  }

  async start(): Promise<void> {
    const { ctx } = this;
    const store = await TableStore.open(join(ctx.stateDir, 'dynamodb'), ctx.clock);
    this.store = store;
    this.streams = new TableStreams({ store, region: ctx.region, accountId: ctx.accountId, now: () => ctx.clock.now() });
    const deps = { store, clock: ctx.clock, region: ctx.region, accountId: ctx.accountId };
    this.operations = { ...tableOperations(deps), ...itemOperations(store), ...queryOperations(store) };
    this.streamOperations = this.streams.operations();
    await this.syncTables(ctx.model());
    await this.mappings.sync();
  }

  async stop(): Promise<void> {
    await this.mappings.stop();
    await this.store?.close();
    this.store = undefined;
  }

  async reload(model: ProjectModel): Promise<void> {
    if (!this.store) return;
    await this.syncTables(model);
    await this.mappings.sync();
  }

  /** Template tables and `DynamoDB` events that cannot run as written: file:line:column field: problem, and the fix. */
  problems(): Array<{ message: string; fix?: string }> {
    const mappings = this.mappings.problems((m) => {
      const table = this.streams?.tableByStream(m.streamArn);
      if (!this.streams || (table && streamViewType(table.definition))) return undefined;
      const known = this.tables().flatMap((t) => (t.streamArn ? [t.streamArn] : []));
      return { message: `Stream ${m.streamArn} is not the stream of a table here, so nothing arrives. Table streams: ${known.join(', ') || 'none'}.`, fix: 'Point Stream at !GetAtt <Table>.StreamArn of a table with a StreamSpecification.' };
    });
    return [...this.templateProblems.map((e) => ({ message: e.message, fix: e.fix })), ...mappings];
  }

  tables(): TableInfo[] {
    const store = this.requireStore();
    return store.list().map((d) => {
      const table = store.require(d.TableName);
      const view = streamViewType(d);
      return { tableName: d.TableName, logicalId: d.logicalId, itemCount: table.count, sizeBytes: table.sizeBytes(), keySchema: d.KeySchema, streamViewType: view, streamArn: view ? this.requireStreams().arnOf(table) : undefined };
    });
  }

  describe(tableName: string): Record<string, unknown> {
    return describeTable(this.table(tableName), this.ctx.region, this.ctx.accountId);
  }

  /** Writes an item given as plain JSON (`{"id": "1", "qty": 2}`), or typed when `typed` is set; it reaches the stream like any PutItem. */
  async putItem(tableName: string, item: Record<string, unknown>, options: { typed?: boolean } = {}): Promise<void> {
    await this.operations.PutItem!({ TableName: this.table(tableName).definition.TableName, Item: options.typed ? item : toItem(item) }, this.localRequest());
  }

  async deleteItem(tableName: string, key: Record<string, unknown>, options: { typed?: boolean } = {}): Promise<void> {
    await this.operations.DeleteItem!({ TableName: this.table(tableName).definition.TableName, Key: options.typed ? key : toItem(key) }, this.localRequest());
  }

  /** A page of items as plain JSON, in the table's scan order. */
  scan(tableName: string, options: { limit?: number; typed?: boolean } = {}): Array<Record<string, unknown>> {
    const output = this.operations.Scan!({ TableName: this.table(tableName).definition.TableName, ...(options.limit ? { Limit: options.limit } : {}) }, this.localRequest()) as { Items: Item[] };
    return output.Items.map((item) => (options.typed ? item : fromItem(item)));
  }

  /** Resolves once every stream poller waits for records or for the clock (tests with a ManualClock). */
  idle(): Promise<void> {
    return this.mappings.idle();
  }

  streamMappings(): MappingInfo[] {
    return this.mappings.list();
  }

  private table(name: string) {
    const store = this.requireStore();
    const table = store.find(name) ?? store.list().map((d) => store.require(d.TableName)).find((t) => t.definition.logicalId === name);
    if (!table) throw new ResourceNotFoundError(`No table named ${name}. Tables: ${store.list().map((d) => d.TableName).join(', ') || 'none'}.`, 'Use a TableName or the logical id from template.yaml.');
    return table;
  }

  private localRequest(): AwsRequestContext {
    return { service: 'dynamodb', region: this.ctx.region, requestId: 'local', url: new URL('http://localhost/') };
  }

  private requireStore(): TableStore {
    if (!this.store) throw new ResourceNotFoundError('DynamoDB is not running: start the engine first.');
    return this.store;
  }

  private requireStreams(): TableStreams {
    if (!this.streams) throw new ResourceNotFoundError('DynamoDB is not running: start the engine first.');
    return this.streams;
  }

  private async handle(req: IncomingMessage, res: ServerResponse, request: AwsRequestContext): Promise<void> {
    const streamsApi = String(req.headers['x-amz-target'] ?? '').startsWith('DynamoDBStreams_20120810.');
    await serveJsonProtocol(req, res, request, {
      targetPrefix: streamsApi ? 'DynamoDBStreams_20120810' : 'DynamoDB_20120810',
      contentType: 'application/x-amz-json-1.0',
      errorNamespace: 'com.amazonaws.dynamodb.v20120810#',
      operations: streamsApi ? this.streamOperations : this.operations,
      maxBodyBytes: MAX_REQUEST_BYTES,
      serviceName: streamsApi ? 'DynamoDB Streams' : 'DynamoDB',
    });
  }

  /**
   * Creates the template's tables, and follows edits: a changed key schema replaces the table as
   * CloudFormation would (its items are first saved to `.lambdadesk/dynamodb/replaced/`); other
   * changes (indexes, stream, billing) update it in place.
   */
  private async syncTables(model: ProjectModel): Promise<void> {
    const store = this.requireStore();
    const tables = await readTemplateTables(model, this.ctx, this.ctx.clock.now());
    this.templateProblems = tables.flatMap((t) => (t.error ? [t.error] : []));
    for (const { definition } of tables) {
      if (!definition) continue;
      const existing = store.find(definition.TableName);
      if (!existing) {
        await store.createTable(definition);
        continue;
      }
      const before = existing.definition;
      const sameKeys = JSON.stringify(before.KeySchema) === JSON.stringify(definition.KeySchema) && definition.KeySchema.every((k) => before.AttributeDefinitions.find((a) => a.AttributeName === k.AttributeName)?.AttributeType === definition.AttributeDefinitions.find((a) => a.AttributeName === k.AttributeName)?.AttributeType);
      if (!sameKeys) {
        const backup = join(this.ctx.stateDir, 'dynamodb', 'replaced', `${definition.TableName}-${Math.floor(this.ctx.clock.now())}.json`);
        await writeFileAtomic(backup, JSON.stringify({ definition: before, items: existing.all() }));
        await store.deleteTable(definition.TableName);
        await store.createTable(definition);
        continue;
      }
      const next: TableDefinition = { ...definition, createdAt: before.createdAt, tableId: before.tableId };
      const { createdAt: _a, tableId: _b, ...comparable } = next;
      const { createdAt: _c, tableId: _d, ...current } = before;
      if (JSON.stringify(comparable) !== JSON.stringify(current)) await store.updateTable(next);
    }
  }
}

export const createDynamoDbService = (ctx: EngineContext): DynamoDbService => new DynamoDbService(ctx);
