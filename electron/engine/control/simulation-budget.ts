import type { Scenario } from '../simulator/scenario-schema.ts';
import type { ScenarioProblem } from '../simulator/scenario-error.ts';

/**
 * The simulator runs on the engine's event loop (Electron's main process, or the control API),
 * so a click must answer in well under a second: each run is bounded by the requests it
 * simulates (about five million per second on one busy core), and the charts by their points.
 */
export const MAX_RUN_ARRIVALS = 1_000_000;
/** All sizes of a memory sweep together. */
export const MAX_SWEEP_ARRIVALS = 2_400_000;
/** Points per chart series: two days at one per minute. */
export const MAX_CHART_POINTS = 2880;

/** How many requests the arrival process brings within the horizon (its mean). */
export function expectedArrivals(arrivals: Scenario['arrivals'], horizonSeconds: number): number {
  switch (arrivals.type) {
    case 'poisson':
    case 'constant':
      return arrivals.ratePerSecond * horizonSeconds;
    case 'diurnal':
      return arrivals.meanRatePerSecond * horizonSeconds;
    case 'bursts': {
      const bursts = horizonSeconds > arrivals.firstAtSeconds ? Math.ceil((horizonSeconds - arrivals.firstAtSeconds) / arrivals.everySeconds) : 0;
      return arrivals.baseRatePerSecond * horizonSeconds + bursts * arrivals.burstSize;
    }
    case 'piecewise': {
      const cycleSeconds = arrivals.segments.reduce((sum, s) => sum + s.durationSeconds, 0);
      const perCycle = arrivals.segments.reduce((sum, s) => sum + s.durationSeconds * s.ratePerSecond, 0);
      const within = (seconds: number): number => {
        let left = seconds;
        let count = 0;
        for (const s of arrivals.segments) {
          const part = Math.min(left, s.durationSeconds);
          count += part * s.ratePerSecond;
          left -= part;
          if (left <= 0) break;
        }
        return count;
      };
      if (!arrivals.repeat) return within(horizonSeconds);
      const cycles = Math.floor(horizonSeconds / cycleSeconds);
      return cycles * perCycle + within(horizonSeconds - cycles * cycleSeconds);
    }
    case 'trace':
      if (arrivals.countsPerMinute) return arrivals.countsPerMinute.reduce((sum, n) => sum + n, 0);
      return arrivals.timesMs?.length ?? 0;
  }
}

/** The longest horizon whose expected requests fit `maxArrivals` (a whole number of seconds). */
export function horizonForArrivals(arrivals: Scenario['arrivals'], maxArrivals: number, horizonSeconds: number): number {
  if (expectedArrivals(arrivals, horizonSeconds) <= maxArrivals) return horizonSeconds;
  let low = 1;
  let high = horizonSeconds;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (expectedArrivals(arrivals, mid) <= maxArrivals) low = mid;
    else high = mid;
  }
  return low;
}

/** A run the app refuses, at the field to change; `lambdadesk simulate` has no such bound. */
export function checkRunBudget(scenario: Scenario, horizonSeconds: number): ScenarioProblem[] {
  const expected = expectedArrivals(scenario.arrivals, horizonSeconds);
  if (expected <= MAX_RUN_ARRIVALS) return [];
  const fits = horizonForArrivals(scenario.arrivals, MAX_RUN_ARRIVALS, horizonSeconds);
  return [
    {
      field: 'horizonSeconds',
      message:
        `${count(horizonSeconds)} s (${hours(horizonSeconds)}) of this traffic is about ${count(expected)} requests; the app simulates at most ` +
        `${count(MAX_RUN_ARRIVALS)} per run so that it answers at once. Use at most ${count(fits)} s (${hours(fits)}): the monthly cost is ` +
        'scaled from the simulated window. For longer runs use `lambdadesk simulate`.',
    },
  ];
}

/** Whole minutes per chart point, one minute unless the horizon would give too many points. */
export function chartBinSeconds(horizonSeconds: number): number {
  return Math.max(1, Math.ceil(horizonSeconds / MAX_CHART_POINTS / 60)) * 60;
}

/**
 * The horizon each size of a sweep runs over: the scenario's, or a shorter one so that all sizes
 * together stay within MAX_SWEEP_ARRIVALS. A daily pattern keeps whole periods when one fits, so
 * the shorter window still sees both its quiet and its busy hours.
 */
export function sweepHorizon(scenario: Scenario, horizonSeconds: number, sizes: number): { horizonSeconds: number; note?: string } {
  const perSize = MAX_SWEEP_ARRIVALS / sizes;
  let fits = horizonForArrivals(scenario.arrivals, perSize, horizonSeconds);
  if (fits === horizonSeconds) return { horizonSeconds };
  const a = scenario.arrivals;
  if (a.type === 'diurnal' && fits >= a.periodSeconds) fits = Math.floor(fits / a.periodSeconds) * a.periodSeconds;
  return {
    horizonSeconds: fits,
    note: `Each memory size was simulated over the first ${count(fits)} s (${hours(fits)}) of the scenario instead of ${count(horizonSeconds)} s, so that the sweep answers at once; costs are per invocation and per month, so they do not depend on it.`,
  };
}

function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function hours(seconds: number): string {
  const h = seconds / 3600;
  return h >= 10 ? `${Math.round(h)} h` : h >= 1 ? `${h.toFixed(1)} h` : `${Math.max(1, Math.round(seconds / 60))} min`;
}
