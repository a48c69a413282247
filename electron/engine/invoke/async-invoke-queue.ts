import { EventEmitter } from 'node:events';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.ts';
import type { Clock, ClockTimer } from '../clock.ts';
import type { InvokeResult } from '../contract.ts';
import { LambdaDeskError, TooManyRequestsError } from '../errors.ts';

/** One accepted `Event` invoke, as kept on disk until it is done with. */
export interface AsyncEvent {
  requestId: string;
  functionName: string;
  qualifier?: string;
  /** The payload as accepted (JSON text). */
  payload: string;
  trigger: string;
  acceptedAt: number;
  /** Function errors so far; AWS retries a function error twice by default. */
  attempts: number;
  nextAttemptAt: number;
  maximumRetryAttempts: number;
  maximumEventAgeMs: number;
}

export type AsyncDisposition =
  | { kind: 'succeeded'; event: AsyncEvent; result: InvokeResult }
  | { kind: 'failed'; event: AsyncEvent; result?: InvokeResult; reason: 'retries-exhausted' | 'event-expired' | 'not-invocable'; error?: string };

export interface AsyncInvokeQueueOptions {
  dir: string;
  clock: Clock;
  invoke: (event: AsyncEvent) => Promise<InvokeResult>;
  /** Delays before the first and second retry after a function error: about 1 and 2 minutes on AWS. */
  retryDelaysMs?: number[];
  /** Throttles and system errors back off from this, doubling up to 5 minutes. */
  throttleBackoffMs?: number;
}

const DEFAULT_MAX_EVENT_AGE_MS = 6 * 60 * 60 * 1000;

/**
 * Asynchronous invocations that survive a crash: each accepted event is a file written
 * atomically before the 202 goes out, and removed only once it is done with (delivered, or
 * handed to its failure destination). After a restart, what is left is delivered again: at
 * least once, as AWS promises.
 */
export class AsyncInvokeQueue {
  readonly events = new EventEmitter<{ 'async:settled': [AsyncDisposition] }>();
  private readonly timers = new Map<string, ClockTimer>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;
  private readonly retryDelaysMs: number[];
  private readonly throttleBackoffMs: number;
  /** Run (and awaited) before a settled event's file is removed: destinations and DLQs. */
  private readonly settleHooks: Array<(d: AsyncDisposition) => Promise<void>> = [];
  /** The function's `EventInvokeConfig`: retries and maximum age, when the template sets them. */
  private limitsOf?: (functionName: string) => { maximumRetryAttempts?: number; maximumEventAgeSeconds?: number } | undefined;

  constructor(private readonly options: AsyncInvokeQueueOptions) {
    this.retryDelaysMs = options.retryDelaysMs ?? [60_000, 120_000];
    this.throttleBackoffMs = options.throttleBackoffMs ?? 1_000;
  }

  /** A crash between a hook and the removal re-runs the event: at least once, never lost. */
  onSettled(hook: (d: AsyncDisposition) => Promise<void>): void {
    this.settleHooks.push(hook);
  }

  setLimits(limits: NonNullable<AsyncInvokeQueue['limitsOf']>): void {
    this.limitsOf = limits;
  }

  /** Loads events a previous run accepted but did not finish, and schedules them. */
  async start(): Promise<number> {
    await mkdir(this.options.dir, { recursive: true });
    const names = (await readdir(this.options.dir)).filter((n) => n.endsWith('.json')).sort();
    for (const name of names) {
      try {
        const event = JSON.parse(await readFile(join(this.options.dir, name), 'utf8')) as AsyncEvent;
        this.schedule(event);
      } catch {
        // A file that is not an event (or a torn one from an old crash): leave it for a human.
      }
    }
    return names.length;
  }

  async enqueue(input: { requestId: string; functionName: string; qualifier?: string; payload: string; trigger: string; maximumRetryAttempts?: number; maximumEventAgeSeconds?: number }): Promise<AsyncEvent> {
    const now = this.options.clock.now();
    const limits = this.limitsOf?.(input.functionName);
    const event: AsyncEvent = {
      requestId: input.requestId,
      functionName: input.functionName,
      qualifier: input.qualifier,
      payload: input.payload,
      trigger: input.trigger,
      acceptedAt: now,
      attempts: 0,
      nextAttemptAt: now,
      maximumRetryAttempts: input.maximumRetryAttempts ?? limits?.maximumRetryAttempts ?? 2,
      maximumEventAgeMs: (input.maximumEventAgeSeconds ?? limits?.maximumEventAgeSeconds ?? DEFAULT_MAX_EVENT_AGE_MS / 1000) * 1000,
    };
    await this.persist(event);
    this.schedule(event);
    return event;
  }

  /** Resolves when no attempt is running (timers may still be waiting): lets tests step time. */
  async drain(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  pending(): number {
    return this.timers.size + this.running.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) this.options.clock.clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private file(event: AsyncEvent): string {
    return join(this.options.dir, `${String(Math.floor(event.acceptedAt)).padStart(15, '0')}-${event.requestId}.json`);
  }

  private persist(event: AsyncEvent): Promise<void> {
    return writeFileAtomic(this.file(event), JSON.stringify(event));
  }

  private schedule(event: AsyncEvent): void {
    if (this.stopped) return;
    const delay = Math.max(0, event.nextAttemptAt - this.options.clock.now());
    this.timers.set(
      event.requestId,
      this.options.clock.setTimeout(() => {
        this.timers.delete(event.requestId);
        const run = this.attempt(event).finally(() => this.running.delete(run));
        this.running.add(run);
      }, delay),
    );
  }

  private async attempt(event: AsyncEvent): Promise<void> {
    const now = this.options.clock.now();
    if (now - event.acceptedAt >= event.maximumEventAgeMs) return this.settle({ kind: 'failed', event, reason: 'event-expired' });
    let result: InvokeResult;
    try {
      result = await this.options.invoke(event);
    } catch (err) {
      const retryable = err instanceof TooManyRequestsError || !(err instanceof LambdaDeskError) || err.status >= 500;
      if (!retryable) return this.settle({ kind: 'failed', event, reason: 'not-invocable', error: (err as Error).message });
      // Throttles and system errors are retried with backoff until the event is too old.
      const backoff = Math.min(300_000, this.throttleBackoffMs * 2 ** Math.min(10, event.attempts));
      return this.retryLater({ ...event, nextAttemptAt: now + backoff });
    }
    if (!result.functionError) return this.settle({ kind: 'succeeded', event, result });
    const attempts = event.attempts + 1;
    if (attempts > event.maximumRetryAttempts) return this.settle({ kind: 'failed', event: { ...event, attempts }, result, reason: 'retries-exhausted' });
    const delay = this.retryDelaysMs[Math.min(attempts - 1, this.retryDelaysMs.length - 1)] ?? 60_000;
    await this.retryLater({ ...event, attempts, nextAttemptAt: this.options.clock.now() + delay });
  }

  private async retryLater(event: AsyncEvent): Promise<void> {
    await this.persist(event);
    this.schedule(event);
  }

  /** The event is done with: hand it to destinations first, then forget it. */
  private async settle(disposition: AsyncDisposition): Promise<void> {
    this.events.emit('async:settled', disposition);
    for (const hook of this.settleHooks) await hook(disposition).catch(() => undefined);
    await rm(this.file(disposition.event), { force: true });
  }
}
