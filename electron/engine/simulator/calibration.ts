import type { InvocationRecord, InvocationOutcome } from '../contract.ts';
import { InvalidParameterValueError } from '../errors.ts';
import type { ScenarioInput } from './scenario-schema.ts';

/** Outcomes whose timings describe the function's normal work; crashes and timeouts do not. */
const USABLE: ReadonlySet<InvocationOutcome> = new Set(['success', 'error']);

export interface Calibration {
  functionName: string;
  memoryMb: number;
  /** Measured init times of cold starts (ms). */
  initMs: number[];
  /** Measured handler durations of warm invocations (ms). */
  warmMs: number[];
  /** What was left out and why, for the user to see. */
  notes: string[];
}

/**
 * Turns a function's recorded local invocations into empirical distributions: init times of
 * cold records, durations of warm ones, at one memory size. Records of other functions are an
 * error (calibrate one function at a time); records at other memory sizes than the latest are
 * left out, since memory changes the timings.
 */
export function calibrateFromRecords(records: readonly InvocationRecord[]): Calibration {
  if (records.length === 0) {
    throw new InvalidParameterValueError('No invocation records to calibrate from.', 'Invoke the function locally a few times (at least once cold), then calibrate.');
  }
  const names = [...new Set(records.map((r) => r.functionName))];
  if (names.length > 1) {
    throw new InvalidParameterValueError(
      `The records are of ${names.length} functions (${names.join(', ')}); a scenario models one function.`,
      'Pass only the records of the function to simulate.',
    );
  }
  const notes: string[] = [];
  const latest = records.reduce((a, b) => (b.startedAt > a.startedAt ? b : a));
  const memoryMb = latest.memorySizeMb;
  const atMemory = records.filter((r) => r.memorySizeMb === memoryMb);
  if (atMemory.length < records.length) {
    notes.push(`${records.length - atMemory.length} record(s) at other memory sizes than the latest (${memoryMb} MB) were left out.`);
  }
  const usable = atMemory.filter((r) => USABLE.has(r.outcome));
  if (usable.length < atMemory.length) {
    notes.push(`${atMemory.length - usable.length} record(s) that crashed, timed out, ran out of memory or failed init were left out.`);
  }
  const initMs = usable.filter((r) => r.cold && r.initMs !== undefined).map((r) => r.initMs as number);
  let warmMs = usable.filter((r) => !r.cold).map((r) => r.durationMs);
  if (warmMs.length === 0) {
    warmMs = usable.map((r) => r.durationMs);
    if (warmMs.length > 0) notes.push('No warm invocations were recorded: the durations of cold ones stand in for them.');
  }
  if (warmMs.length === 0) {
    throw new InvalidParameterValueError(
      `None of the ${records.length} record(s) of ${names[0]} can be used (all crashed, timed out or failed).`,
      'Fix the function, invoke it again, then calibrate.',
    );
  }
  return { functionName: names[0] as string, memoryMb, initMs, warmMs, notes };
}

/**
 * The service-time part of a scenario from recorded invocations: `service.init` and
 * `service.warm` as empirical distributions, and `function.memoryMb`; everything else comes
 * from `base` (arrivals, keep-alive, pricing…). The result is plain JSON for `parseScenario`.
 * Without a cold record, `base.service.init` (or `cold`) must say what a cold start costs.
 */
export function scenarioFromRecords(
  records: readonly InvocationRecord[],
  base: Partial<ScenarioInput> = {},
): Partial<ScenarioInput> & Pick<ScenarioInput, 'service'> {
  const calibration = calibrateFromRecords(records);
  const warm = { type: 'empirical' as const, samplesMs: calibration.warmMs };
  let service: ScenarioInput['service'];
  if (calibration.initMs.length > 0) service = { warm, init: { type: 'empirical', samplesMs: calibration.initMs } };
  else if (base.service?.init) service = { warm, init: base.service.init };
  else if (base.service?.cold) service = { warm, cold: base.service.cold };
  else {
    throw new InvalidParameterValueError(
      `The records of ${calibration.functionName} hold no cold start, so the init time is unknown.`,
      'Invoke the function once cold (e.g. after stopping its sandboxes), or give base.service.init.',
    );
  }
  return { ...base, function: { ...base.function, memoryMb: calibration.memoryMb }, service };
}
