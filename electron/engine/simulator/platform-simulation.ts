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
/** No environment found yet (never stored in the heap). */
const NONE = -1.5;
/** Slots of `PlatformSimulation.sums`. */
const enum Slot {
  NextArrival,
  Invocations,
  RunningMs,
  ServiceSumMs,
  OnDemandBilledMs,
  PeakRunning,
  RetriesMade,
  ColdStarts,
  ProvisionedServed,
  Rejections,
  Throttles,
  Timeouts,
  Prewarms,
  InstanceMs,
  RetiredInstances,
  LifespanSumMs,
  ProvisionedBilledMs,
  ColdBilledMs,
  ColdValue,
  LastAllIdleAt,
  Count,
}

/** Requests per call of the loop (see `step`). */
const STEP_REQUESTS = 256;

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
  private provisionedBusy = 0;
  /**
   * Every sum and counter, and the loop's state between calls, as float64 slots rather than
   * fields: a field that starts as a small integer changes representation when it first holds
   * a fraction or passes 2^30, which throws away the compiled loop (and, until V8 compiles it
   * again, every request allocates).
   */
  private readonly sums = new Float64Array(Slot.Count);
  private running = 0;
  /** Newest-first with a constant keep-alive: the top of the idle stack is always usable. */
  private readonly topIsUsable: boolean;
  private readonly constantKeepAlive: boolean;
  private readonly keepAliveMs: number;
  private readonly observesIdle: boolean;
  private readonly warmupMs: number;
  private readonly horizonMs: number;
  private readonly timeoutMs: number;
  private readonly series: TimeSeries | undefined;

  constructor(private readonly p: PlatformParts) {
    this.sums[Slot.LastAllIdleAt] = -1;
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
    this.sums[Slot.NextArrival] = this.p.arrivals.next();
    while (this.step(STEP_REQUESTS));
    const { completions, horizonMs, series } = this;
    while (completions.peekTime() < horizonMs) {
      const end = completions.peekTime();
      const value = completions.peekValue();
      completions.pop();
      if (series) series.advance(end, this.running);
      this.running--;
      this.completeOther(end, value, this.running);
    }
    this.closeAtHorizon();
    return this.tally();
  }

  /**
   * The event loop, `budget` requests at a time; false once the horizon is reached. Its
   * common path (an arrival, the completions before it, a warm start) is written out here
   * with the hot state in locals; rare paths (cold starts, limits, adaptive keep-alive,
   * provisioned environments) are methods. Two V8 facts shape it: a double passed to or
   * returned from a call that is not inlined is boxed (an allocation), and a loop compiled
   * on-stack (one endless loop in one call) keeps its variables boxed too; a function called
   * again and again is compiled normally, with its doubles unboxed.
   */
  private step(budget: number): boolean {
    const { p, completions, retries, idle, latency, series, horizonMs, warmupMs, timeoutMs, keepAliveMs } = this;
    const { arrivals, warm, provisioned, scaling, maxConcurrency, granularityMs } = p;
    const constantKeepAlive = this.constantKeepAlive;
    const topIsUsable = this.topIsUsable;
    const observesIdle = this.observesIdle;
    let running = this.running;
    const loop = this.sums;
    let invocations = loop[Slot.Invocations] as number;
    let runningMs = loop[Slot.RunningMs] as number;
    let serviceSumMs = loop[Slot.ServiceSumMs] as number;
    let onDemandBilledMs = loop[Slot.OnDemandBilledMs] as number;
    let peakRunning = loop[Slot.PeakRunning] as number;
    let nextArrival = loop[Slot.NextArrival] as number;
    // The end of the current time-series bin, kept here so that most events skip the series.
    let binEnd = series ? series.binEndMs : Infinity;
    let more = true;
    for (let k = 0; k < budget; k++) {
      // The next request: a new arrival or a throttled one retrying, whichever comes first.
      let now = nextArrival;
      let origin = nextArrival;
      let attempt = 0;
      if (nextArrival <= retries.peekTime()) {
        if (now >= horizonMs) {
          more = false;
          break;
        }
        nextArrival = arrivals.next();
      } else {
        now = retries.peekTime();
        if (now >= horizonMs) {
          more = false;
          break;
        }
        retries.pop();
        origin = retries.origin;
        attempt = retries.attempt;
      }

      // Requests that ended by now free their environments, in the order they ended.
      while (completions.peekTime() <= now) {
        const end = completions.peekTime();
        const value = completions.peekValue();
        completions.pop();
        if (end >= binEnd) binEnd = +(series as TimeSeries).moveTo(end, running);
        running--;
        if (value >= 0 && constantKeepAlive && keepAliveMs > 0) idle.push(end, end + keepAliveMs, value);
        else this.completeOther(end, value, running);
      }

      if (now >= binEnd) binEnd = +(series as TimeSeries).moveTo(now, running);
      const measured = origin >= warmupMs;
      if (measured && attempt === 0) {
        invocations++;
        if (series) series.invocations[series.current] = (series.invocations[series.current] as number) + 1;
      }
      if (observesIdle && attempt === 0 && running === 0) this.noteIdleTime(now);
      if (running >= maxConcurrency) {
        this.limited(now, origin, attempt, measured);
        continue;
      }

      // Which environment: a free provisioned one, the newest idle one, or a new one.
      let value = NONE;
      if (provisioned && this.provisionedBusy < provisioned.levelAt(now)) {
        this.provisionedBusy++;
        value = PROVISIONED;
      } else {
        // Expired environments leave from the oldest end; with a constant keep-alive that is all.
        while (idle.top > idle.base && (idle.expiresAt[idle.base] as number) <= now) {
          this.retire(idle.createdAt[idle.base] as number, idle.expiresAt[idle.base] as number);
          idle.base++;
        }
        if (idle.top > idle.base) {
          if (topIsUsable) value = idle.createdAt[--idle.top] as number;
          else value = +this.takeIdle(now);
        }
      }

      let duration: number;
      if (value === NONE) {
        if (scaling && !scaling.tryStart(now)) {
          this.limited(now, origin, attempt, measured);
          continue;
        }
        duration = +this.drawCold(now, measured);
        value = this.sums[Slot.ColdValue] as number;
      } else {
        duration = warm.next();
        if (duration > timeoutMs) {
          duration = timeoutMs;
          value = +this.timedOut(value, measured);
        }
        if (measured) {
          const billed = granularityMs === 1 ? Math.ceil(duration) : +computeBilledMs(duration, granularityMs);
          if (value === PROVISIONED) this.countProvisioned(billed);
          else onDemandBilledMs += billed;
        }
      }

      const end = now + duration;
      running++;
      if (measured) {
        serviceSumMs += duration;
        latency.record(now - origin + duration);
        if (running > peakRunning) peakRunning = running;
      }
      runningMs += now >= warmupMs && end <= horizonMs ? duration : +this.measuredPart(now, end);
      if (series) series.addRequest(now, end, running);
      completions.push(end, value);
    }

    this.running = running;
    loop[Slot.Invocations] = invocations;
    loop[Slot.RunningMs] = runningMs;
    loop[Slot.ServiceSumMs] = serviceSumMs;
    loop[Slot.OnDemandBilledMs] = onDemandBilledMs;
    loop[Slot.PeakRunning] = peakRunning;
    loop[Slot.NextArrival] = nextArrival;
    return more;
  }

  /** Takes a usable idle environment off the general path; its creation time, or NONE. */
  private takeIdle(now: number): number {
    const i = this.findIdle(now);
    if (i < 0) return NONE;
    const createdAt = this.idle.createdAt[i] as number;
    this.idle.removeAt(i);
    return createdAt;
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

  /** Reports to an adaptive keep-alive policy how long the function had nothing running. */
  private noteIdleTime(now: number): void {
    const since = this.sums[Slot.LastAllIdleAt] as number;
    if (since >= 0) this.p.keepAlive.observeIdle(now - since);
  }

  /** Draws a cold request's service time and bills it; its completion value goes to `coldValue`. */
  private drawCold(now: number, measured: boolean): number {
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
      this.add(Slot.ColdStarts, 1);
      if (value < 0) this.add(Slot.Timeouts, 1);
      this.add(Slot.ColdBilledMs, billed);
      const series = this.series;
      if (series) series.coldStarts[series.current] = (series.coldStarts[series.current] as number) + 1;
    }
    this.sums[Slot.ColdValue] = value;
    return duration;
  }

  /** A request the timeout cuts short: its environment is killed, as AWS does. */
  private timedOut(value: number, measured: boolean): number {
    if (measured) this.add(Slot.Timeouts, 1);
    return value === PROVISIONED ? value : -2 - value;
  }

  private countProvisioned(billedMs: number): void {
    this.add(Slot.ProvisionedServed, 1);
    this.add(Slot.ProvisionedBilledMs, billedMs);
  }

  /** A completion off the fast path: adaptive keep-alive, provisioned, or killed by a timeout. */
  private completeOther(end: number, value: number, running: number): void {
    // Only the adaptive policy, which never takes the fast path, asks how long nothing ran.
    if (running === 0) this.sums[Slot.LastAllIdleAt] = end;
    if (value >= 0) {
      if (!this.constantKeepAlive) this.keepOrRetire(end, value);
      else if (this.keepAliveMs > 0) this.idle.push(end, end + this.keepAliveMs, value);
      else this.retire(value, end);
    } else if (value === PROVISIONED) this.provisionedBusy--;
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
      if (availableAt >= this.warmupMs && availableAt < this.horizonMs) this.add(Slot.Prewarms, 1);
    }
    if (expiresAt > availableAt) this.idle.push(availableAt, expiresAt, createdAt);
    else this.retire(createdAt, Math.max(end, expiresAt));
  }

  private limited(now: number, origin: number, attempt: number, measured: boolean): void {
    const retry = this.p.throttle;
    if (retry) {
      if (measured) this.add(Slot.Throttles, 1);
      if (attempt < retry.maxRetries) {
        if (measured) this.add(Slot.RetriesMade, 1);
        const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
        this.retries.push(now + this.p.rng.nextOpen() * ceiling, origin, attempt + 1);
        return;
      }
    }
    if (measured) {
      this.add(Slot.Rejections, 1);
      const series = this.series;
      if (series) series.rejections[series.current] = (series.rejections[series.current] as number) + 1;
    }
  }

  /** An on-demand environment existed over [createdAt, endedAt). */
  private retire(createdAt: number, endedAt: number): void {
    this.add(Slot.InstanceMs, this.measuredPart(createdAt, endedAt));
    if (this.series) this.series.addInstance(createdAt, endedAt);
    if (endedAt >= this.warmupMs && endedAt < this.horizonMs) {
      this.add(Slot.RetiredInstances, 1);
      this.add(Slot.LifespanSumMs, endedAt - createdAt);
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
        this.add(Slot.InstanceMs, this.measuredPart(createdAt, horizonMs));
        if (series) series.addInstance(createdAt, horizonMs);
      }
    }
    this.completions.forEach((_end, value) => {
      if (value === PROVISIONED) return;
      const createdAt = value >= 0 ? value : -2 - value;
      this.add(Slot.InstanceMs, this.measuredPart(createdAt, horizonMs));
      if (series) series.addInstance(createdAt, horizonMs);
    });
  }

  private measuredPart(from: number, to: number): number {
    const a = from > this.warmupMs ? from : this.warmupMs;
    const b = to < this.horizonMs ? to : this.horizonMs;
    return b > a ? b - a : 0;
  }

  private add(slot: Slot, amount: number): void {
    this.sums[slot] = (this.sums[slot] as number) + amount;
  }

  private tally(): PlatformTally {
    const loop = this.sums;
    const served = this.latency.count;
    return {
      invocations: loop[Slot.Invocations] as number,
      attempts: (loop[Slot.Invocations] as number) + (this.sums[Slot.RetriesMade] as number),
      served,
      coldStarts: (this.sums[Slot.ColdStarts] as number),
      provisionedServed: (this.sums[Slot.ProvisionedServed] as number),
      rejections: (this.sums[Slot.Rejections] as number),
      throttles: (this.sums[Slot.Throttles] as number),
      timeouts: (this.sums[Slot.Timeouts] as number),
      prewarms: (this.sums[Slot.Prewarms] as number),
      runningMs: loop[Slot.RunningMs] as number,
      instanceMs: (this.sums[Slot.InstanceMs] as number),
      peakRunning: loop[Slot.PeakRunning] as number,
      retiredInstances: (this.sums[Slot.RetiredInstances] as number),
      lifespanSumMs: (this.sums[Slot.LifespanSumMs] as number),
      serviceSumMs: loop[Slot.ServiceSumMs] as number,
      onDemandRequests: served - (this.sums[Slot.ProvisionedServed] as number),
      onDemandBilledMs: (loop[Slot.OnDemandBilledMs] as number) + (this.sums[Slot.ColdBilledMs] as number),
      provisionedBilledMs: (this.sums[Slot.ProvisionedBilledMs] as number),
      latency: this.latency,
    };
  }
}
