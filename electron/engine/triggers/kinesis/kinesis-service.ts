import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { ProjectModel } from '../../contract.ts';
import type { EngineContext, EngineService } from '../../engine-context.ts';
import { ResourceNotFoundError } from '../../errors.ts';
import type { AwsRequestContext } from '../../http/aws-request.ts';
import { serveJsonProtocol, type JsonOperation } from '../dynamodb/aws-json-protocol.ts';
import { MappingSupervisor, type MappingInfo } from '../stream-poller/mapping-supervisor.ts';
import { kinesisOperations, streamArn } from './kinesis-api.ts';
import { kinesisSource } from './kinesis-source.ts';
import { KinesisStore } from './kinesis-store.ts';
import { readTemplateStreams } from './template-streams.ts';

/** PutRecords carries up to 5 MB of data, base64-encoded in JSON. */
const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

/** A stream as the canvas and `lambdadesk stream` show it. */
export interface StreamInfo {
  streamName: string;
  streamArn: string;
  logicalId?: string;
  shards: Array<{ shardId: string; records: number; latestSequenceNumber?: string }>;
}

/**
 * Kinesis Data Streams on the AWS endpoint: the template's streams (created at start), streams
 * made through the API, and the functions' `Kinesis` events polling them. State is kept under
 * `.lambdadesk/kinesis/`, checkpoints under `.lambdadesk/stream-mappings/`.
 */
export class KinesisService implements EngineService {
  readonly name = 'kinesis';
  readonly mappings: MappingSupervisor;
  private store?: KinesisStore;
  private operations: Record<string, JsonOperation> = {};
  private templateProblems: Array<{ message: string; fix?: string }> = [];

  constructor(private readonly ctx: EngineContext) {
    this.mappings = new MappingSupervisor(ctx, 'Kinesis', (mapping) => kinesisSource(this.requireStore(), mapping, ctx), (m) => `kinesis:${m.streamArn.split(':stream/')[1] ?? m.streamArn}`);
    ctx.endpoint.register('kinesis', (req, res, request) => this.handle(req, res, request));
  }

  async start(): Promise<void> {
    const { ctx } = this;
    this.store = await KinesisStore.open(join(ctx.stateDir, 'kinesis'), ctx.clock);
    this.operations = kinesisOperations({ store: this.store, clock: ctx.clock, region: ctx.region, accountId: ctx.accountId });
    await this.syncStreams(ctx.model());
    await this.mappings.sync();
  }

  async stop(): Promise<void> {
    await this.mappings.stop();
    await this.store?.close();
    this.store = undefined;
  }

  async reload(model: ProjectModel): Promise<void> {
    if (!this.store) return;
    await this.syncStreams(model);
    await this.mappings.sync();
  }

  problems(): Array<{ message: string; fix?: string }> {
    const mappings = this.mappings.problems((m) => {
      const name = m.streamArn.split(':stream/')[1] ?? '';
      if (!this.store || this.store.find(name)) return undefined;
      return { message: `Stream ${m.streamArn} is not a Kinesis stream here, so nothing arrives. Streams: ${this.store.list().map((d) => d.name).join(', ') || 'none'}.`, fix: 'Point Stream at !GetAtt <Stream>.Arn of an AWS::Kinesis::Stream in template.yaml (or create it with aws kinesis create-stream).' };
    });
    return [...this.templateProblems, ...mappings];
  }

  streams(): StreamInfo[] {
    const store = this.requireStore();
    return store.list().map((d) => ({
      streamName: d.name,
      streamArn: streamArn(d.name, this.ctx.region, this.ctx.accountId),
      logicalId: d.logicalId,
      shards: d.shards.map((s) => {
        const records = store.records(d.name, s.shardId);
        return { shardId: s.shardId, records: records.length, latestSequenceNumber: records.at(-1)?.sequenceNumber };
      }),
    }));
  }

  /** Puts one record (data as text or bytes) the way PutRecord does; resolves once it is durable. */
  async putRecord(stream: string, data: string | Buffer, partitionKey: string): Promise<{ shardId: string; sequenceNumber: string }> {
    const name = this.streamName(stream);
    const output = (await this.operations.PutRecord!({ StreamName: name, PartitionKey: partitionKey, Data: Buffer.from(data).toString('base64') }, this.localRequest())) as { ShardId: string; SequenceNumber: string };
    return { shardId: output.ShardId, sequenceNumber: output.SequenceNumber };
  }

  /** Resolves once every stream poller waits for records or for the clock (tests with a ManualClock). */
  idle(): Promise<void> {
    return this.mappings.idle();
  }

  streamMappings(): MappingInfo[] {
    return this.mappings.list();
  }

  private streamName(nameOrLogicalId: string): string {
    const store = this.requireStore();
    const found = store.find(nameOrLogicalId)?.definition ?? store.list().find((d) => d.logicalId === nameOrLogicalId);
    if (!found) throw new ResourceNotFoundError(`No Kinesis stream named ${nameOrLogicalId}. Streams: ${store.list().map((d) => d.name).join(', ') || 'none'}.`, 'Use a stream name or the logical id from template.yaml.');
    return found.name;
  }

  private localRequest(): AwsRequestContext {
    return { service: 'kinesis', region: this.ctx.region, requestId: 'local', url: new URL('http://localhost/') };
  }

  private requireStore(): KinesisStore {
    if (!this.store) throw new ResourceNotFoundError('Kinesis is not running: start the engine first.');
    return this.store;
  }

  private async handle(req: IncomingMessage, res: ServerResponse, request: AwsRequestContext): Promise<void> {
    await serveJsonProtocol(req, res, request, {
      targetPrefix: 'Kinesis_20131202',
      contentType: 'application/x-amz-json-1.1',
      errorNamespace: '',
      operations: this.operations,
      maxBodyBytes: MAX_REQUEST_BYTES,
      serviceName: 'Kinesis',
    });
  }

  /** Creates the template's streams; a changed ShardCount is reported, not applied (resharding is not emulated). */
  private async syncStreams(model: ProjectModel): Promise<void> {
    const store = this.requireStore();
    const streams = await readTemplateStreams(model, this.ctx, this.ctx.clock.now());
    this.templateProblems = streams.flatMap((s) => (s.error ? [{ message: s.error.message, fix: s.error.fix }] : []));
    for (const { definition } of streams) {
      if (!definition) continue;
      const existing = store.find(definition.name);
      if (!existing) {
        await store.create(definition);
        continue;
      }
      if (existing.definition.shards.length !== definition.shards.length) {
        const hasRecords = existing.definition.shards.some((s) => store.records(definition.name, s.shardId).length > 0);
        if (!hasRecords) {
          await store.drop(definition.name);
          await store.create(definition);
          continue;
        }
        this.templateProblems.push({
          message: `Stream ${definition.name} keeps its ${existing.definition.shards.length} shard(s): the template now asks for ${definition.shards.length}, and LambdaDesk does not reshard a stream that holds records.`,
          fix: `Delete the stream (aws kinesis delete-stream --stream-name ${definition.name} --endpoint-url …) and reload, to recreate it with the new ShardCount.`,
        });
      }
    }
  }
}

export const createKinesisService = (ctx: EngineContext): KinesisService => new KinesisService(ctx);
