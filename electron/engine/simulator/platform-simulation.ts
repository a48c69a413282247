import type { ArrivalProcess } from './arrival-processes.ts';
import { computeBilledMs } from './billing.ts';
import type { DurationSampler } from './duration-samplers.ts';
import { EventHeap } from './event-heap.ts';
import { IdlePool } from './idle-pool.ts';
import type { KeepAlivePolicy } from './keep-alive-policy.ts';
import { LatencyHistogram } from './latency-histogram.ts';
import type { ProvisionedSchedule } from './provisioned-schedule.ts';
import type { Random } from './random.ts';
import { RetryQueue } from './retry-queue.ts';
import type { ScalingLimiter } from './scaling-limiter.ts';
import type { TimeSeries } from './time-series.ts';

/**
 * A pending completion's value is the environment's creation time (≥ 0); a provisioned
 * environment is -1; an environment the timeout kills is -2 - createdAt. One number, so the
 * heap moves pairs instead of triples.
 */
const PROVISIONED = -1;

export interface PlatformParts {
  arrivals: ArrivalProcess;
  warm: DurationSampler;
  /** Either `cold` (a cold request's whole service time) or `init` (added to a warm draw). */
  cold?: DurationSampler;
  init?: DurationSampler;
  keepAlive: KeepAlivePolicy;
  maxLifeMs: number;
  newestFirst: boolean;
  maxConcurrency: number;
  throttle?: { maxRetries: number; baseDelayMs: number; maxDelayMs: number };
  scaling?: ScalingLimiter;
  provisioned?: ProvisionedSchedule;
  timeoutMs: number;
  granularityMs: 1 | 100;
  billInit: boolean;
  horizonMs: number;
  warmupMs: number;
  timeSeries?: TimeSeries;
  /** For retry backoff. */
  rng: Random;
}

/** Raw tallies of one run over the measured window [warmup, horizon). */
export interface PlatformTally {
  invocations: number;
  attempts: number;
  served: number;
  coldStarts: number;
  provisionedServed: number;
  rejections: number;
  throttles: number;
  timeouts: number;
  prewarms: number;
  /** ∫ running requests dt and ∫ on-demand environments dt, in ms. */
  runningMs: number;
  instanceMs: number;
  peakRunning: number;
  retiredInstances: number;
  lifespanSumMs: number;
  serviceSumMs: number;
  onDemandRequests: number;
  onDemandBilledMs: number;
  provisionedBilledMs: number;
  latency: LatencyHistogram;
}

/**
 * One function on the Lambda platform, as a discrete-event simulation. A request takes a free
 * provisioned environment, else the newest idle one, else starts a cold one while concurrency
 * (and the scaling rate) allows, else is rejected or throttled. An environment's idle timer
 * starts when its request ends. Pending completions sit in a typed-array heap and idle
 * environments in a typed-array stack; statistics are sums and a fixed-size histogram, so
 * memory does not grow with the number of requests and nothing is allocated per request.
 */
export class PlatformSimulation {
  private readonly completions = new EventHeap(256);
  private readonly retries = new RetryQueue();
  private readonly idle = new IdlePool(256);
  private readonly latency = new LatencyHistogram();
  private running = 0;
  private provisionedBusy = 0;
  private lastAllIdleAt = -1;
  /** Newest-first with a constant keep-alive: the top of the idle stack is always usable. */
  private readonly topIsUsable: boolean;
  private readonly constantKeepAlive: boolean;
  private readonly keepAliveMs: number;
  private readonly observesIdle: boolean;
  private readonly warmupMs: number;
  private readonly horizonMs: number;
  private readonly timeoutMs: number;
  private readonly series: TimeSeries | undefined;

  private invocations = 0;
  private retriesMade = 0;
  private coldStarts = 0;
  private provisionedServed = 0;
  private rejections = 0;
  private throttles = 0;
  private timeouts = 0;
  private prewarms = 0;
  private runningMs = 0;
  private instanceMs = 0;
  private peakRunning = 0;
  private retiredInstances = 0;
  private lifespanSumMs = 0;
  private serviceSumMs = 0;
  private onDemandBilledMs = 0;
  private provisionedBilledMs = 0;

  constructor(private readonly p: PlatformParts) {
    this.constantKeepAlive = p.keepAlive.constant && p.maxLifeMs === Infinity;
    this.keepAliveMs = p.keepAlive.keepAliveMs;
    this.topIsUsable = p.newestFirst && this.constantKeepAlive;
    this.observesIdle = p.keepAlive.observesIdleTimes;
    this.warmupMs = p.warmupMs;
    this.horizonMs = p.horizonMs;
    this.timeoutMs = p.timeoutMs;
    this.series = p.timeSeries;
  }

