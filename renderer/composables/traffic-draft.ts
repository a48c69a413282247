import type { Architecture, FieldProblemReply, FunctionConfig, SimDistribution, SimulatorCalibration, SimulatorScenario } from '../../electron/engine/contract.ts';

/**
 * The traffic editor's form: a handful of fields in the units people think in (minutes of
 * keep-alive, hours simulated), turned into the simulator's scenario only when it runs. The
 * engine validates the scenario and its word is final; the checks here give feedback while typing.
 */
export type ArrivalKind = 'poisson' | 'constant' | 'diurnal' | 'bursts';

export interface TrafficDraft {
  functionName: string;
  arrivalType: ArrivalKind;
  /** Poisson and constant: the rate; diurnal: the mean rate over the day. */
  ratePerSecond: number;
  /** Diurnal: how far the rate swings around its mean (0–1). */
  amplitude: number;
  /** Diurnal: the busiest hour, counted from the start of the run. */
  peakHour: number;
  baseRatePerSecond: number;
  burstSize: number;
  burstEverySeconds: number;
  burstSpreadMs: number;
  keepAliveMinutes: number;
  concurrencyLimit: number;
  onLimit: 'reject' | 'throttle';
  memoryMb: number;
  architecture: Architecture;
  provisionedConcurrency: number;
  horizonHours: number;
  freeTier: boolean;
  /** Typed service times, used until the function is calibrated from its recordings. */
  warmMedianMs: number;
  initMs: number;
  calibrated?: CalibratedService;
  ephemeralMb: number;
  timeoutSeconds: number;
  seed: number;
}

export interface CalibratedService {
  service: SimulatorCalibration['service'];
  /** The memory size the records were made at. */
  memoryMb: number;
  warmSamples: number;
  coldSamples: number;
  warmMedianMs: number;
  initMedianMs?: number;
}

export type DraftField =
  | 'ratePerSecond'
  | 'amplitude'
  | 'peakHour'
  | 'baseRatePerSecond'
  | 'burstSize'
  | 'burstEverySeconds'
  | 'burstSpreadMs'
  | 'keepAliveMinutes'
  | 'concurrencyLimit'
  | 'memoryMb'
  | 'provisionedConcurrency'
  | 'horizonHours'
  | 'warmMedianMs'
  | 'initMs'
  | 'seed';

export const ARRIVAL_KINDS: Array<{ id: ArrivalKind; label: string; hint: string }> = [
  { id: 'poisson', label: 'Poisson', hint: 'Independent requests at a steady average rate' },
  { id: 'constant', label: 'Constant', hint: 'Evenly spaced requests' },
  { id: 'diurnal', label: 'Daily', hint: 'A rate that rises and falls once a day' },
  { id: 'bursts', label: 'Bursts', hint: 'Batches of requests at a fixed interval' },
];

/** Lambda's default concurrency quota per account and Region. */
const DEFAULT_CONCURRENCY = 1000;

/** A starting point for a function: its template's settings and a modest steady traffic. */
export function draftFor(fn: Pick<FunctionConfig, 'functionName' | 'memoryMb' | 'architecture' | 'ephemeralStorageMb' | 'timeoutSeconds' | 'reservedConcurrency' | 'provisionedConcurrency'>): TrafficDraft {
  return {
    functionName: fn.functionName,
    arrivalType: 'poisson',
    ratePerSecond: 1,
    amplitude: 0.6,
    peakHour: 14,
    baseRatePerSecond: 0.1,
    burstSize: 50,
    burstEverySeconds: 900,
    burstSpreadMs: 2000,
    keepAliveMinutes: 10,
    concurrencyLimit: fn.reservedConcurrency ?? DEFAULT_CONCURRENCY,
    onLimit: 'reject',
    memoryMb: fn.memoryMb,
    architecture: fn.architecture,
    provisionedConcurrency: fn.provisionedConcurrency ?? 0,
    horizonHours: 24,
    freeTier: false,
    warmMedianMs: 100,
    initMs: 300,
    ephemeralMb: fn.ephemeralStorageMb,
    timeoutSeconds: fn.timeoutSeconds,
    seed: 1,
  };
}

/** Service times: the calibrated ones, else a log-normal around the typed median, plus the init. */
function serviceOf(draft: TrafficDraft): SimulatorScenario['service'] {
  const typedInit: SimDistribution = { type: 'fixed', ms: draft.initMs };
  if (draft.calibrated) return { warm: draft.calibrated.service.warm, init: draft.calibrated.service.init ?? typedInit };
  return { warm: { type: 'lognormal', medianMs: draft.warmMedianMs, sigma: 0.5 }, init: typedInit };
}

