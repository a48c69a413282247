import { describe, expect, test } from 'vitest';
import { LatencyHistogram } from './latency-histogram.ts';
import { Random } from './random.ts';

describe('LatencyHistogram', () => {
  test('percentiles are within 0.4 % of the exact ones over five orders of magnitude', () => {
    const h = new LatencyHistogram();
    const r = new Random(2);
    const values: number[] = [];
    for (let i = 0; i < 100_000; i++) {
      const v = Math.exp(r.nextNormal() * 2 + 4);
      values.push(v);
      h.record(v);
    }
    values.sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.95, 0.99, 0.999]) {
      const exact = values[Math.ceil(q * values.length) - 1] as number;
      expect(Math.abs(h.quantileMs(q) - exact) / exact).toBeLessThan(0.004);
    }
    expect(h.count).toBe(100_000);
    expect(h.maxMs).toBe(values.at(-1));
    expect(h.minMs).toBe(values[0]);
    expect(h.meanMs).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 6);
  });

  test('small values are resolved to 1/16 ms and a constant comes back as itself', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 10; i++) h.record(3);
    expect(h.quantileMs(0.5)).toBe(3);
    h.record(0.1);
    expect(h.quantileMs(0)).toBeCloseTo(0.1, 1);
  });

  test('merging two histograms equals recording everything into one', () => {
    const [a, b, all] = [new LatencyHistogram(), new LatencyHistogram(), new LatencyHistogram()];
    for (let i = 1; i <= 1000; i++) {
      (i % 2 ? a : b).record(i);
      all.record(i);
    }
    a.merge(b);
    expect(a.quantileMs(0.95)).toBe(all.quantileMs(0.95));
    expect(a.count).toBe(1000);
    expect(a.maxMs).toBe(1000);
  });

  test('an empty histogram reports zeros', () => {
    expect(new LatencyHistogram().quantileMs(0.99)).toBe(0);
    expect(new LatencyHistogram().meanMs).toBe(0);
  });
});
