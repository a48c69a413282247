import { describe, expect, test } from 'vitest';
import { parseScenario } from './parse-scenario.ts';
import { runSimulation } from './run-simulation.ts';
import type { ScenarioInput } from './scenario-schema.ts';

function scenario(input: Partial<ScenarioInput>) {
  return parseScenario({
    arrivals: { type: 'poisson', ratePerSecond: 10 },
    service: { warm: { type: 'exponential', meanMs: 100 }, init: { type: 'exponential', meanMs: 200 } },
    horizonSeconds: 1000,
    ...input,
  });
}

/** Erlang's loss formula, B(m, a) = (a^m / m!) / Σ_{k=0..m} a^k / k!, term by term. */
function erlangB(servers: number, offeredLoad: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k <= servers; k++) {
    term *= offeredLoad / k;
    sum += term;
  }
  return term / sum;
}

describe('statistical properties', () => {
  test("Little's law: average running = arrival rate × mean service time, within 1 % over a million requests", () => {
    const s = scenario({ arrivals: { type: 'poisson', ratePerSecond: 10 }, horizonSeconds: 100_000, timeSeries: { binSeconds: 3600 } });
    const r = runSimulation(s);
    expect(r.invocations).toBeGreaterThan(990_000);
    // Cold requests take init + warm, so the mean service time is warm mean + P(cold) × init mean.
    const meanServiceMs = 100 + (r.coldStarts / r.served) * 200;
    const expected = 10 * (meanServiceMs / 1000);
    expect(Math.abs(r.avgRunning - expected) / expected).toBeLessThan(0.01);
    expect(r.meanServiceMs).toBeCloseTo(meanServiceMs, 0);
  });

  test('the same seed gives the same result; another seed a different one', () => {
    const s = scenario({ seed: 42 });
    expect(runSimulation(s)).toEqual(runSimulation(s));
    expect(runSimulation(s, { seed: 43 }).invocations).not.toBe(runSimulation(s).invocations);
  });

  test.each([
    ['none', { type: 'none' }],
    ['fixed 0 s', { type: 'fixed', idleSeconds: 0 }],
  ] as const)('a keep-alive of zero (%s) makes every request cold', (_name, keepAlive) => {
    const r = runSimulation(scenario({ keepAlive, arrivals: { type: 'poisson', ratePerSecond: 50 } }));
    expect(r.invocations).toBeGreaterThan(45_000);
    expect(r.coldStarts).toBe(r.invocations);
    expect(r.coldStartProbability).toBe(1);
  });

  test('a concurrency limit of m under overload rejects at the Erlang-B loss rate', () => {
    const m = 10;
    const ratePerSecond = 60;
    const meanMs = 200;
    const s = scenario({
      arrivals: { type: 'poisson', ratePerSecond },
      // Cold and warm alike, so that keep-alive is irrelevant: an M/M/m/m loss system.
      service: { warm: { type: 'exponential', meanMs }, cold: { type: 'exponential', meanMs } },
      concurrency: { max: m, onLimit: 'reject' },
      horizonSeconds: 17_000,
      warmupSeconds: 60,
      timeSeries: { binSeconds: 3600 },
    });
    const r = runSimulation(s);
    const expected = erlangB(m, (ratePerSecond * meanMs) / 1000);
    expect(expected).toBeGreaterThan(0.25);
    expect(r.invocations).toBeGreaterThan(1_000_000);
    expect(Math.abs(r.rejectionProbability - expected)).toBeLessThan(0.006);
    expect(r.peakRunning).toBe(m);
  });
});

