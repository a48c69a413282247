import { createHash } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import type { InvokeResult } from '../../contract.ts';
import { TooManyRequestsError } from '../../errors.ts';
import { readBatchResponse } from './batch-response.ts';
import type { CheckpointStore } from './checkpoint-store.ts';
import type { DiscardCondition } from './failure-record.ts';
import type { StreamMapping } from './mapping-config.ts';
import { passesFilters } from './record-filter.ts';
import type { ShardRecord, StreamSource } from './stream-source.ts';
import { sleepOrWake, waitForAny, WakeSignal } from './wake-signal.ts';

/** A synchronous invoke payload may be 6 MB; the `{"Records":[…]}` envelope needs a little of it. */
const MAX_BATCH_BYTES = 6_291_456 - 1024;
/** Retries after a function error or a throttle back off from this, doubling, up to the cap. */
const RETRY_BASE_MS = 500;
const RETRY_CAP_MS = 30_000;

/** What one delivery attempt came to, for the faces and the tests. */
export interface BatchReport {
  mappingId: string;
  functionName: string;
  shardId: string;
  slot: number;
  firstSequence: string;
  lastSequence: string;
  count: number;
  outcome: 'success' | 'partial' | 'function-error' | 'throttled' | 'invoke-error' | 'discarded';
  condition?: DiscardCondition;
  requestId?: string;
  error?: string;
}

export interface ShardConsumerDeps {
  mapping: StreamMapping;
  source: StreamSource;
  shardId: string;
  slot: number;
  checkpoints: CheckpointStore;
  clock: Clock;
  /** A synchronous invoke of the mapping's function with this payload. */
  invoke: (payload: string) => Promise<InvokeResult>;
  /** Sends discarded records' metadata to the on-failure destination (when one is set). */
  discard: (shardId: string, records: ShardRecord[], condition: DiscardCondition, invokeCount: number, last?: InvokeResult) => Promise<void>;
  report: (report: BatchReport) => void;
}

/** Records taken from the shard and not done with yet; bisecting splits one into two. */
interface WorkItem {
  records: ShardRecord[];
  /** The checkpoint once this item is done: its last record, or later when records were skipped after it. */
  through: string;
  retries: number;
  invokes: number;
  last?: InvokeResult;
}

/** Which virtual shard (ParallelizationFactor) a partition key belongs to: stable, so its order holds. */
export function slotOf(partitionKey: string, factor: number): number {
  if (factor <= 1) return 0;
  return createHash('md5').update(partitionKey).digest().readUInt32BE(0) % factor;
}

/**
 * Delivers one virtual shard of a stream to a function, as Lambda's stream pollers do: batches
 * of up to BatchSize records in sequence order, gathered for up to the batching window; a
 * failed batch is retried (bisected first when BisectBatchOnFunctionError is set) until it
 * succeeds, runs out of MaximumRetryAttempts or exceeds MaximumRecordAgeInSeconds, and is then
 * reported to the on-failure destination. Nothing later in the shard is delivered before that:
 * records of one partition key always arrive in order. The checkpoint is on disk before the
 * next batch goes out, so a crash delivers the last batch again at worst, never skips it.
 */
export class ShardConsumer {
  private readonly appended = new WakeSignal();
  private readonly stopping = new WakeSignal();
  private running = false;
  private loop?: Promise<void>;
  /** The last sequence looked at (delivered, filtered out or another slot's). */
  private position: string;
  private work: WorkItem[] = [];
  /** When the current batching window opened. */
  private windowOpenedAt?: number;
  private lastError?: string;
  private parked = false;
  private readonly idleWaiters: Array<() => void> = [];
  /** Invokes in a row that could not run (throttled, platform error): their backoff grows. */
  private throttles = 0;

