import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FieldProblemReply, InvocationRecord, SimDistribution, SimulatorCalibration, SimulatorResult, SimulatorScenario, SimulatorSweep, SimulatorSweepRequest } from '../contract.ts';
import { LambdaDeskError } from '../errors.ts';
import { calibrateFromRecords } from '../simulator/calibration.ts';
import { DEFAULT_SWEEP_MEMORY_MB, sweepMemory, type SweepPoint } from '../simulator/memory-sweep.ts';
import { checkScenario, horizonOf } from '../simulator/parse-scenario.ts';
import { pickPowerTuning } from '../simulator/power-tuning-picks.ts';
import { runSimulation } from '../simulator/run-simulation.ts';
import { ScenarioError, type ScenarioProblem } from '../simulator/scenario-error.ts';
import { scenarioSchema, type Scenario } from '../simulator/scenario-schema.ts';
import { formatPath } from './control-errors.ts';
import { chartBinSeconds, checkRunBudget, sweepHorizon } from './simulation-budget.ts';

/** A scenario the app does not simulate as sent: each problem at its field, as the form shows it. */
export class ScenarioRequestError extends LambdaDeskError {
  readonly awsName = 'InvalidParameterValueException';
  readonly status = 400;
  readonly problems: FieldProblemReply[];
  constructor(problems: ScenarioProblem[], fix = 'Change the fields named above and run again.') {
    const replies = problems.map((p): FieldProblemReply => {
      const path: Array<string | number> = ['scenario', ...parseFieldPath(p.field)];
      return { path, field: formatPath(path), message: p.message, fix: '' };
    });
    super(`The scenario cannot be simulated: ${replies.map((p) => `${p.field}: ${p.message}`).join('; ')}`, fix);
    this.problems = replies;
  }
  override extraBody(): Record<string, unknown> {
    return { problems: this.problems };
  }
}

/** Asked to calibrate a function that has no usable recording in this session. */
export class NoRecordingsError extends LambdaDeskError {
  readonly awsName = 'ResourceNotFoundException';
  readonly status = 404;
}

/** Records of a function that the session kept, oldest first. */
export type RecordSource = (functionName: string) => InvocationRecord[];

/**
 * The simulator panel's requests: runs, memory sweeps and calibration from the session's
 * recorded invocations. Runs are synchronous CPU work on the engine's event loop, so each is
 * bounded (simulation-budget.ts) and starts on a later turn, after replies already due.
 */
export class SimulatorService {
  constructor(private readonly records: RecordSource) {}

  async run(request: SimulatorScenario): Promise<SimulatorResult> {
    const scenario = this.prepare(request);
    const problems = checkRunBudget(scenario, horizonOf(scenario));
    if (problems.length > 0) throw new ScenarioRequestError(problems);
    await nextTurn();
    return runSimulation(scenario);
  }

  async sweep(request: SimulatorSweepRequest): Promise<SimulatorSweep> {
    const scenario = this.prepare(request.scenario);
    const sizes = [...new Set(request.memorySizesMb ?? DEFAULT_SWEEP_MEMORY_MB)].sort((a, b) => a - b);
    const fitted = sweepHorizon(scenario, horizonOf(scenario), sizes.length);
    const atHorizon: Scenario = { ...scenario, horizonSeconds: fitted.horizonSeconds, warmupSeconds: Math.min(scenario.warmupSeconds, fitted.horizonSeconds / 2) };
    const options = { cpuBoundShare: request.cpuBoundShare ?? 1, multiThreaded: request.multiThreaded ?? false };
    // One size per turn of the event loop: the window stays responsive through a long sweep.
    const points: SweepPoint[] = [];
    for (const memoryMb of sizes) {
      await nextTurn();
      points.push(...sweepMemory(atHorizon, { ...options, memorySizesMb: [memoryMb] }).points);
    }
    const notes = fitted.note ? [fitted.note] : [];
    if (scenario.pricing.freeTier !== false) notes.push('Cost per invocation is duration only, without the free tier (as Power Tuning); the monthly total applies it.');
    return { baseMemoryMb: scenario.function.memoryMb, cpuBoundShare: options.cpuBoundShare, points, picks: pickPowerTuning(points), horizonSeconds: fitted.horizonSeconds, notes };
  }

  async calibrate(functionName: string): Promise<SimulatorCalibration> {
    const records = this.records(functionName);
    if (records.length === 0) {
      throw new NoRecordingsError(
        `No invocations of ${functionName} were recorded in this session.`,
        'Invoke the function a few times (the Invoke tab, or any trigger), once with “Force cold start” for its init time, then calibrate.',
      );
    }
    const calibration = calibrateFromRecords(records);
    const notes = [...calibration.notes];
    if (calibration.initMs.length === 0) notes.push('No cold start was recorded, so the init time stays as set: invoke once with “Force cold start” to measure it.');
    if (records.some((r) => r.sandboxKind === 'process')) notes.push('Some records come from host processes (lower fidelity than containers): their timings may differ from Lambda’s.');
    const service: SimulatorCalibration['service'] = { warm: empirical(calibration.warmMs) };
    if (calibration.initMs.length > 0) service.init = empirical(calibration.initMs);
    const reply: SimulatorCalibration = {
      functionName,
      memoryMb: calibration.memoryMb,
      records: records.length,
      service,
      warmSamples: calibration.warmMs.length,
      coldSamples: calibration.initMs.length,
      warmMedianMs: median(calibration.warmMs),
      notes,
    };
    if (calibration.initMs.length > 0) reply.initMedianMs = median(calibration.initMs);
    return reply;
  }

  /**
   * Validates (again: the channel's schema already did, but the service is also called
   * directly), picks series bins that suit a chart, and applies the whole-scenario checks.
   */
  private prepare(request: SimulatorScenario): Scenario {
    const parsed = scenarioSchema.safeParse(request);
    if (!parsed.success) {
      throw new ScenarioRequestError(parsed.error.issues.map((i) => ({ field: formatPath(i.path.map((p) => (typeof p === 'number' ? p : String(p)))), message: i.message })));
    }
    if (parsed.data.arrivals.type === 'trace' && parsed.data.arrivals.file !== undefined) {
      throw new ScenarioRequestError([{ field: 'arrivals.file', message: 'the app does not read trace files; send timesMs or countsPerMinute, or run `lambdadesk simulate` with the file' }]);
    }
    const scenario: Scenario = { ...parsed.data, timeSeries: { binSeconds: chartBinSeconds(horizonOf(parsed.data)) } };
    try {
      checkScenario(scenario);
    } catch (err) {
      if (err instanceof ScenarioError) throw new ScenarioRequestError(err.problems);
      throw err;
    }
    return scenario;
  }
}

function empirical(samplesMs: number[]): SimDistribution {
  return { type: 'empirical', samplesMs };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** `schedule[0].atSeconds` → ['schedule', 0, 'atSeconds']. */
function parseFieldPath(field: string): Array<string | number> {
  const path: Array<string | number> = [];
  for (const match of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) path.push(match[2] !== undefined ? Number(match[2]) : (match[1] as string));
  return path;
}
