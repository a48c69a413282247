import type { z } from 'zod';
import { ScenarioError, type ScenarioProblem } from './scenario-error.ts';
import { scenarioSchema, type Scenario } from './scenario-schema.ts';

/** The largest number of time-series points a run keeps, so memory stays bounded. */
export const MAX_TIME_SERIES_POINTS = 2_000_000;
const DEFAULT_HORIZON_SECONDS = 86_400;

/**
 * Validates a scenario (parsed JSON) and fills in AWS's defaults. Every problem is reported at
 * once, each naming its field and what is allowed, e.g.
 * `scenario.json: function.memoryMb: must be a whole number from 128 to 10,240 (MB); got 64`.
 */
export function parseScenario(raw: unknown, source = 'scenario'): Scenario {
  const parsed = scenarioSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new ScenarioError(source, parsed.error.issues.flatMap(toProblems));
  // A trace file sets the default horizon, so the checks wait until it is loaded.
  if (parsed.data.arrivals.type !== 'trace' || parsed.data.arrivals.file === undefined) checkScenario(parsed.data, source);
  return parsed.data;
}

/** Checks that need the whole scenario (and its trace): the horizon, the warm-up, the series size. */
export function checkScenario(scenario: Scenario, source = 'scenario'): void {
  const problems: ScenarioProblem[] = [];
  const horizonSeconds = horizonOf(scenario);
  if (scenario.warmupSeconds >= horizonSeconds) {
    problems.push({ field: 'warmupSeconds', message: `must be below the horizon (${horizonSeconds} s); got ${scenario.warmupSeconds}` });
  }
  const points = Math.ceil(horizonSeconds / scenario.timeSeries.binSeconds);
  if (points > MAX_TIME_SERIES_POINTS) {
    problems.push({
      field: 'timeSeries.binSeconds',
      message: `gives ${points} points over ${horizonSeconds} s; must give at most ${MAX_TIME_SERIES_POINTS}: use at least ${Math.ceil(horizonSeconds / MAX_TIME_SERIES_POINTS)}`,
    });
  }
  const expected = expectedArrivals(scenario, horizonSeconds);
  if (expected > MAX_EXPECTED_ARRIVALS) {
    problems.push({
      field: 'horizonSeconds',
      message: `gives about ${expected.toExponential(1)} arrivals, hours of computing; at most ${MAX_EXPECTED_ARRIVALS.toExponential(0)} are simulated: shorten the horizon (a month is usually enough; monthlyCost scales it)`,
    });
  }
  if (problems.length > 0) throw new ScenarioError(source, problems);
}

/** About three hours at ten million simulated invocations a second. */
const MAX_EXPECTED_ARRIVALS = 1e11;

function expectedArrivals(scenario: Scenario, horizonSeconds: number): number {
  const a = scenario.arrivals;
  switch (a.type) {
    case 'poisson':
    case 'constant':
      return a.ratePerSecond * horizonSeconds;
    case 'piecewise': {
      const period = a.segments.reduce((sum, s) => sum + s.durationSeconds, 0);
      const perPeriod = a.segments.reduce((sum, s) => sum + s.durationSeconds * s.ratePerSecond, 0);
      return a.repeat ? (perPeriod / period) * horizonSeconds : perPeriod;
    }
    case 'diurnal':
      return a.meanRatePerSecond * horizonSeconds;
    case 'bursts':
      return (a.baseRatePerSecond + a.burstSize / a.everySeconds) * horizonSeconds;
    case 'trace':
      return 0;
  }
}

/** The simulated time: `horizonSeconds`, else the length of a trace, else one day. */
export function horizonOf(scenario: Scenario): number {
  if (scenario.horizonSeconds !== undefined) return scenario.horizonSeconds;
  const a = scenario.arrivals;
  if (a.type === 'trace') {
    if (a.countsPerMinute) return (a.countsPerMinute.length * 60) / a.speedup;
    if (a.timesMs && a.timesMs.length > 0) {
      const last = a.timesMs.reduce((max, t) => (t > max ? t : max), 0);
      return Math.floor(last / a.speedup / 1000) + 1;
    }
  }
  return DEFAULT_HORIZON_SECONDS;
}

export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

function toProblems(issue: z.core.$ZodIssue): ScenarioProblem[] {
  const field = formatFieldPath(issue.path);
  let input = (issue as { input?: unknown }).input;
  if (issue.code === 'invalid_type' && input === undefined) return [{ field, message: `missing; ${issue.message}` }];
  if (issue.code === 'invalid_union' && issue.discriminator && typeof input === 'object' && input !== null) {
    input = (input as Record<string, unknown>)[issue.discriminator];
    if (input === undefined) return [{ field, message: `missing; ${issue.message}` }];
  }
  if (issue.code === 'invalid_union' && !issue.discriminator && typeof input === 'object' && input !== null) {
    // `true` or `{requests, compute}`: an object's own problems say more than "must be one of".
    const matching = issue.errors.find((branch) => branch.every((i) => !(i.path.length === 0 && i.code === 'invalid_type')));
    if (matching) return matching.flatMap((i) => toProblems({ ...i, path: [...issue.path, ...i.path] }));
  }
  const shown = showInput(input);
  return [{ field, message: shown && issue.code !== 'unrecognized_keys' ? `${issue.message}; got ${shown}` : issue.message }];
}

function showInput(input: unknown): string | undefined {
  if (input === null) return 'null';
  if (typeof input === 'string') return JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input);
  if (typeof input === 'number' || typeof input === 'boolean') return String(input);
  if (Array.isArray(input)) return 'a list';
  return undefined;
}