function arrivalsOf(draft: TrafficDraft): SimulatorScenario['arrivals'] {
  switch (draft.arrivalType) {
    case 'poisson':
    case 'constant':
      return { type: draft.arrivalType, ratePerSecond: draft.ratePerSecond };
    case 'diurnal':
      return { type: 'diurnal', meanRatePerSecond: draft.ratePerSecond, amplitude: draft.amplitude, periodSeconds: 86_400, peakAtSeconds: draft.peakHour * 3600 };
    case 'bursts':
      return { type: 'bursts', baseRatePerSecond: draft.baseRatePerSecond, burstSize: draft.burstSize, everySeconds: draft.burstEverySeconds, spreadMs: draft.burstSpreadMs };
  }
}

export function draftToScenario(draft: TrafficDraft): SimulatorScenario {
  const scenario: SimulatorScenario = {
    name: draft.functionName,
    function: { memoryMb: draft.memoryMb, architecture: draft.architecture, ephemeralMb: draft.ephemeralMb, timeoutSeconds: draft.timeoutSeconds },
    arrivals: arrivalsOf(draft),
    service: serviceOf(draft),
    keepAlive: { type: 'fixed', idleSeconds: draft.keepAliveMinutes * 60 },
    concurrency: { max: draft.concurrencyLimit, onLimit: draft.onLimit },
    horizonSeconds: draft.horizonHours * 3600,
    seed: draft.seed,
    pricing: { freeTier: draft.freeTier },
  };
  if (draft.provisionedConcurrency > 0) scenario.provisioned = { concurrency: draft.provisionedConcurrency };
  return scenario;
}

/** The scenario fields each form field becomes, to show the engine's problems in the right place. */
const FIELD_PATHS: Record<DraftField, string[]> = {
  ratePerSecond: ['arrivals.ratePerSecond', 'arrivals.meanRatePerSecond'],
  amplitude: ['arrivals.amplitude'],
  peakHour: ['arrivals.peakAtSeconds'],
  baseRatePerSecond: ['arrivals.baseRatePerSecond'],
  burstSize: ['arrivals.burstSize'],
  burstEverySeconds: ['arrivals.everySeconds'],
  burstSpreadMs: ['arrivals.spreadMs'],
  keepAliveMinutes: ['keepAlive.idleSeconds', 'keepAlive'],
  concurrencyLimit: ['concurrency.max'],
  memoryMb: ['function.memoryMb'],
  provisionedConcurrency: ['provisioned.concurrency', 'provisioned'],
  horizonHours: ['horizonSeconds', 'warmupSeconds'],
  warmMedianMs: ['service.warm', 'service'],
  initMs: ['service.init', 'service.cold'],
  seed: ['seed'],
};

/**
 * The engine's problems (`scenario.function.memoryMb: …`) placed at the form fields they belong
 * to; those no field shows are returned as `other`.
 */
export function placeProblems(problems: readonly FieldProblemReply[]): { byField: Partial<Record<DraftField, string>>; other: string[] } {
  const byField: Partial<Record<DraftField, string>> = {};
  const other: string[] = [];
  for (const problem of problems) {
    const field = problem.field.replace(/^scenario\./, '');
    const owner = (Object.keys(FIELD_PATHS) as DraftField[]).find((f) => FIELD_PATHS[f].some((p) => field === p || field.startsWith(`${p}.`) || field.startsWith(`${p}[`)));
    if (owner && !byField[owner]) byField[owner] = problem.message;
    else other.push(`${problem.field}: ${problem.message}`);
  }
  return { byField, other };
}

interface Rule {
  min?: number;
  above?: number;
  max?: number;
  integer?: boolean;
  unit: string;
}

const RULES: Partial<Record<DraftField, Rule>> = {
  ratePerSecond: { above: 0, unit: 'requests per second' },
  amplitude: { min: 0, max: 1, unit: '(share of the mean rate)' },
  peakHour: { min: 0, max: 24, unit: 'hours' },
  baseRatePerSecond: { min: 0, unit: 'requests per second' },
  burstSize: { min: 1, integer: true, unit: 'requests' },
  burstEverySeconds: { above: 0, unit: 'seconds' },
  burstSpreadMs: { min: 0, unit: 'ms' },
  keepAliveMinutes: { min: 0, unit: 'minutes' },
  concurrencyLimit: { min: 1, max: 1_000_000, integer: true, unit: 'requests' },
  memoryMb: { min: 128, max: 10_240, integer: true, unit: 'MB' },
  provisionedConcurrency: { min: 0, max: 1_000_000, integer: true, unit: 'environments' },
  horizonHours: { above: 0, max: 24 * 400, unit: 'hours' },
  warmMedianMs: { above: 0, unit: 'ms' },
  initMs: { min: 0, unit: 'ms' },
  seed: { min: 0, max: 4_294_967_295, integer: true, unit: '' },
};

const n = (value: number): string => value.toLocaleString('en-US');

