import type { SimulatorResult, SimulatorTimeSeries } from '../contract.ts';
import { createArrivalProcess } from './arrival-processes.ts';
import { createDurationSampler } from './duration-samplers.ts';
import { createKeepAlivePolicy, maxLifeMsOf } from './keep-alive-policy.ts';
import { horizonOf } from './parse-scenario.ts';
import { PlatformSimulation, type PlatformTally } from './platform-simulation.ts';
import { ProvisionedSchedule } from './provisioned-schedule.ts';
import { Random } from './random.ts';
import { ScalingLimiter } from './scaling-limiter.ts';
import type { Scenario } from './scenario-schema.ts';
import { priceSimulation } from './simulation-cost.ts';
import { TimeSeries } from './time-series.ts';

/** The contract's types are the simulator's own: one definition serves the engine and the UI. */
export type SimulationTimeSeries = SimulatorTimeSeries;
export type SimulationResult = SimulatorResult;

export interface RunOptions {
  /** Keep per-bin series for charts (default true); sweeps and batches turn it off. */
  timeSeries?: boolean;
  /** Multiplies every service-time draw (the memory sweep's CPU model). */
  serviceScale?: number;
  /** Overrides the scenario's seed (batches of runs). */
  seed?: number;
}

/** Runs one scenario, seeded: the same scenario and seed give the same result everywhere. */
export function runSimulation(scenario: Scenario, options: RunOptions = {}): SimulationResult {
  const prepared = prepareSimulation(scenario, options);
  return prepared.summarize(prepared.simulation.run());
}

export interface PreparedSimulation {
  simulation: PlatformSimulation;
  summarize(tally: PlatformTally): SimulationResult;
}

/** The simulation built from a scenario, not yet run (the bench measures it while it is alive). */
export function prepareSimulation(scenario: Scenario, options: RunOptions = {}): PreparedSimulation {
  const seed = options.seed ?? scenario.seed;
  const horizonMs = horizonOf(scenario) * 1000;
  const warmupMs = scenario.warmupSeconds * 1000;
  const root = new Random(seed);
  // Separate streams, so changing the service model leaves the arrivals as they were.
  const arrivalRng = root.fork();
  const serviceRng = root.fork();
  const platformRng = root.fork();
  const scale = options.serviceScale ?? 1;
  const { service, concurrency } = scenario;
  const provisioned = scenario.provisioned ? new ProvisionedSchedule(scenario.provisioned, horizonMs) : undefined;
  const scaling = concurrency.scalingLimit === false
    ? undefined
    : concurrency.scalingLimit === true
      ? new ScalingLimiter(1000, 10)
      : new ScalingLimiter(concurrency.scalingLimit.environments, concurrency.scalingLimit.perSeconds);
  const series = options.timeSeries === false ? undefined : new TimeSeries(horizonMs, scenario.timeSeries.binSeconds);

  const simulation = new PlatformSimulation({
    arrivals: createArrivalProcess(scenario.arrivals, arrivalRng),
    warm: createDurationSampler(service.warm, serviceRng, scale),
    cold: service.cold ? createDurationSampler(service.cold, serviceRng, scale) : undefined,
    init: service.init ? createDurationSampler(service.init, serviceRng) : undefined,
    keepAlive: createKeepAlivePolicy(scenario.keepAlive, platformRng),
    maxLifeMs: maxLifeMsOf(scenario.keepAlive),
    newestFirst: scenario.routing === 'newest',
    maxConcurrency: concurrency.max,
    throttle: concurrency.onLimit === 'throttle' ? concurrency.retry : undefined,
    scaling,
    provisioned,
    timeoutMs: scenario.function.timeoutSeconds * 1000,
    granularityMs: scenario.pricing.granularityMs,
    billInit: scenario.pricing.billInit,
    horizonMs,
    warmupMs,
    timeSeries: series,
    rng: platformRng,
  });
  const measuredMs = horizonMs - warmupMs;
  return {
    simulation,
    summarize: (tally) => ({
      ...(scenario.name !== undefined ? { name: scenario.name } : {}),
      seed,
      horizonSeconds: horizonMs / 1000,
      measuredSeconds: measuredMs / 1000,
      ...summarize(tally, measuredMs, provisioned ? provisioned.integralMs(warmupMs, horizonMs) : 0, scenario.function.memoryMb),
      billedMs: { onDemand: tally.onDemandBilledMs, provisioned: tally.provisionedBilledMs },
      ...priceSimulation(scenario, tally, provisioned, { fromMs: warmupMs, toMs: horizonMs }),
      ...(series ? { timeSeries: seriesToJson(series) } : {}),
    }),
  };
}

function summarize(t: PlatformTally, measuredMs: number, provisionedMs: number, memoryMb: number) {
  const avgRunning = t.runningMs / measuredMs;
  const avgProvisioned = provisionedMs / measuredMs;
  const avgInstances = (t.instanceMs + provisionedMs) / measuredMs;
  const avgIdle = Math.max(0, avgInstances - avgRunning);
  const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
  return {
    invocations: t.invocations,
    served: t.served,
    warmStarts: t.served - t.coldStarts,
    coldStarts: t.coldStarts,
    coldStartProbability: ratio(t.coldStarts, t.invocations),
    provisionedServed: t.provisionedServed,
    rejections: t.rejections,
    rejectionProbability: ratio(t.rejections, t.invocations),
    throttles: t.throttles,
    throttleProbability: ratio(t.throttles, t.attempts),
    timeouts: t.timeouts,
    prewarms: t.prewarms,
    avgInstances,
    avgRunning,
    avgIdle,
    avgProvisioned,
    utilization: ratio(avgRunning, avgInstances),
    peakRunning: t.peakRunning,
    meanServiceMs: ratio(t.serviceSumMs, t.served),
    meanLifespanSeconds: ratio(t.lifespanSumMs, t.retiredInstances) / 1000,
    retiredInstances: t.retiredInstances,
    idleGbSeconds: (avgIdle * measuredMs * memoryMb) / 1024 / 1000,
    latencyMs: {
      mean: t.latency.meanMs,
      p50: t.latency.quantileMs(0.5),
      p95: t.latency.quantileMs(0.95),
      p99: t.latency.quantileMs(0.99),
      max: t.latency.maxMs,
    },
  };
}

function seriesToJson(series: TimeSeries): SimulationTimeSeries {
  return {
    binSeconds: series.binSeconds,
    invocations: Array.from(series.invocations),
    coldStarts: Array.from(series.coldStarts),
    rejections: Array.from(series.rejections),
    avgRunning: Array.from(series.runningAverages()),
    avgInstances: Array.from(series.instanceAverages()),
    peakRunning: Array.from(series.peakRunning),
  };
}
