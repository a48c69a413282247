import { describe, expect, test } from 'vitest';
import { judgeColdStarts, predictColdStarts } from './cold-start-prediction.ts';

describe('predictColdStarts', () => {
  test('requests further apart than the keep-alive are all cold; closer ones reuse the environment', () => {
    const service = { warm: { type: 'fixed' as const, ms: 50 }, init: { type: 'fixed' as const, ms: 100 } };
    const apart = predictColdStarts({ arrivalsMs: [0, 5000, 10_000, 15_000], service, keepAliveMs: 2000, runs: 5 });
    expect(apart.mean).toBe(4);
    expect(apart.stdDev).toBe(0);
    const close = predictColdStarts({ arrivalsMs: [0, 1000, 2000, 3000], service, keepAliveMs: 2000, runs: 5 });
    expect(close.mean).toBe(1);
  });

  test('random service times make overlaps, and so cold starts, vary: the prediction has a spread', () => {
    const arrivalsMs = Array.from({ length: 200 }, (_, i) => i * 300);
    const p = predictColdStarts({
      arrivalsMs,
      service: { warm: { type: 'exponential', meanMs: 250 }, init: { type: 'exponential', meanMs: 150 } },
      keepAliveMs: 5000,
      runs: 50,
      seed: 3,
    });
    expect(p.invocations).toBe(200);
    expect(p.mean).toBeGreaterThan(1);
    expect(p.stdDev).toBeGreaterThan(0);
    expect(p.min).toBeLessThan(p.max);
    expect(p.standardError).toBeCloseTo(p.stdDev / Math.sqrt(50), 12);
    expect(judgeColdStarts(Math.round(p.mean), p).agrees).toBe(true);
    expect(judgeColdStarts(p.max + 10 * p.stdDev + 5, p).agrees).toBe(false);
  });

  test('bad input says what is wrong', () => {
    const service = { warm: { type: 'fixed' as const, ms: 1 }, init: { type: 'fixed' as const, ms: 1 } };
    expect(() => predictColdStarts({ arrivalsMs: [], service, keepAliveMs: 1000 })).toThrow(/arrivalsMs is empty/);
    expect(() => predictColdStarts({ arrivalsMs: [0], service, keepAliveMs: 1000, runs: 1 })).toThrow(/at least 2/);
  });
});
