import type { Random } from './random.ts';
import type { DistributionSpec } from './scenario-schema.ts';

/**
 * Service-time distributions. The simulator draws once or twice per request, hundreds of
 * millions of times a run, so draws are made in batches into a typed array by a tight loop,
 * and `next()` is small enough for V8 to inline: a double returned from a call that is not
 * inlined is boxed, which would allocate once per request.
 */
export interface DurationSampler {
  /** One draw, in ms, never negative. */
  next(): number;
  /** The distribution's mean in ms, for Little's-law checks and reports. */
  readonly meanMs: number;
}

const BATCH = 512;

abstract class BatchedSampler implements DurationSampler {
  abstract readonly meanMs: number;
  private readonly batch = new Float64Array(BATCH);
  private i = BATCH;

  next(): number {
    // The refill returns nothing: a value returned from it would make this result a boxed number.
    if (this.i === BATCH) this.refill();
    return this.batch[this.i++] as number;
  }

  protected abstract fill(batch: Float64Array): void;

  private refill(): void {
    this.fill(this.batch);
    this.i = 0;
  }
}

class FixedSampler implements DurationSampler {
  constructor(readonly meanMs: number) {}
  next(): number {
    return this.meanMs;
  }
}

class ExponentialSampler extends BatchedSampler {
  constructor(
    private readonly rng: Random,
    readonly meanMs: number,
  ) {
    super();
  }
  protected fill(batch: Float64Array): void {
    const { rng, meanMs } = this;
    for (let k = 0; k < batch.length; k++) batch[k] = -Math.log(rng.nextOpen()) * meanMs;
  }
}

class LogNormalSampler extends BatchedSampler {
  readonly meanMs: number;
  constructor(
    private readonly rng: Random,
    private readonly mu: number,
    private readonly sigma: number,
  ) {
    super();
    this.meanMs = Math.exp(mu + (sigma * sigma) / 2);
  }
  protected fill(batch: Float64Array): void {
    const { rng, mu, sigma } = this;
    for (let k = 0; k < batch.length; k++) batch[k] = Math.exp(mu + sigma * rng.nextNormal());
  }
}

/** A normal cut at zero (redrawn, not clamped), so no request takes negative time. */
class TruncatedNormalSampler extends BatchedSampler {
  readonly meanMs: number;
  constructor(
    private readonly rng: Random,
    private readonly mu: number,
    private readonly sd: number,
  ) {
    super();
    if (sd === 0) this.meanMs = mu;
    else {
      const alpha = -mu / sd;
      this.meanMs = mu + (sd * normalPdf(alpha)) / (1 - normalCdf(alpha));
    }
  }
  protected fill(batch: Float64Array): void {
    const { rng, mu, sd } = this;
    for (let k = 0; k < batch.length; k++) {
      let x = mu + sd * rng.nextNormal();
      while (x < 0) x = mu + sd * rng.nextNormal();
      batch[k] = x;
    }
  }
}

/** Resamples what was measured (a bootstrap): no shape is assumed. */
class EmpiricalSampler extends BatchedSampler {
  readonly meanMs: number;
  private readonly samples: Float64Array;
  constructor(
    private readonly rng: Random,
    samples: readonly number[],
  ) {
    super();
    this.samples = Float64Array.from(samples);
    this.meanMs = this.samples.reduce((a, b) => a + b, 0) / this.samples.length;
  }
  protected fill(batch: Float64Array): void {
    const { rng, samples } = this;
    for (let k = 0; k < batch.length; k++) batch[k] = samples[rng.nextIndex(samples.length)] as number;
  }
}

/** `scale` multiplies every draw (the memory sweep's CPU-share model uses it). */
export function createDurationSampler(spec: DistributionSpec, rng: Random, scale = 1): DurationSampler {
  switch (spec.type) {
    case 'fixed':
      return new FixedSampler(spec.ms * scale);
    case 'exponential':
      return new ExponentialSampler(rng, spec.meanMs * scale);
    case 'lognormal': {
      const mu = spec.medianMs !== undefined ? Math.log(spec.medianMs) : Math.log(spec.meanMs ?? 1) - (spec.sigma * spec.sigma) / 2;
      return new LogNormalSampler(rng, mu + Math.log(scale), spec.sigma);
    }
    case 'normal':
      return new TruncatedNormalSampler(rng, spec.meanMs * scale, spec.stdDevMs * scale);
    case 'empirical':
      return new EmpiricalSampler(rng, scale === 1 ? spec.samplesMs : spec.samplesMs.map((x) => x * scale));
  }
}

function normalPdf(x: number): number {
  return Math.exp(-(x * x) / 2) / Math.sqrt(2 * Math.PI);
}

/** Abramowitz & Stegun 7.1.26 (error below 1.5e-7), enough for a reported mean. */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
