import { expect, test } from 'vitest';
import { parseScenario } from '../simulator/parse-scenario.ts';
import { runSimulation } from '../simulator/run-simulation.ts';
import type { ScenarioInput } from '../simulator/scenario-schema.ts';
import { chartBinSeconds, checkRunBudget, expectedArrivals, horizonForArrivals, MAX_RUN_ARRIVALS, MAX_SWEEP_ARRIVALS, sweepHorizon } from './simulation-budget.ts';

const service = { warm: { type: 'fixed', ms: 5 }, init: { type: 'fixed', ms: 50 } } as const;
const scenario = (arrivals: ScenarioInput['arrivals'], horizonSeconds = 3600) => parseScenario({ arrivals, service, horizonSeconds });

test.each([
  ['constant', { type: 'constant', ratePerSecond: 2 }],
  ['bursts', { type: 'bursts', burstSize: 25, everySeconds: 300, firstAtSeconds: 10 }],
  ['trace', { type: 'trace', countsPerMinute: [3, 0, 7, 1] }],
] as const)('the estimate of %s arrivals is what the simulator brings', (_name, arrivals) => {
  const s = scenario(arrivals as ScenarioInput['arrivals']);
  const simulated = runSimulation(s, { timeSeries: false }).invocations;
  expect(Math.abs(expectedArrivals(s.arrivals, 3600) - simulated)).toBeLessThanOrEqual(1);
});

test.each([
  ['piecewise, repeated', { type: 'piecewise', segments: [{ durationSeconds: 600, ratePerSecond: 1 }, { durationSeconds: 1200, ratePerSecond: 0 }] }, 1200],
  ['piecewise, once', { type: 'piecewise', segments: [{ durationSeconds: 600, ratePerSecond: 1 }], repeat: false }, 600],
  ['diurnal', { type: 'diurnal', meanRatePerSecond: 3, amplitude: 0.8, periodSeconds: 3600 }, 10_800],
] as const)('random %s arrivals are estimated by their mean', (_name, arrivals, mean) => {
  const s = scenario(arrivals as ScenarioInput['arrivals']);
  const simulated = runSimulation(s, { timeSeries: false }).invocations;
  expect(expectedArrivals(s.arrivals, 3600)).toBe(mean);
  expect(Math.abs(simulated - mean)).toBeLessThan(5 * Math.sqrt(mean));
});

test('a run with more requests than the app simulates at once is refused at the horizon, saying how long fits', () => {
  const s = scenario({ type: 'poisson', ratePerSecond: 50 }, 86_400);
  const [problem, ...rest] = checkRunBudget(s, 86_400);
  expect(rest).toEqual([]);
  expect(problem?.field).toBe('horizonSeconds');
  expect(problem?.message).toContain('about 4,320,000 requests');
  expect(problem?.message).toContain('Use at most 20,000 s (5.6 h)');
  expect(checkRunBudget(s, 20_000)).toEqual([]);
  expect(checkRunBudget(s, 20_001)).toHaveLength(1);
});

test('the longest horizon that fits is found for uneven traffic too', () => {
  const bursts = scenario({ type: 'bursts', burstSize: 100_000, everySeconds: 60 }).arrivals;
  const fits = horizonForArrivals(bursts, MAX_RUN_ARRIVALS, 86_400);
  expect(expectedArrivals(bursts, fits)).toBeLessThanOrEqual(MAX_RUN_ARRIVALS);
  expect(expectedArrivals(bursts, fits + 1)).toBeGreaterThan(MAX_RUN_ARRIVALS);
});

test('charts get one point per minute up to two days, then whole minutes per point', () => {
  expect(chartBinSeconds(86_400)).toBe(60);
  expect(chartBinSeconds(2 * 86_400)).toBe(60);
  expect(chartBinSeconds(2 * 86_400 + 1)).toBe(120);
  expect(chartBinSeconds(30 * 86_400)).toBe(900);
});

test('a heavy sweep is shortened to whole days of a daily pattern, and says so', () => {
  const s = scenario({ type: 'diurnal', meanRatePerSecond: 1, periodSeconds: 86_400 }, 7 * 86_400);
  const fitted = sweepHorizon(s, 7 * 86_400, 6);
  expect(fitted.horizonSeconds).toBe(4 * 86_400);
  expect(fitted.horizonSeconds * 1 * 6).toBeLessThanOrEqual(MAX_SWEEP_ARRIVALS);
  expect(fitted.note).toContain('first 345,600 s');
  expect(sweepHorizon(s, 86_400, 6)).toEqual({ horizonSeconds: 86_400 });
});
