import type { Clock } from '../../clock.ts';
import type { InvokeRequest, InvokeResult } from '../../contract.ts';
import { TooManyRequestsError } from '../../errors.ts';
import { matchesEventPattern } from '../shared/event-pattern.ts';
import { DEFAULT_POLLERS, type SqsEventSourceConfig } from './sqs-event-config.ts';
import { failedMessageIds, sqsEventRecord } from './sqs-event-record.ts';
import type { ReceivedMessage } from './sqs-message.ts';
import type { SqsQueue } from './sqs-queue.ts';

/** Lambda's synchronous payload limit; a batch is cut to fit under it. */
const MAX_BATCH_PAYLOAD_BYTES = 6_291_456;
const LONG_POLL_MS = 20_000;
const RETRY_AFTER_MS = 1_000;

export interface SqsEventSourceDeps {
  /** The queue now (it may be deleted and created again while the mapping runs). */
  queue: (name: string) => SqsQueue | undefined;
  invoke: (request: InvokeRequest) => Promise<InvokeResult>;
  clock: Clock;
  region: string;
  /** Something went wrong that the user should see (throttles, missing queue). */
  report: (message: string) => void;
}

export interface BatchOutcome {
  functionName: string;
  queueName: string;
  messageIds: string[];
  /** Left on the queue, to come back after the visibility timeout. */
  failedIds: string[];
}

/**
 * Lambda's SQS event source mapping for one function and queue: pollers long-poll the queue,
 * gather a batch (up to BatchSize, waiting up to the batching window), invoke the function
 * synchronously and delete what succeeded. A failed batch (or, with ReportBatchItemFailures, its
 * failed messages) stays invisible until the visibility timeout and is received again; the
 * queue's redrive policy moves it to the dead-letter queue after maxReceiveCount receives.
 */
export class SqsEventSource {
  private controller?: AbortController;
  private readonly loops = new Set<Promise<void>>();
  /** One poller gathers at a time, so a batching window fills one batch instead of spreading messages over idle pollers. */
  private gathering: Promise<unknown> = Promise.resolve();
  onBatch?: (outcome: BatchOutcome) => void;
  private handling = 0;

  constructor(
    readonly config: SqsEventSourceConfig,
    private readonly deps: SqsEventSourceDeps,
  ) {}

  start(): void {
    if (this.controller || !this.config.enabled) return;
    const controller = new AbortController();
    this.controller = controller;
    const pollers = this.config.maximumConcurrency ?? DEFAULT_POLLERS;
    for (let i = 0; i < pollers; i++) {
      const loop = this.poll(controller.signal).finally(() => this.loops.delete(loop));
      this.loops.add(loop);
    }
  }

  /** Stops polling; a batch being processed finishes on its own (its messages stay safe in the queue). */
  stop(): void {
    this.controller?.abort();
    this.controller = undefined;
  }

  /** Batches being filtered, invoked or deleted right now. */
  get processing(): number {
    return this.handling;
  }

  /** Resolves when every poller has returned (after `stop`). */
  async settled(): Promise<void> {
    while (this.loops.size) await Promise.allSettled([...this.loops]);
  }