  constructor(
    private readonly deps: ShardConsumerDeps,
    startAfter: string,
  ) {
    this.position = startAfter;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run()
      .catch((err: unknown) => {
        this.lastError = err instanceof Error ? err.message : String(err);
      })
      .finally(() => {
        this.running = false;
        for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
  }

  /** Waits for an invoke in flight, so the next owner of this shard never delivers beside it. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping.notify();
    await this.loop;
  }

  /** Records were appended to the shard. */
  wake(): void {
    this.parked = false;
    this.appended.notify();
  }

  /** Whether the consumer waits for records or for the clock (not for an invoke or a disk write). */
  get isParked(): boolean {
    return this.parked || !this.running;
  }

  /** Resolves once the consumer waits for records or for the clock: lets tests step a ManualClock. */
  idle(): Promise<void> {
    if (this.isParked) return Promise.resolve();
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private async park(waiting: Promise<void>): Promise<void> {
    // A notification already waiting means the loop goes straight on: that is not idle.
    if (this.appended.isPending || this.stopping.isPending) return waiting;
    this.parked = true;
    const waiters = this.idleWaiters.splice(0);
    for (const resolve of waiters) resolve();
    try {
      await waiting;
    } finally {
      this.parked = false;
    }
  }

  status(): { shardId: string; slot: number; checkpoint: string; pendingRecords: number; lastError?: string } {
    return { shardId: this.deps.shardId, slot: this.deps.slot, checkpoint: this.deps.checkpoints.get(this.deps.shardId, this.deps.slot) ?? '', pendingRecords: this.work.reduce((n, w) => n + w.records.length, 0), lastError: this.lastError };
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (this.work.length === 0 && !(await this.gather())) continue;
      const item = this.work[0]!;
      if (this.expire(item)) {
        await this.discardPrefix(item);
        continue;
      }
      await this.deliver(item);
    }
  }

  /** Reads the next batch into `work`; false when there is nothing to deliver yet. */
  private async gather(): Promise<boolean> {
    const { mapping, clock } = this.deps;
    const batch = this.readBatch();
    if (batch.records.length === 0) {
      // Nothing for this slot: move past what was looked at without a disk write (re-reading it after a crash skips it again).
      this.position = batch.through;
      await this.park(waitForAny(this.appended, this.stopping));
      return false;
    }
    const full = batch.records.length >= mapping.batchSize || batch.full;
    if (!full && mapping.batchingWindowMs > 0) {
      this.windowOpenedAt ??= clock.now();
      const remaining = this.windowOpenedAt + mapping.batchingWindowMs - clock.now();
      if (remaining > 0) {
        await this.park(sleepOrWake(clock, remaining, this.appended, this.stopping));
        return false;
      }
    }
    this.windowOpenedAt = undefined;
    this.position = batch.through;
    this.work.push({ records: batch.records, through: batch.through, retries: 0, invokes: 0 });
    return this.running;
  }

  private readBatch(): { records: ShardRecord[]; through: string; full: boolean } {
    const { mapping, source, shardId, slot } = this.deps;
    const records: ShardRecord[] = [];
    let through = this.position;
    let bytes = 0;
    for (;;) {
      const chunk = source.read(shardId, through === '' ? undefined : through, 1000);
      if (chunk.length === 0) return { records, through, full: false };
      for (const record of chunk) {
        if (slotOf(record.partitionKey, mapping.parallelizationFactor) === slot && passesFilters(mapping.filters, record.filterView)) {
          const size = JSON.stringify(record.event).length + 1;
          if (records.length >= mapping.batchSize || (records.length > 0 && bytes + size > MAX_BATCH_BYTES)) return { records, through, full: true };
          records.push(record);
          bytes += size;
        }
        through = record.sequenceNumber;
      }
    }
  }

  /** Records past MaximumRecordAgeInSeconds at the head of the item: they go, unprocessed. */
  private expire(item: WorkItem): boolean {
    const maxAge = this.deps.mapping.maximumRecordAgeMs;
    if (maxAge < 0) return false;
    return this.deps.clock.now() - item.records[0]!.arrivalMs > maxAge;
  }

  private async discardPrefix(item: WorkItem): Promise<void> {
    const now = this.deps.clock.now();
    const maxAge = this.deps.mapping.maximumRecordAgeMs;
    let count = 0;
    while (count < item.records.length && now - item.records[count]!.arrivalMs > maxAge) count++;
    const expired = item.records.slice(0, count);
    const rest = item.records.slice(count);
    await this.discard(expired, 'RecordAgeExceeded', item.invokes, item.last);
    if (rest.length === 0) await this.finish(item);
    else {
      item.records = rest;
      await this.checkpoint(expired[expired.length - 1]!.sequenceNumber);
    }
  }

  private async deliver(item: WorkItem): Promise<void> {
    const { mapping, clock } = this.deps;
    const sequences = item.records.map((r) => r.sequenceNumber);
    const base = { mappingId: mapping.id, functionName: mapping.functionName, shardId: this.deps.shardId, slot: this.deps.slot, firstSequence: sequences[0]!, lastSequence: sequences[sequences.length - 1]!, count: sequences.length };
    let result: InvokeResult;
    try {
      item.invokes += 1;
      result = await this.deps.invoke(JSON.stringify({ Records: item.records.map((r) => r.event) }));
    } catch (err) {
      // Throttles and platform errors do not use up retries: the batch waits until it can run.
      item.invokes -= 1;
      this.throttles += 1;
      const throttled = err instanceof TooManyRequestsError;
      this.lastError = (err as Error).message;
      this.deps.report({ ...base, outcome: throttled ? 'throttled' : 'invoke-error', error: this.lastError });
      if (this.running) await this.park(sleepOrWake(clock, backoff(this.throttles), this.stopping));
      return;
    }
    this.throttles = 0;
    item.last = result;
    if (!result.functionError) {
      const verdict = mapping.reportBatchItemFailures ? readBatchResponse(result.payload, sequences) : ({ kind: 'success' } as const);
      if (verdict.kind === 'success') {
        this.lastError = undefined;
        this.deps.report({ ...base, outcome: 'success', requestId: result.record.requestId });
        await this.finish(item);
        return;
      }
      if (verdict.kind === 'partial') {
        this.deps.report({ ...base, outcome: 'partial', requestId: result.record.requestId });
        if (verdict.firstFailed > 0) {
          await this.checkpoint(sequences[verdict.firstFailed - 1]!);
          item.records = item.records.slice(verdict.firstFailed);
        }
        await this.retryOrDiscard(item);
        return;
      }
      this.lastError = `The response's batchItemFailures fail the whole batch: ${verdict.reason}.`;
    } else {
      this.lastError = `${result.record.errorType ?? 'Unhandled'} (request ${result.record.requestId})`;
    }
    this.deps.report({ ...base, outcome: 'function-error', requestId: result.record.requestId, error: this.lastError });
    if (mapping.bisectOnError && item.records.length > 1) {
      // Splitting does not use up a retry; each half is tried on its own, the first half first.
      const half = Math.ceil(item.records.length / 2);
      const first: WorkItem = { records: item.records.slice(0, half), through: item.records[half - 1]!.sequenceNumber, retries: item.retries, invokes: item.invokes, last: result };
      const second: WorkItem = { records: item.records.slice(half), through: item.through, retries: item.retries, invokes: item.invokes, last: result };
      this.work.splice(0, 1, first, second);
      return;
    }
    await this.retryOrDiscard(item);
  }

  private async retryOrDiscard(item: WorkItem): Promise<void> {
    item.retries += 1;
    const limit = this.deps.mapping.maximumRetryAttempts;
    if (limit >= 0 && item.retries > limit) {
      await this.discard(item.records, 'RetryAttemptsExhausted', item.invokes, item.last);
      await this.finish(item);
      return;
    }
    await this.park(sleepOrWake(this.deps.clock, backoff(item.retries), this.stopping));
  }

  private async discard(records: ShardRecord[], condition: DiscardCondition, invokeCount: number, last?: InvokeResult): Promise<void> {
    const { mapping, shardId, slot } = this.deps;
    this.deps.report({ mappingId: mapping.id, functionName: mapping.functionName, shardId, slot, firstSequence: records[0]!.sequenceNumber, lastSequence: records[records.length - 1]!.sequenceNumber, count: records.length, outcome: 'discarded', condition });
    await this.deps.discard(shardId, records, condition, invokeCount, last);
  }

  /** The head item is done with: checkpoint past it, then drop it. */
  private async finish(item: WorkItem): Promise<void> {
    await this.checkpoint(item.through);
    this.work.shift();
  }

  private async checkpoint(sequence: string): Promise<void> {
    await this.deps.checkpoints.set(this.deps.shardId, this.deps.slot, sequence);
  }
}

function backoff(attempt: number): number {
  return Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempt - 1));
}
