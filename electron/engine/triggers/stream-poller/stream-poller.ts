import type { Clock } from '../../clock.ts';
import type { InvokeResult } from '../../contract.ts';
import { CheckpointStore } from './checkpoint-store.ts';
import { failureRecord, type DiscardCondition } from './failure-record.ts';
import type { StreamMapping } from './mapping-config.ts';
import { ShardConsumer, type BatchReport } from './shard-consumer.ts';
import type { ShardRecord, StreamSource } from './stream-source.ts';
import { sleepOrWake, WakeSignal } from './wake-signal.ts';

export interface StreamPollerDeps {
  mapping: StreamMapping;
  source: StreamSource;
  clock: Clock;
  /** `.lambdadesk/stream-mappings`: one checkpoint file per mapping. */
  checkpointDir: string;
  functionArn: string;
  invoke: (payload: string) => Promise<InvokeResult>;
  /** `ctx.arnTargets.deliver`: the on-failure destination. */
  deliver: (arn: string, message: string) => Promise<void>;
  report: (report: BatchReport) => void;
}

export interface StreamPollerStatus {
  mappingId: string;
  functionName: string;
  streamArn: string;
  enabled: boolean;
  shards: Array<ReturnType<ShardConsumer['status']>>;
}

/** Sending to an on-failure destination is tried this many times before the failure is only reported. */
const DESTINATION_ATTEMPTS = 3;

/**
 * One event source mapping: a consumer per shard and virtual shard (ParallelizationFactor),
 * started from the checkpoints of the last run, or from StartingPosition the first time. New
 * shards (a table created again) are read from their start.
 */
export class StreamPoller {
  private readonly consumers = new Map<string, ShardConsumer>();
  private checkpoints?: CheckpointStore;
  private unsubscribe?: () => void;
  private readonly stopping = new WakeSignal();
  private running = false;
  private adding: Promise<void> = Promise.resolve();
  private addingNow = 0;

  constructor(private readonly deps: StreamPollerDeps) {}

  get mapping(): StreamMapping {
    return this.deps.mapping;
  }

  async start(): Promise<void> {
    const { mapping, source, checkpointDir } = this.deps;
    this.running = true;
    this.checkpoints = await CheckpointStore.open(checkpointDir, mapping.id, mapping.streamArn, mapping.parallelizationFactor);
    this.unsubscribe = source.onAppend((shardId) => {
      if (!this.running) return;
      if (!this.hasShard(shardId)) void this.track(this.addShards(true));
      for (let slot = 0; slot < mapping.parallelizationFactor; slot++) this.consumers.get(`${shardId}#${slot}`)?.wake();
    });
    await this.track(this.addShards(this.checkpoints.existed));
  }

  private async track(adding: Promise<void>): Promise<void> {
    this.addingNow += 1;
    this.adding = adding.finally(() => (this.addingNow -= 1));
    await this.adding;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping.notify();
    this.unsubscribe?.();
    await Promise.all([...this.consumers.values()].map((c) => c.stop()));
    this.consumers.clear();
    await this.checkpoints?.save();
  }

  /** Resolves once every consumer waits for records or for the clock: lets tests step a ManualClock. */
  async idle(): Promise<void> {
    for (;;) {
      await this.adding;
      const consumers = [...this.consumers.values()];
      await Promise.all(consumers.map((c) => c.idle()));
      if (consumers.every((c) => c.isParked) && !this.addingNow) return;
    }
  }

  status(): StreamPollerStatus {
    const { mapping } = this.deps;
    return { mappingId: mapping.id, functionName: mapping.functionName, streamArn: mapping.streamArn, enabled: mapping.enabled, shards: [...this.consumers.values()].map((c) => c.status()) };
  }

  private hasShard(shardId: string): boolean {
    return this.consumers.has(`${shardId}#0`);
  }

  /** Starts consumers for shards without one; `fromStart` for shards that appeared after the mapping began. */
  private async addShards(fromStart: boolean): Promise<void> {
    const checkpoints = this.checkpoints!;
    const { mapping, source } = this.deps;
    const fresh: Array<{ shardId: string; slot: number; after: string }> = [];
    for (const { shardId } of source.shards()) {
      if (this.hasShard(shardId)) continue;
      for (let slot = 0; slot < mapping.parallelizationFactor; slot++) {
        let after = checkpoints.get(shardId, slot);
        if (after === undefined) {
          after = fromStart ? '' : this.startingPoint(shardId);
          void checkpoints.set(shardId, slot, after);
        }
        fresh.push({ shardId, slot, after });
      }
    }
    if (fresh.length === 0) return;
    // LATEST means "after what the stream holds now": fix that point on disk before reading.
    await checkpoints.save();
    if (!this.running) return;
    for (const { shardId, slot, after } of fresh) {
      const key = `${shardId}#${slot}`;
      if (this.consumers.has(key)) continue;
      const consumer = new ShardConsumer(
        {
          mapping,
          source,
          shardId,
          slot,
          checkpoints,
          clock: this.deps.clock,
          invoke: this.deps.invoke,
          discard: (shard, records, condition, count, last) => this.discard(shard, records, condition, count, last),
          report: this.deps.report,
        },
        after,
      );
      this.consumers.set(key, consumer);
      consumer.start();
    }
  }

  private startingPoint(shardId: string): string {
    const { mapping, source } = this.deps;
    if (mapping.startingPosition === 'TRIM_HORIZON') return '';
    if (mapping.startingPosition === 'AT_TIMESTAMP') return source.sequenceBefore(shardId, mapping.startingPositionTimestampMs ?? 0) ?? '';
    return source.latestSequence(shardId) ?? '';
  }

  private async discard(shardId: string, records: ShardRecord[], condition: DiscardCondition, invokeCount: number, last?: InvokeResult): Promise<void> {
    const { mapping, clock } = this.deps;
    const destination = mapping.onFailureDestination;
    if (!destination) return; // As on AWS: without a destination, discarded records are gone.
    const message = failureRecord({
      kind: mapping.kind,
      streamArn: this.deps.source.streamArn,
      shardId,
      records,
      condition,
      functionArn: this.deps.functionArn,
      invokeCount,
      lastResponse: last ? { requestId: last.record.requestId, executedVersion: last.executedVersion, functionError: last.functionError } : undefined,
      atMs: clock.now(),
    });
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deps.deliver(destination, message);
        return;
      } catch (err) {
        if (attempt >= DESTINATION_ATTEMPTS || !this.running) {
          this.deps.report({
            mappingId: mapping.id,
            functionName: mapping.functionName,
            shardId,
            slot: 0,
            firstSequence: records[0]!.sequenceNumber,
            lastSequence: records[records.length - 1]!.sequenceNumber,
            count: records.length,
            outcome: 'discarded',
            condition,
            error: `Could not send the failure record to ${destination}: ${(err as Error).message}`,
          });
          return;
        }
        await sleepOrWake(clock, 1000 * attempt, this.stopping);
      }
    }
  }
}