  private async poll(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const queue = this.deps.queue(this.config.queueName);
      if (!queue) {
        this.deps.report(`The queue ${this.config.queueName} of ${this.config.functionName}'s event ${this.config.eventName} does not exist; polling resumes when it does.`);
        await this.sleep(RETRY_AFTER_MS * 5, signal);
        continue;
      }
      try {
        const batch = await this.exclusively(() => this.collect(queue, signal));
        if (batch.length) {
          this.handling++;
          await this.process(queue, batch, signal).finally(() => this.handling--);
        }
      } catch (err) {
        if (!signal.aborted) this.deps.report(`Polling ${queue.name} for ${this.config.functionName} failed: ${(err as Error).message}`);
        await this.sleep(RETRY_AFTER_MS, signal);
      }
    }
  }

  /** Up to BatchSize messages: the first by long polling, more until the window closes. */
  private async collect(queue: SqsQueue, signal: AbortSignal): Promise<ReceivedMessage[]> {
    const { batchSize, batchingWindowMs } = this.config;
    const batch = await queue.receive({ max: Math.min(10, batchSize), waitMs: LONG_POLL_MS, signal });
    if (!batch.length) return batch;
    const windowEnd = this.deps.clock.now() + batchingWindowMs;
    while (batch.length < batchSize && !signal.aborted) {
      const waitMs = Math.max(0, windowEnd - this.deps.clock.now());
      const more = await queue.receive({ max: Math.min(10, batchSize - batch.length), waitMs, signal });
      if (!more.length) break;
      batch.push(...more);
    }
    return batch;
  }

  private async process(queue: SqsQueue, received: ReceivedMessage[], signal: AbortSignal): Promise<void> {
    const all = received.map((r) => ({ received: r, record: sqsEventRecord(r, queue.arn, this.deps.region) }));
    const kept = all.filter((entry) => this.wanted(entry.record));
    // Messages no filter matches are deleted without an invoke, as Lambda does.
    await Promise.all(all.filter((entry) => !kept.includes(entry)).map((entry) => queue.delete(entry.received.receiptHandle)));
    if (!kept.length) return;
    const batch = kept.map((entry) => entry.received);
    const records = kept.map((entry) => entry.record);
    let size = 16;
    let fits = 0;
    for (const record of records) {
      size += Buffer.byteLength(JSON.stringify(record)) + 1;
      if (size > MAX_BATCH_PAYLOAD_BYTES && fits > 0) break;
      fits++;
    }
    // What does not fit in one invoke goes back to the queue at once, for the next batch.
    await Promise.all(batch.slice(fits).map((r) => queue.changeVisibility(r.receiptHandle, 0).catch(() => undefined)));
    const sent = batch.slice(0, fits);
    const ids = new Set(sent.map((r) => r.message.id));
    let result: InvokeResult;
    try {
      result = await this.deps.invoke({ functionName: this.config.functionName, payload: JSON.stringify({ Records: records.slice(0, fits) }), trigger: `sqs:${queue.name}` });
    } catch (err) {
      // Throttled or not invocable: the messages come back after the visibility timeout, as on AWS.
      this.deps.report(`${this.config.functionName} could not take a batch from ${queue.name}: ${(err as Error).message}`);
      this.onBatch?.({ functionName: this.config.functionName, queueName: queue.name, messageIds: [...ids], failedIds: [...ids] });
      if (err instanceof TooManyRequestsError) await this.sleep(RETRY_AFTER_MS, signal);
      return;
    }
    const failed = result.functionError ? 'all' : this.config.reportBatchItemFailures ? failedMessageIds(result.payload, ids) : new Set<string>();
    const done = failed === 'all' ? [] : sent.filter((r) => !failed.has(r.message.id));
    await Promise.all(done.map((r) => queue.delete(r.receiptHandle)));
    this.onBatch?.({ functionName: this.config.functionName, queueName: queue.name, messageIds: [...ids], failedIds: failed === 'all' ? [...ids] : [...failed] });
  }

  /** FilterCriteria: a JSON body is matched as JSON, any other body as its text. */
  private wanted(record: Record<string, unknown>): boolean {
    if (!this.config.filters.length) return true;
    let body = record.body;
    try {
      const parsed: unknown = JSON.parse(String(body));
      if (parsed !== null && typeof parsed === 'object') body = parsed;
    } catch {
      // plain text stays text
    }
    const view = { ...record, body };
    return this.config.filters.some((pattern) => matchesEventPattern(pattern, view));
  }

  private exclusively<T>(work: () => Promise<T>): Promise<T> {
    const run = this.gathering.then(work, work);
    this.gathering = run.catch(() => undefined);
    return run;
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const done = (): void => {
        this.deps.clock.clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = this.deps.clock.setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
