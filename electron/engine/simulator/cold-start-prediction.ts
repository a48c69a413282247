import { parseScenario } from './parse-scenario.ts';
import { runSimulation } from './run-simulation.ts';
import type { ScenarioInput } from './scenario-schema.ts';

export interface ColdStartPredictionInput {
  /** Arrival times in ms from the start of the trace, as the real runtime will be driven. */
  arrivalsMs: readonly number[];
  /** Service model, e.g. from `scenarioFromRecords(records).service`. */
  service: ScenarioInput['service'];
  /** The keep-alive the real runtime was configured with, counted from the end of a request. */
  keepAliveMs: number;
  memoryMb?: number;
  /** Concurrency limit of the real runtime, if any. */
  maxConcurrency?: number;
  /** Seeded runs to average over (default 200). */
  runs?: number;
  seed?: number;
}

export interface ColdStartPrediction {
  invocations: number;
  runs: number;
  /** Mean and spread of the cold-start count over the runs: the spread is what random service times alone explain. */
  mean: number;
  stdDev: number;
  /** Of the mean (stdDev / √runs). */
  standardError: number;
  min: number;
  max: number;
  perRun: number[];
}

/**
 * Predicts how many cold starts a fixed arrival trace causes with a fixed keep-alive: the
 * simulator half of the closed-loop check (drive the real local runtime with the same trace and
 * keep-alive, count its cold starts, compare with `judgeColdStarts`). Only service times are
 * random, so runs differ by which requests overlap.
 */
export function predictColdStarts(input: ColdStartPredictionInput): ColdStartPrediction {
  const runs = input.runs ?? 200;
  if (!(Number.isInteger(runs) && runs >= 2)) throw new RangeError(`runs must be a whole number of at least 2; got ${runs}`);
  if (input.arrivalsMs.length === 0) throw new RangeError('arrivalsMs is empty: give the arrival times of the trace');
  const lastMs = input.arrivalsMs.reduce((max, t) => (t > max ? t : max), 0);
  const scenario = parseScenario(
    {
      function: { memoryMb: input.memoryMb ?? 128 },
      arrivals: { type: 'trace', timesMs: [...input.arrivalsMs] },
      service: input.service,
      keepAlive: { type: 'fixed', idleSeconds: input.keepAliveMs / 1000 },
      concurrency: { max: input.maxConcurrency ?? 1000, onLimit: 'reject' },
      horizonSeconds: Math.floor(lastMs / 1000) + 1,
      seed: input.seed ?? 1,
    },
    'cold-start prediction',
  );
  const perRun: number[] = [];
  for (let i = 0; i < runs; i++) perRun.push(runSimulation(scenario, { seed: scenario.seed + i, timeSeries: false }).coldStarts);
  const mean = perRun.reduce((a, b) => a + b, 0) / runs;
  const variance = perRun.reduce((a, b) => a + (b - mean) ** 2, 0) / (runs - 1);
  const stdDev = Math.sqrt(variance);
  return {
    invocations: input.arrivalsMs.length,
    runs,
    mean,
    stdDev,
    standardError: stdDev / Math.sqrt(runs),
    min: Math.min(...perRun),
    max: Math.max(...perRun),
    perRun,
  };
}

export interface ColdStartJudgement {
  observed: number;
  expected: number;
  difference: number;
  /** sigmas × the run-to-run spread, plus one cold start for the count being whole. */
  allowed: number;
  agrees: boolean;
}

/** Whether an observed cold-start count is one the simulator finds plausible for the same trace. */
export function judgeColdStarts(observed: number, prediction: ColdStartPrediction, sigmas = 3): ColdStartJudgement {
  const allowed = sigmas * prediction.stdDev + 1;
  const difference = observed - prediction.mean;
  return { observed, expected: prediction.mean, difference, allowed, agrees: Math.abs(difference) <= allowed };
}