describe('platform behaviour on hand-made traces', () => {
  const fixed = (ms: number) => ({ type: 'fixed' as const, ms });

  test("the idle timer starts when the request ends, and 'expired' means idle for the whole keep-alive", () => {
    const base = { service: { warm: fixed(500), init: fixed(0) }, keepAlive: { type: 'fixed' as const, idleSeconds: 1 }, horizonSeconds: 10 };
    // Ends at 500, idle until 1,500: a request at 1,400 is warm although 1,400 ms passed since it started.
    expect(runSimulation(scenario({ ...base, arrivals: { type: 'trace', timesMs: [0, 1400] } })).coldStarts).toBe(1);
    expect(runSimulation(scenario({ ...base, arrivals: { type: 'trace', timesMs: [0, 1500] } })).coldStarts).toBe(2);
  });

  test('newest-idle-first lets the older environment expire; oldest-first keeps both alive', () => {
    const base = {
      service: { warm: fixed(100), init: fixed(0) },
      keepAlive: { type: 'fixed' as const, idleSeconds: 1 },
      arrivals: { type: 'trace' as const, timesMs: [0, 50, 700, 1100, 1500, 1900, 2300] },
      horizonSeconds: 3,
    };
    const newest = runSimulation(scenario({ ...base, routing: 'newest' }));
    const oldest = runSimulation(scenario({ ...base, routing: 'oldest' }));
    expect(newest.coldStarts).toBe(2);
    expect(oldest.coldStarts).toBe(2);
    expect(newest.retiredInstances).toBe(1);
    expect(oldest.retiredInstances).toBe(0);
    expect(newest.avgInstances).toBeLessThan(oldest.avgInstances);
  });

  test('a cold request takes init + warm time, or the explicit cold time; latency percentiles include it', () => {
    const trace = { type: 'trace' as const, timesMs: [0, 10_000, 20_000] };
    const split = runSimulation(scenario({ arrivals: trace, service: { warm: fixed(100), init: fixed(400) }, horizonSeconds: 30 }));
    expect(split.latencyMs.max).toBe(500);
    expect(split.billedMs.onDemand).toBe(3 * 100 + 400);
    const whole = runSimulation(scenario({ arrivals: trace, service: { warm: fixed(100), cold: fixed(700) }, horizonSeconds: 30 }));
    expect(whole.latencyMs.max).toBe(700);
    expect(whole.latencyMs.p50).toBeCloseTo(100, 0);
    const initFree = runSimulation(scenario({ arrivals: trace, service: { warm: fixed(100), init: fixed(400) }, horizonSeconds: 30, pricing: { billInit: false } }));
    expect(initFree.billedMs.onDemand).toBe(300);
  });

  test('100 ms granularity bills each request up to the next 100 ms', () => {
    const r = runSimulation(scenario({ arrivals: { type: 'constant', ratePerSecond: 1 }, service: { warm: fixed(46.12), init: fixed(0) }, horizonSeconds: 100, pricing: { granularityMs: 100, billInit: false } }));
    expect(r.invocations).toBe(100);
    expect(r.billedMs.onDemand).toBe(100 * 100);
  });

  test('throttled requests retry with backoff and are served later; their wait counts in latency', () => {
    const r = runSimulation(
      scenario({
        arrivals: { type: 'trace', timesMs: [0, 10] },
        service: { warm: fixed(1000), init: fixed(0) },
        concurrency: { max: 1, onLimit: 'throttle', retry: { maxRetries: 20, baseDelayMs: 1000 } },
        horizonSeconds: 600,
      }),
    );
    expect(r.served).toBe(2);
    expect(r.rejections).toBe(0);
    expect(r.throttles).toBeGreaterThan(0);
    expect(r.latencyMs.max).toBeGreaterThan(1000);
  });

  test('throttled requests that run out of retries are counted as rejected', () => {
    const r = runSimulation(
      scenario({
        arrivals: { type: 'trace', timesMs: [0, 10] },
        service: { warm: fixed(10_000), init: fixed(0) },
        concurrency: { max: 1, onLimit: 'throttle', retry: { maxRetries: 2, baseDelayMs: 100 } },
        horizonSeconds: 60,
      }),
    );
    expect(r.throttles).toBe(3);
    expect(r.rejections).toBe(1);
    expect(r.served).toBe(1);
  });

  test("AWS's scaling rate: 1,000 new environments per 10 s, so a burst of 2,000 at once loses 1,000", () => {
    const burst = { type: 'bursts' as const, burstSize: 2000, everySeconds: 1000, spreadMs: 0 };
    const base = { arrivals: burst, service: { warm: fixed(60_000), init: fixed(0) }, concurrency: { max: 10_000 }, horizonSeconds: 100 };
    expect(runSimulation(scenario({ ...base, concurrency: { max: 10_000, scalingLimit: true } })).rejections).toBe(1000);
    expect(runSimulation(scenario(base)).rejections).toBe(0);
  });

  test('provisioned environments serve first, warm, at the PC price; the overflow goes on-demand', () => {
    const r = runSimulation(
      scenario({
        arrivals: { type: 'constant', ratePerSecond: 1 },
        service: { warm: fixed(100), init: fixed(300) },
        provisioned: { concurrency: 2 },
        horizonSeconds: 3600,
      }),
    );
    expect(r.coldStarts).toBe(0);
    expect(r.provisionedServed).toBe(r.invocations);
    expect(r.cost.provisionedCharge).toBeGreaterThan(0);
    expect(r.cost.computeCharge).toBe(0);
    expect(r.avgProvisioned).toBe(2);

    const overflow = runSimulation(
      scenario({ arrivals: { type: 'trace', timesMs: [0, 10, 20] }, service: { warm: fixed(100), init: fixed(300) }, provisioned: { concurrency: 2 }, horizonSeconds: 10 }),
    );
    expect(overflow.provisionedServed).toBe(2);
    expect(overflow.coldStarts).toBe(1);
  });

  test('a scheduled provisioned level applies only inside its window', () => {
    const r = runSimulation(
      scenario({
        arrivals: { type: 'trace', timesMs: [1000, 5000] },
        service: { warm: fixed(100), init: fixed(300) },
        provisioned: { schedule: [{ atSeconds: 3, concurrency: 1 }, { atSeconds: 6, concurrency: 0 }] },
        horizonSeconds: 10,
      }),
    );
    expect(r.coldStarts).toBe(1);
    expect(r.provisionedServed).toBe(1);
    expect(r.avgProvisioned).toBeCloseTo(0.3, 10);
  });

  test('a request over the timeout is cut there and its environment killed, so the next one is cold', () => {
    const r = runSimulation(
      scenario({
        function: { timeoutSeconds: 1 },
        arrivals: { type: 'constant', ratePerSecond: 0.5 },
        service: { warm: fixed(5000), init: fixed(0) },
        horizonSeconds: 20,
      }),
    );
    expect(r.timeouts).toBe(r.invocations);
    expect(r.coldStarts).toBe(r.invocations);
    expect(r.latencyMs.max).toBe(1000);
    expect(r.billedMs.onDemand).toBe(1000 * r.invocations);
  });

  test('requests before the warm-up are simulated but not counted', () => {
    const r = runSimulation(scenario({ arrivals: { type: 'constant', ratePerSecond: 1 }, warmupSeconds: 40, horizonSeconds: 100 }));
    expect(r.invocations).toBe(60);
    expect(r.measuredSeconds).toBe(60);
  });

  test('a maximum environment life retires busy environments after it', () => {
    const r = runSimulation(
      scenario({
        arrivals: { type: 'constant', ratePerSecond: 1 },
        service: { warm: fixed(100), init: fixed(0) },
        keepAlive: { type: 'fixed', idleSeconds: 600, maxLifeHours: 0.01 },
        horizonSeconds: 360,
      }),
    );
    // A life of 36 s: a new environment about every 36 requests.
    expect(r.coldStarts).toBe(10);
  });
});

