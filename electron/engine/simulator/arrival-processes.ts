import type { Random } from './random.ts';
import { ScenarioError } from './scenario-error.ts';
import type { ArrivalSpec } from './scenario-schema.ts';

/**
 * Arrival processes: each yields the next arrival time (ms from the start, never decreasing),
 * then Infinity when it has no more. One object per run; no allocation per arrival.
 */
export interface ArrivalProcess {
  next(): number;
}

const BATCH = 512;

/**
 * Poisson arrivals, made in batches by a tight loop so that `next()` stays small enough for V8
 * to inline (a double returned from a call that is not inlined is boxed: one allocation each).
 */
class PoissonArrivals implements ArrivalProcess {
  /** The last arrival time, in a typed array so that it is a float64 from the start. */
  private readonly last = new Float64Array(1);
  private readonly meanGapMs: number;
  private readonly batch = new Float64Array(BATCH);
  private i = BATCH;
  constructor(
    private readonly rng: Random,
    ratePerSecond: number,
  ) {
    this.meanGapMs = 1000 / ratePerSecond;
  }
  next(): number {
    if (this.i === BATCH) this.refill();
    return this.batch[this.i++] as number;
  }
  private refill(): void {
    const { rng, meanGapMs, batch } = this;
    let t = this.last[0] as number;
    for (let k = 0; k < BATCH; k++) {
      t += -Math.log(rng.nextOpen()) * meanGapMs;
      batch[k] = t;
    }
    this.last[0] = t;
    this.i = 0;
  }
}

/** First arrival at 0; times are k × gap rather than a running sum, so they do not drift. */
class ConstantArrivals implements ArrivalProcess {
  private k = 0;
  private readonly gapMs: number;
  constructor(ratePerSecond: number) {
    this.gapMs = 1000 / ratePerSecond;
  }
  next(): number {
    return this.k++ * this.gapMs;
  }
}

/**
 * A Poisson process whose rate is constant within each segment. Exact, not thinned: one unit
 * exponential of "work" is spent across segments at their rates.
 */
class PiecewiseArrivals implements ArrivalProcess {
  private t = 0;
  private segment = 0;
  private segmentEnd: number;
  private readonly ends: Float64Array;
  private readonly ratesPerMs: Float64Array;
  constructor(
    private readonly rng: Random,
    segments: readonly { durationSeconds: number; ratePerSecond: number }[],
    private readonly repeat: boolean,
  ) {
    this.ratesPerMs = Float64Array.from(segments, (s) => s.ratePerSecond / 1000);
    this.ends = Float64Array.from(segments, (s) => s.durationSeconds * 1000);
    this.segmentEnd = this.ends[0] as number;
  }
  next(): number {
    let work = -Math.log(this.rng.nextOpen());
    for (;;) {
      const rate = this.ratesPerMs[this.segment] as number;
      const room = (this.segmentEnd - this.t) * rate;
      if (work < room) {
        this.t += work / rate;
        return this.t;
      }
      work -= room;
      this.t = this.segmentEnd;
      this.segment++;
      if (this.segment === this.ends.length) {
        if (!this.repeat) return Infinity;
        this.segment = 0;
      }
      this.segmentEnd += this.ends[this.segment] as number;
    }
  }
}

/** A sinusoidal day: rate = mean × (1 + amplitude × cos(2π (t − peak) / period)), by thinning. */
class DiurnalArrivals implements ArrivalProcess {
  private t = 0;
  private readonly maxGapMs: number;
  private readonly omega: number;
  constructor(
    private readonly rng: Random,
    meanRatePerSecond: number,
    private readonly amplitude: number,
    periodSeconds: number,
    private readonly peakAtMs: number,
  ) {
    this.maxGapMs = 1000 / (meanRatePerSecond * (1 + amplitude));
    this.omega = (2 * Math.PI) / (periodSeconds * 1000);
  }
  next(): number {
    for (;;) {
      this.t += -Math.log(this.rng.nextOpen()) * this.maxGapMs;
      const share = (1 + this.amplitude * Math.cos(this.omega * (this.t - this.peakAtMs))) / (1 + this.amplitude);
      if (this.rng.nextOpen() < share) return this.t;
    }
  }
}

