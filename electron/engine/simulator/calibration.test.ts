import { describe, expect, test } from 'vitest';
import type { InvocationRecord } from '../contract.ts';
import { calibrateFromRecords, scenarioFromRecords } from './calibration.ts';
import { parseScenario } from './parse-scenario.ts';
import { runSimulation } from './run-simulation.ts';

let clock = 0;
function record(part: Partial<InvocationRecord>): InvocationRecord {
  clock += 1000;
  return {
    requestId: `r${clock}`,
    functionName: 'Hello',
    qualifier: '$LATEST',
    sandboxId: 's1',
    cold: false,
    durationMs: 3,
    billedMs: 3,
    memorySizeMb: 512,
    maxMemoryUsedMb: 60,
    outcome: 'success',
    trigger: 'cli',
    startedAt: clock,
    endedAt: clock + 3,
    sandboxKind: 'docker',
    ...part,
  };
}

describe('calibration from recorded invocations', () => {
  test('init times of cold records and durations of warm ones become empirical distributions', () => {
    const records = [
      record({ cold: true, initMs: 140, durationMs: 9 }),
      record({ durationMs: 3 }),
      record({ durationMs: 4 }),
      record({ cold: true, initMs: 160, durationMs: 8 }),
      record({ durationMs: 5 }),
    ];
    const input = scenarioFromRecords(records, { arrivals: { type: 'poisson', ratePerSecond: 0.01 }, keepAlive: { type: 'none' }, horizonSeconds: 100_000 });
    expect(input.function?.memoryMb).toBe(512);
    expect(input.service).toEqual({ warm: { type: 'empirical', samplesMs: [3, 4, 5] }, init: { type: 'empirical', samplesMs: [140, 160] } });
    const r = runSimulation(parseScenario(input));
    // No keep-alive: every request is cold and costs init + warm.
    expect(r.coldStartProbability).toBeGreaterThan(0.9);
    expect(r.latencyMs.mean).toBeGreaterThan(140);
    expect(r.latencyMs.max).toBeLessThanOrEqual(165);
  });

  test('records at older memory sizes and failed ones are left out, and the notes say so', () => {
    const c = calibrateFromRecords([
      record({ memorySizeMb: 128, durationMs: 50 }),
      record({ outcome: 'timeout', durationMs: 3000 }),
      record({ cold: true, initMs: 150 }),
      record({ durationMs: 2 }),
    ]);
    expect(c.memoryMb).toBe(512);
    expect(c.warmMs).toEqual([2]);
    expect(c.initMs).toEqual([150]);
    expect(c.notes.join(' ')).toMatch(/other memory sizes.*128|latest \(512 MB\)/);
    expect(c.notes.join(' ')).toMatch(/timed out/);
  });

  test('records of two functions, none at all, or no cold start without a fallback are clear errors', () => {
    expect(() => calibrateFromRecords([])).toThrow(/No invocation records/);
    expect(() => calibrateFromRecords([record({}), record({ functionName: 'Other' })])).toThrow(/2 functions \(Hello, Other\)/);
    expect(() => scenarioFromRecords([record({})])).toThrow(/hold no cold start/);
    const withFallback = scenarioFromRecords([record({})], { service: { warm: { type: 'fixed', ms: 1 }, init: { type: 'fixed', ms: 120 } } });
    expect(withFallback.service.init).toEqual({ type: 'fixed', ms: 120 });
  });
});
