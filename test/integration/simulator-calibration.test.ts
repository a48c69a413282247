/**
 * The simulator's closed loop: drive the real local runtime with a traffic pattern and a short
 * keep-alive, calibrate a scenario from what it recorded, and check that the simulator predicts
 * the cold starts the runtime really had, within its statistical error.
 */
import { expect, test } from 'vitest';
import type { InvocationRecord } from '../../electron/engine/contract.ts';
import { judgeColdStarts, predictColdStarts } from '../../electron/engine/simulator/cold-start-prediction.ts';
import { scenarioFromRecords } from '../../electron/engine/simulator/calibration.ts';
import { dockerAvailable } from './support/docker-required.ts';
import { fixture, startEngine } from './support/engine-fixture.ts';

const hasDocker = await dockerAvailable();
const KEEP_ALIVE_MS = 1_000;

/** A seeded trace mixing gaps well inside and well outside the keep-alive. */
function trace(count: number, seed: number): number[] {
  let state = seed;
  const random = (): number => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const gaps = [150, 300, 500, 2_600];
  const times = [0];
  for (let i = 1; i < count; i++) times.push(times[i - 1]! + gaps[Math.floor(random() * gaps.length)]!);
  return times;
}

test.runIf(hasDocker)('observed cold starts agree with the calibrated simulation of the same trace', async () => {
  const engine = await startEngine(fixture('limits'), { sandbox: 'docker', keepAliveMs: KEEP_ALIVE_MS });
  const records: InvocationRecord[] = [];
  engine.invoker.events.on('invocations:finished', (r) => r.functionName === 'FullCpu' && records.push(r));
  try {
    await engine.invoker.prepare(engine.model().functions.find((f) => f.logicalId === 'FullCpu')!);
    const arrivals = trace(30, 7);
    const started = performance.now();
    // Open loop, as real traffic: each request is sent at its time, whether or not others finished.
    await Promise.all(
      arrivals.map(async (at) => {
        await new Promise((r) => setTimeout(r, Math.max(0, at - (performance.now() - started))));
        await engine.invoker.invoke({ functionName: 'FullCpu', payload: '{}' });
      }),
    );
    const observed = records.filter((r) => r.cold).length;
    const { service } = scenarioFromRecords(records);
    const prediction = predictColdStarts({ arrivalsMs: arrivals, service, keepAliveMs: KEEP_ALIVE_MS, memoryMb: 1769, runs: 300, seed: 11 });
    const judgement = judgeColdStarts(observed, prediction);
    console.info(`cold starts: observed ${observed}, predicted ${prediction.mean.toFixed(2)} ± ${prediction.stdDev.toFixed(2)} (${records.length} invocations)`);
    expect(records).toHaveLength(arrivals.length);
    // The trace has long gaps, so cold starts are many but not all: the check is not trivial.
    expect(observed).toBeGreaterThan(3);
    expect(observed).toBeLessThan(arrivals.length);
    expect(judgement.agrees, JSON.stringify(judgement)).toBe(true);
  } finally {
    await engine.stop();
  }
});