describe('outputs', () => {
  test('the per-minute series add up to the totals', () => {
    const r = runSimulation(scenario({ arrivals: { type: 'poisson', ratePerSecond: 30 }, horizonSeconds: 1830, keepAlive: { type: 'fixed', idleSeconds: 120 } }));
    const ts = r.timeSeries;
    if (!ts) throw new Error('no time series');
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(ts.invocations).toHaveLength(31);
    expect(sum(ts.invocations)).toBe(r.invocations);
    expect(sum(ts.coldStarts)).toBe(r.coldStarts);
    // Time-weighted: the last bin is 30 s long.
    const weights = ts.avgRunning.map((_, k) => (k === 30 ? 30 : 60));
    const weighted = (xs: number[]) => xs.reduce((a, x, k) => a + x * (weights[k] as number), 0) / 1830;
    expect(weighted(ts.avgRunning)).toBeCloseTo(r.avgRunning, 9);
    expect(weighted(ts.avgInstances)).toBeCloseTo(r.avgInstances, 9);
    expect(Math.max(...ts.peakRunning)).toBe(r.peakRunning);
  });

  test('utilisation, idle instances and the cost breakdown are consistent', () => {
    const r = runSimulation(scenario({}));
    expect(r.avgIdle).toBeCloseTo(r.avgInstances - r.avgRunning, 12);
    expect(r.utilization).toBeCloseTo(r.avgRunning / r.avgInstances, 12);
    expect(r.cost.total).toBeCloseTo(r.cost.requestCharge + r.cost.computeCharge + r.cost.ephemeralCharge + r.cost.provisionedCharge, 12);
    expect(r.cost.usage.requests).toBe(r.served);
    expect(r.monthlyCost.usage.requests).toBe(Math.round((r.served * 30 * 86_400) / 1000));
  });
});

describe('keep-alive policies', () => {
  test('the hybrid histogram policy learns a 20-minute period that a 10-minute keep-alive misses', () => {
    const base = {
      arrivals: { type: 'bursts' as const, burstSize: 3, everySeconds: 1200, spreadMs: 5000 },
      service: { warm: { type: 'fixed' as const, ms: 100 }, init: { type: 'fixed' as const, ms: 200 } },
      horizonSeconds: 7 * 86_400,
    };
    const fixed = runSimulation(scenario({ ...base, keepAlive: { type: 'fixed', idleSeconds: 600 } }));
    const hybrid = runSimulation(scenario({ ...base, keepAlive: { type: 'hybrid' } }));
    expect(fixed.coldStarts).toBeGreaterThanOrEqual(500);
    expect(hybrid.coldStarts).toBeLessThan(fixed.coldStarts / 5);
  });

  test('jitter keeps environments a little longer, never shorter', () => {
    const base = { arrivals: { type: 'poisson' as const, ratePerSecond: 0.002 }, horizonSeconds: 500_000 };
    const plain = runSimulation(scenario({ ...base, keepAlive: { type: 'fixed', idleSeconds: 600 } }));
    const jittered = runSimulation(scenario({ ...base, keepAlive: { type: 'fixed', idleSeconds: 600, jitterSeconds: 40 } }));
    expect(jittered.invocations).toBe(plain.invocations);
    expect(jittered.coldStarts).toBeLessThanOrEqual(plain.coldStarts);
    expect(jittered.avgInstances).toBeGreaterThan(plain.avgInstances);
  });
});
