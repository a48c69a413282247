import { describe, expect, test } from 'vitest';
import { createDurationSampler } from './duration-samplers.ts';
import { Random } from './random.ts';
import type { DistributionSpec } from './scenario-schema.ts';

function sampleMean(spec: DistributionSpec, n = 200_000, scale = 1): { mean: number; min: number; sampler: ReturnType<typeof createDurationSampler> } {
  const sampler = createDurationSampler(spec, new Random(11), scale);
  let sum = 0;
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const x = sampler.next();
    sum += x;
    min = Math.min(min, x);
  }
  return { mean: sum / n, min, sampler };
}

describe('duration samplers', () => {
  test.each<[string, DistributionSpec, number]>([
    ['fixed', { type: 'fixed', ms: 42 }, 42],
    ['exponential', { type: 'exponential', meanMs: 120 }, 120],
    ['log-normal by median', { type: 'lognormal', medianMs: 100, sigma: 0.5 }, 100 * Math.exp(0.125)],
    ['log-normal by mean', { type: 'lognormal', meanMs: 250, sigma: 1 }, 250],
    ['truncated normal', { type: 'normal', meanMs: 10, stdDevMs: 20 }, 10 + (20 * 0.3520653) / (1 - 0.3085375)],
    ['empirical', { type: 'empirical', samplesMs: [1, 2, 3, 10] }, 4],
  ])('%s: draws average to the stated mean and are never negative', (_name, spec, mean) => {
    const { mean: observed, min, sampler } = sampleMean(spec);
    expect(sampler.meanMs).toBeCloseTo(mean, 3);
    expect(Math.abs(observed - mean) / mean).toBeLessThan(0.02);
    expect(min).toBeGreaterThanOrEqual(0);
  });

  test('scale multiplies every draw (the memory sweep relies on it)', () => {
    expect(sampleMean({ type: 'exponential', meanMs: 100 }, 1000, 0.5).sampler.meanMs).toBe(50);
    expect(sampleMean({ type: 'lognormal', medianMs: 100, sigma: 0 }, 10, 2).mean).toBeCloseTo(200, 9);
    expect(sampleMean({ type: 'empirical', samplesMs: [10] }, 10, 3).mean).toBe(30);
  });

  test('empirical draws only what was measured', () => {
    const sampler = createDurationSampler({ type: 'empirical', samplesMs: [3.5, 7] }, new Random(1));
    const seen = new Set(Array.from({ length: 100 }, () => sampler.next()));
    expect([...seen].sort()).toEqual([3.5, 7]);
  });
});
