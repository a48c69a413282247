import { describe, expect, test } from 'vitest';
import { HybridHistogramPolicy } from './hybrid-histogram-policy.ts';
import { parseScenario } from './parse-scenario.ts';

const spec = () => {
  const s = parseScenario({ arrivals: { type: 'poisson', ratePerSecond: 1 }, service: { warm: { type: 'fixed', ms: 1 }, init: { type: 'fixed', ms: 1 } }, keepAlive: { type: 'hybrid' } });
  if (s.keepAlive.type !== 'hybrid') throw new Error('not hybrid');
  return s.keepAlive;
};
const minutes = (m: number) => m * 60_000;

describe('HybridHistogramPolicy', () => {
  test('with too few idle times it keeps environments for the whole 4-hour range', () => {
    const policy = new HybridHistogramPolicy(spec());
    policy.observeIdle(minutes(20));
    policy.decide();
    expect(policy.prewarmMs).toBe(0);
    expect(policy.keepAliveMs).toBe(minutes(240));
  });

  test('a regular 20-minute pattern: unload, pre-warm at the 5th percentile − 10 %, keep until the 99th + 10 %', () => {
    const policy = new HybridHistogramPolicy(spec());
    for (let i = 0; i < 50; i++) policy.observeIdle(minutes(20) + i * 100);
    policy.decide();
    expect(policy.prewarmMs).toBe(minutes(20) * 0.9);
    expect(policy.prewarmMs + policy.keepAliveMs).toBeCloseTo(minutes(21) * 1.1, 6);
  });

  test('idle times spread evenly over the range are not a pattern: fall back to the whole range', () => {
    const policy = new HybridHistogramPolicy(spec());
    for (let i = 0; i < 240; i++) policy.observeIdle(minutes(i) + 1000);
    policy.decide();
    expect(policy.prewarmMs).toBe(0);
    expect(policy.keepAliveMs).toBe(minutes(240));
  });

  test('mostly idle times beyond the range: pre-warm around the forecast with a 15 % margin', () => {
    const policy = new HybridHistogramPolicy(spec());
    for (let i = 0; i < 20; i++) policy.observeIdle(minutes(300));
    policy.decide();
    expect(policy.prewarmMs).toBeCloseTo(minutes(300) * 0.85, 6);
    expect(policy.keepAliveMs).toBeCloseTo(minutes(300) * 0.3, 6);
  });
});