function checkNumber(value: unknown, rule: Rule): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'Enter a number.';
  if (rule.integer && !Number.isInteger(value)) return `Enter a whole number${rule.unit ? ` of ${rule.unit}` : ''}.`;
  const unit = rule.unit ? ` ${rule.unit}` : '';
  if (rule.min !== undefined && rule.max !== undefined && (value < rule.min || value > rule.max)) return `Must be from ${n(rule.min)} to ${n(rule.max)}${unit}.`;
  if (rule.above !== undefined && value <= rule.above) return `Must be above ${n(rule.above)}${unit}.`;
  if (rule.min !== undefined && value < rule.min) return `Must be at least ${n(rule.min)}${unit}.`;
  if (rule.max !== undefined && value > rule.max) return `Must be at most ${n(rule.max)}${unit}.`;
  return undefined;
}

/** The fields the current arrival type uses. */
function activeFields(draft: TrafficDraft): DraftField[] {
  const arrivals: Record<ArrivalKind, DraftField[]> = {
    poisson: ['ratePerSecond'],
    constant: ['ratePerSecond'],
    diurnal: ['ratePerSecond', 'amplitude', 'peakHour'],
    bursts: ['baseRatePerSecond', 'burstSize', 'burstEverySeconds', 'burstSpreadMs'],
  };
  const service: DraftField[] = draft.calibrated ? (draft.calibrated.service.init ? [] : ['initMs']) : ['warmMedianMs', 'initMs'];
  return [...arrivals[draft.arrivalType], 'keepAliveMinutes', 'concurrencyLimit', 'memoryMb', 'provisionedConcurrency', 'horizonHours', 'seed', ...service];
}

/** Feedback while typing, in the form's own units. */
export function checkDraft(draft: TrafficDraft): Partial<Record<DraftField, string>> {
  const out: Partial<Record<DraftField, string>> = {};
  for (const field of activeFields(draft)) {
    const rule = RULES[field];
    const problem = rule && checkNumber(draft[field], rule);
    if (problem) out[field] = problem;
  }
  if (!out.burstSpreadMs && draft.arrivalType === 'bursts' && draft.burstSpreadMs > draft.burstEverySeconds * 1000) out.burstSpreadMs = 'Must be shorter than the time between bursts.';
  return out;
}

/** About how many requests a run brings: what makes it fast or slow. */
export function estimateRequests(draft: TrafficDraft): number {
  const seconds = draft.horizonHours * 3600;
  if (draft.arrivalType === 'bursts') return draft.baseRatePerSecond * seconds + Math.ceil(seconds / draft.burstEverySeconds) * draft.burstSize;
  return draft.ratePerSecond * seconds;
}

export interface WhatIf {
  memoryMb?: number;
  provisionedConcurrency?: number;
  architecture?: Architecture;
  keepAliveMinutes?: number;
  /** Traffic times this factor. */
  trafficFactor?: number;
}

/** The draft with the what-if's changes; everything else (and the seed) stays, so only they differ. */
export function applyWhatIf(draft: TrafficDraft, whatIf: WhatIf): TrafficDraft {
  const out: TrafficDraft = { ...draft };
  if (whatIf.memoryMb !== undefined) out.memoryMb = whatIf.memoryMb;
  if (whatIf.provisionedConcurrency !== undefined) out.provisionedConcurrency = whatIf.provisionedConcurrency;
  if (whatIf.architecture !== undefined) out.architecture = whatIf.architecture;
  if (whatIf.keepAliveMinutes !== undefined) out.keepAliveMinutes = whatIf.keepAliveMinutes;
  const factor = whatIf.trafficFactor ?? 1;
  if (factor !== 1) {
    out.ratePerSecond *= factor;
    out.baseRatePerSecond *= factor;
    out.burstSize = Math.max(1, Math.round(out.burstSize * factor));
  }
  return out;
}

/** In words, for the comparison's column heading: `1024 MB · 2 provisioned`. */
export function describeWhatIf(draft: TrafficDraft, whatIf: WhatIf): string {
  const parts: string[] = [];
  if (whatIf.memoryMb !== undefined && whatIf.memoryMb !== draft.memoryMb) parts.push(`${n(whatIf.memoryMb)} MB`);
  if (whatIf.provisionedConcurrency !== undefined && whatIf.provisionedConcurrency !== draft.provisionedConcurrency) parts.push(`${whatIf.provisionedConcurrency} provisioned`);
  if (whatIf.architecture !== undefined && whatIf.architecture !== draft.architecture) parts.push(whatIf.architecture);
  if (whatIf.keepAliveMinutes !== undefined && whatIf.keepAliveMinutes !== draft.keepAliveMinutes) parts.push(`keep-alive ${whatIf.keepAliveMinutes} min`);
  if (whatIf.trafficFactor !== undefined && whatIf.trafficFactor !== 1) parts.push(`traffic ×${whatIf.trafficFactor}`);
  return parts.join(' · ') || 'no change';
}