  run(): PlatformTally {
    const { p, completions, retries, horizonMs } = this;
    let nextArrival = p.arrivals.next();
    for (;;) {
      // The next request: a new arrival or a throttled one retrying, whichever comes first.
      let now = nextArrival;
      let origin = nextArrival;
      let attempt = 0;
      if (nextArrival <= retries.peekTime()) {
        if (now >= horizonMs) break;
        nextArrival = p.arrivals.next();
      } else {
        now = retries.peekTime();
        if (now >= horizonMs) break;
        retries.pop();
        origin = retries.origin;
        attempt = retries.attempt;
      }
      // Requests that ended by now free their environments, in the order they ended.
      while (completions.peekTime() <= now) {
        const end = completions.peekTime();
        const value = completions.peekValue();
        completions.pop();
        this.complete(end, value);
      }
      if (this.series) this.series.advance(now, this.running);
      this.admit(now, origin, attempt);
    }
    while (completions.peekTime() < horizonMs) {
      const end = completions.peekTime();
      const value = completions.peekValue();
      completions.pop();
      this.complete(end, value);
    }
    this.closeAtHorizon();
    return this.tally();
  }

  private admit(now: number, origin: number, attempt: number): void {
    const { p, idle, series } = this;
    const measured = origin >= this.warmupMs;
    if (measured && attempt === 0) {
      this.invocations++;
      if (series) series.invocations[series.current] = (series.invocations[series.current] as number) + 1;
    }
    if (this.observesIdle && attempt === 0 && this.running === 0 && this.lastAllIdleAt >= 0) {
      p.keepAlive.observeIdle(now - this.lastAllIdleAt);
    }
    if (this.running >= p.maxConcurrency) return this.limited(now, origin, attempt, measured);
    if (p.provisioned && this.provisionedBusy < p.provisioned.levelAt(now)) {
      this.provisionedBusy++;
      return this.serveWarm(now, origin, PROVISIONED, measured);
    }
    // Expired environments leave from the oldest end; with a constant keep-alive that is all.
    while (idle.top > idle.base && (idle.expiresAt[idle.base] as number) <= now) {
      this.retire(idle.createdAt[idle.base] as number, idle.expiresAt[idle.base] as number);
      idle.base++;
    }
    if (idle.top > idle.base) {
      if (this.topIsUsable) return this.serveWarm(now, origin, idle.createdAt[--idle.top] as number, measured);
      const i = this.findIdle(now);
      if (i >= 0) {
        const createdAt = idle.createdAt[i] as number;
        idle.removeAt(i);
        return this.serveWarm(now, origin, createdAt, measured);
      }
    }
    if (p.scaling && !p.scaling.tryStart(now)) return this.limited(now, origin, attempt, measured);
    this.serveCold(now, origin, measured);
  }

  /** The general case: skip environments still pre-warming, retire expired ones on the way. */
  private findIdle(now: number): number {
    const idle = this.idle;
    if (this.p.newestFirst) {
      for (let i = idle.top - 1; i >= idle.base; i--) {
        if ((idle.expiresAt[i] as number) <= now) {
          this.retire(idle.createdAt[i] as number, idle.expiresAt[i] as number);
          idle.removeAt(i);
        } else if ((idle.availableAt[i] as number) <= now) return i;
      }
      return -1;
    }
    for (let i = idle.base; i < idle.top; ) {
      if ((idle.expiresAt[i] as number) <= now) {
        this.retire(idle.createdAt[i] as number, idle.expiresAt[i] as number);
        idle.removeAt(i);
        if (i < idle.base) i = idle.base;
      } else if ((idle.availableAt[i] as number) <= now) return i;
      else i++;
    }
    return -1;
  }

  /** `value` is the environment's creation time, or PROVISIONED. */
  private serveWarm(now: number, origin: number, value: number, measured: boolean): void {
    let duration = this.p.warm.next();
    if (duration > this.timeoutMs) {
      duration = this.timeoutMs;
      if (measured) this.timeouts++;
      if (value !== PROVISIONED) value = -2 - value;
    }
    if (measured) {
      if (value === PROVISIONED) {
        this.provisionedServed++;
        this.provisionedBilledMs += computeBilledMs(duration, this.p.granularityMs);
      } else this.onDemandBilledMs += computeBilledMs(duration, this.p.granularityMs);
    }
    this.start(now, origin, duration, value, measured);
  }

  private serveCold(now: number, origin: number, measured: boolean): void {
    const p = this.p;
    let duration: number;
    let billed: number;
    let value = now;
    if (p.cold) {
      duration = p.cold.next();
      if (duration > this.timeoutMs) {
        duration = this.timeoutMs;
        value = -2 - now;
      }
      billed = computeBilledMs(duration, p.granularityMs);
    } else {
      const init = (p.init as DurationSampler).next();
      let work = p.warm.next();
      if (work > this.timeoutMs) {
        work = this.timeoutMs;
        value = -2 - now;
      }
      duration = init + work;
      billed = computeBilledMs(work, p.granularityMs) + (p.billInit ? computeBilledMs(init, p.granularityMs) : 0);
    }
    if (measured) {
      this.coldStarts++;
      if (value < 0) this.timeouts++;
      this.onDemandBilledMs += billed;
      const series = this.series;
      if (series) series.coldStarts[series.current] = (series.coldStarts[series.current] as number) + 1;
    }
    this.start(now, origin, duration, value, measured);
  }