/** Background Poisson traffic plus a burst of N requests every period, spread evenly at random. */
class BurstArrivals implements ArrivalProcess {
  private nextBase: number;
  private nextBurst: number;
  private burstStart: number;
  private inBurst = 0;
  private readonly base: PoissonArrivals | undefined;
  constructor(
    private readonly rng: Random,
    baseRatePerSecond: number,
    private readonly burstSize: number,
    private readonly everyMs: number,
    private readonly spreadMs: number,
    firstAtMs: number,
  ) {
    this.base = baseRatePerSecond > 0 ? new PoissonArrivals(rng, baseRatePerSecond) : undefined;
    this.nextBase = this.base ? this.base.next() : Infinity;
    this.burstStart = firstAtMs;
    this.nextBurst = this.burstTime();
  }
  next(): number {
    if (this.nextBase < this.nextBurst) {
      const t = this.nextBase;
      this.nextBase = (this.base as PoissonArrivals).next();
      return t;
    }
    const t = this.nextBurst;
    if (++this.inBurst === this.burstSize) {
      this.inBurst = 0;
      this.burstStart += this.everyMs;
    }
    this.nextBurst = this.burstTime();
    return t;
  }
  /** Stratified: the i-th request of a burst lands in the i-th slice of the spread. */
  private burstTime(): number {
    if (this.spreadMs === 0) return this.burstStart;
    return this.burstStart + ((this.inBurst + this.rng.nextOpen()) / this.burstSize) * this.spreadMs;
  }
}

class ReplayedTimes implements ArrivalProcess {
  private i = 0;
  constructor(private readonly timesMs: Float64Array) {}
  next(): number {
    return this.i < this.timesMs.length ? (this.timesMs[this.i++] as number) : Infinity;
  }
}

/**
 * Azure Functions 2019 traces give invocations per minute; within a minute the k arrivals land
 * one in each k-th of it, at a random point (stratified, so they come out in order).
 */
class PerMinuteArrivals implements ArrivalProcess {
  private minute = -1;
  private k = 0;
  private count = 0;
  constructor(
    private readonly rng: Random,
    private readonly counts: Float64Array,
    private readonly minuteMs: number,
  ) {}
  next(): number {
    while (this.k >= this.count) {
      if (++this.minute >= this.counts.length) return Infinity;
      this.count = this.counts[this.minute] as number;
      this.k = 0;
    }
    return (this.minute + (this.k++ + this.rng.nextOpen()) / this.count) * this.minuteMs;
  }
}

export function createArrivalProcess(spec: ArrivalSpec, rng: Random): ArrivalProcess {
  switch (spec.type) {
    case 'poisson':
      return new PoissonArrivals(rng, spec.ratePerSecond);
    case 'constant':
      return new ConstantArrivals(spec.ratePerSecond);
    case 'piecewise':
      return new PiecewiseArrivals(rng, spec.segments, spec.repeat);
    case 'diurnal':
      return new DiurnalArrivals(rng, spec.meanRatePerSecond, spec.amplitude, spec.periodSeconds, spec.peakAtSeconds * 1000);
    case 'bursts':
      return new BurstArrivals(rng, spec.baseRatePerSecond, spec.burstSize, spec.everySeconds * 1000, spec.spreadMs, spec.firstAtSeconds * 1000);
    case 'trace': {
      if (spec.countsPerMinute) return new PerMinuteArrivals(rng, Float64Array.from(spec.countsPerMinute), 60_000 / spec.speedup);
      if (spec.timesMs) {
        const times = Float64Array.from(spec.timesMs, (t) => t / spec.speedup).sort();
        return new ReplayedTimes(times);
      }
      throw new ScenarioError('scenario', [{ field: 'arrivals.file', message: 'names a trace that was not loaded' }], 'Load the scenario with loadScenarioFile, which reads the trace, or give timesMs or countsPerMinute.');
    }
  }
}
