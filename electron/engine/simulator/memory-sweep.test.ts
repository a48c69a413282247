import { describe, expect, test } from 'vitest';
import { sweepMemory } from './memory-sweep.ts';
import { parseScenario } from './parse-scenario.ts';

const scenario = (warmMs: number) =>
  parseScenario({
    function: { memoryMb: 256 },
    arrivals: { type: 'poisson', ratePerSecond: 5 },
    // No init time, so that durations are the warm ones alone.
    service: { warm: { type: 'fixed', ms: warmMs }, init: { type: 'fixed', ms: 0 } },
    horizonSeconds: 3600,
  });

describe('sweepMemory', () => {
  test('CPU-bound work: duration falls with memory up to one vCPU, cost per invocation stays about flat until then', () => {
    const sweep = sweepMemory(scenario(800), { memorySizesMb: [128, 256, 512, 1024, 1769, 3008] });
    const byMemory = new Map(sweep.points.map((p) => [p.memoryMb, p]));
    expect(byMemory.get(512)?.durationScale).toBeCloseTo(0.5, 12);
    expect(byMemory.get(128)?.durationScale).toBeCloseTo(2, 12);
    // Single-threaded: no faster above 1,769 MB, only dearer.
    expect(byMemory.get(3008)?.durationScale).toBeCloseTo(256 / 1769, 12);
    expect(byMemory.get(3008)?.durationMs).toBeCloseTo(byMemory.get(1769)?.durationMs ?? 0, 6);
    expect(sweep.picks.fastest.memoryMb).toBe(1769);
    expect((byMemory.get(3008)?.costPerInvocation ?? 0) > (byMemory.get(1769)?.costPerInvocation ?? 0)).toBe(true);
    // 800 ms at 256 MB costs 0.2 GB-s of duration: $0.00000333334 per invocation, as Power Tuning counts it.
    expect(byMemory.get(256)?.costPerInvocation).toBeCloseTo(0.2 * 0.0000166667, 12);
  });

  test('work that waits on the network does not get faster: the cheapest size is the smallest', () => {
    const sweep = sweepMemory(scenario(300), { memorySizesMb: [128, 512, 2048], cpuBoundShare: 0 });
    expect(sweep.points.map((p) => p.durationMs)).toEqual([300, 300, 300]);
    expect(sweep.picks.cheapest.memoryMb).toBe(128);
    expect(sweep.picks.fastest.memoryMb).toBe(128);
  });

  test('multi-threaded code keeps speeding up above one vCPU', () => {
    const sweep = sweepMemory(scenario(800), { memorySizesMb: [1769, 3538], multiThreaded: true });
    expect(sweep.points[1]?.durationScale).toBeCloseTo((sweep.points[0]?.durationScale ?? 0) / 2, 12);
  });

  test('every memory size sees the same arrivals (common random numbers)', () => {
    const sweep = sweepMemory(scenario(100), { memorySizesMb: [128, 1024] });
    expect(sweep.points[0]?.monthlyTotal).toBeGreaterThan(0);
    expect(new Set(sweep.points.map((p) => p.coldStartProbability)).size).toBeLessThanOrEqual(2);
  });
});