  private start(now: number, origin: number, duration: number, value: number, measured: boolean): void {
    const end = now + duration;
    const running = ++this.running;
    if (measured) {
      this.serviceSumMs += duration;
      this.latency.record(now - origin + duration);
      if (running > this.peakRunning) this.peakRunning = running;
    }
    this.runningMs += now >= this.warmupMs && end <= this.horizonMs ? duration : this.measuredPart(now, end);
    if (this.series) this.series.addRequest(now, end, running);
    this.completions.push(end, value);
  }

  private complete(end: number, value: number): void {
    if (this.series) this.series.advance(end, this.running);
    if (--this.running === 0) this.lastAllIdleAt = end;
    if (value >= 0 && this.constantKeepAlive) {
      const expiresAt = end + this.keepAliveMs;
      if (expiresAt > end) this.idle.push(end, expiresAt, value);
      else this.retire(value, end);
    } else if (value >= 0) this.keepOrRetire(end, value);
    else if (value === PROVISIONED) this.provisionedBusy--;
    else this.retire(-2 - value, end);
  }

  /** Jittered, capped or adaptive keep-alive, with pre-warming. */
  private keepOrRetire(end: number, createdAt: number): void {
    const p = this.p;
    const policy = p.keepAlive;
    policy.decide();
    let availableAt = end;
    let expiresAt = Math.min(end + policy.keepAliveMs, createdAt + p.maxLifeMs);
    if (policy.prewarmMs > 0) {
      // Unloaded now; a fresh environment (init done) is loaded just before the next request is expected.
      this.retire(createdAt, end);
      availableAt = end + policy.prewarmMs;
      expiresAt = availableAt + policy.keepAliveMs;
      createdAt = availableAt;
      if (availableAt >= this.warmupMs && availableAt < this.horizonMs) this.prewarms++;
    }
    if (expiresAt > availableAt) this.idle.push(availableAt, expiresAt, createdAt);
    else this.retire(createdAt, Math.max(end, expiresAt));
  }

  private limited(now: number, origin: number, attempt: number, measured: boolean): void {
    const retry = this.p.throttle;
    if (retry) {
      if (measured) this.throttles++;
      if (attempt < retry.maxRetries) {
        if (measured) this.retriesMade++;
        const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
        this.retries.push(now + this.p.rng.nextOpen() * ceiling, origin, attempt + 1);
        return;
      }
    }
    if (measured) {
      this.rejections++;
      const series = this.series;
      if (series) series.rejections[series.current] = (series.rejections[series.current] as number) + 1;
    }
  }

  /** An on-demand environment existed over [createdAt, endedAt). */
  private retire(createdAt: number, endedAt: number): void {
    this.instanceMs += this.measuredPart(createdAt, endedAt);
    if (this.series) this.series.addInstance(createdAt, endedAt);
    if (endedAt >= this.warmupMs && endedAt < this.horizonMs) {
      this.retiredInstances++;
      this.lifespanSumMs += endedAt - createdAt;
    }
  }

  /** Environments still alive at the horizon count until it, but not as retired. */
  private closeAtHorizon(): void {
    const { idle, horizonMs, series } = this;
    for (let i = idle.base; i < idle.top; i++) {
      const expiresAt = idle.expiresAt[i] as number;
      const createdAt = idle.createdAt[i] as number;
      if (expiresAt < horizonMs) this.retire(createdAt, expiresAt);
      else {
        this.instanceMs += this.measuredPart(createdAt, horizonMs);
        if (series) series.addInstance(createdAt, horizonMs);
      }
    }
    this.completions.forEach((_end, value) => {
      if (value === PROVISIONED) return;
      const createdAt = value >= 0 ? value : -2 - value;
      this.instanceMs += this.measuredPart(createdAt, horizonMs);
      if (series) series.addInstance(createdAt, horizonMs);
    });
  }

  private measuredPart(from: number, to: number): number {
    const a = from > this.warmupMs ? from : this.warmupMs;
    const b = to < this.horizonMs ? to : this.horizonMs;
    return b > a ? b - a : 0;
  }

  private tally(): PlatformTally {
    const served = this.latency.count;
    return {
      invocations: this.invocations,
      attempts: this.invocations + this.retriesMade,
      served,
      coldStarts: this.coldStarts,
      provisionedServed: this.provisionedServed,
      rejections: this.rejections,
      throttles: this.throttles,
      timeouts: this.timeouts,
      prewarms: this.prewarms,
      runningMs: this.runningMs,
      instanceMs: this.instanceMs,
      peakRunning: this.peakRunning,
      retiredInstances: this.retiredInstances,
      lifespanSumMs: this.lifespanSumMs,
      serviceSumMs: this.serviceSumMs,
      onDemandRequests: served - this.provisionedServed,
      onDemandBilledMs: this.onDemandBilledMs,
      provisionedBilledMs: this.provisionedBilledMs,
      latency: this.latency,
    };
  }
}
