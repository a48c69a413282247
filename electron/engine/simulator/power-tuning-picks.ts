/**
 * AWS Lambda Power Tuning's three strategies over (memory, cost, duration) points:
 * `cost` is the cheapest (ties go to the faster), `speed` the fastest (ties to the cheaper),
 * `balanced` minimises w × cost / max cost + (1 − w) × duration / max duration (w = 0.5 by
 * default; 1 means cost only, 0 speed only).
 */
export interface TuningPoint {
  memoryMb: number;
  /** USD per invocation, duration only, as Power Tuning counts it (no request charge). */
  costPerInvocation: number;
  /** Mean duration per invocation, ms. */
  durationMs: number;
}

export interface TuningPicks<T extends TuningPoint> {
  cheapest: T;
  fastest: T;
  balanced: T;
}

export function pickPowerTuning<T extends TuningPoint>(points: readonly T[], balancedWeight = 0.5): TuningPicks<T> {
  const first = points[0];
  if (!first) throw new RangeError('a memory sweep needs at least one memory size');
  if (!(balancedWeight >= 0 && balancedWeight <= 1)) throw new RangeError(`balancedWeight must be from 0 to 1; got ${balancedWeight}`);
  const maxCost = Math.max(...points.map((p) => p.costPerInvocation));
  const maxDuration = Math.max(...points.map((p) => p.durationMs));
  const score = (p: T) =>
    balancedWeight * (maxCost > 0 ? p.costPerInvocation / maxCost : 0) +
    (1 - balancedWeight) * (maxDuration > 0 ? p.durationMs / maxDuration : 0);
  const best = (better: (a: T, b: T) => boolean) => points.reduce((acc, p) => (better(p, acc) ? p : acc), first);
  return {
    cheapest: best((a, b) => a.costPerInvocation < b.costPerInvocation || (a.costPerInvocation === b.costPerInvocation && a.durationMs < b.durationMs)),
    fastest: best((a, b) => a.durationMs < b.durationMs || (a.durationMs === b.durationMs && a.costPerInvocation < b.costPerInvocation)),
    balanced: best((a, b) => score(a) < score(b)),
  };
}
