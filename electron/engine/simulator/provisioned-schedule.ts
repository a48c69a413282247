import type { ProvisionedWindow } from './billing.ts';
import { ScenarioError } from './scenario-error.ts';
import type { ProvisionedSpec } from './scenario-schema.ts';

/** A schedule that repeats more often than this over the horizon is refused, to bound memory. */
const MAX_STEPS = 1_000_000;

/**
 * Provisioned concurrency over the run as a step function: fixed, or scheduled steps that may
 * repeat (e.g. daily). Before the first step of the first period the level is 0; in later
 * periods it carries over from the previous period's last step, as a recurring schedule does.
 */
export class ProvisionedSchedule {
  /** Start of each constant-level segment, ms; the last segment runs to the horizon. */
  private readonly starts: Float64Array;
  private readonly levels: Float64Array;
  private cursor = 0;

  constructor(spec: ProvisionedSpec, private readonly horizonMs: number, source = 'scenario') {
    const starts: number[] = [0];
    const levels: number[] = [spec.concurrency ?? 0];
    if (spec.schedule) {
      const steps = spec.schedule;
      const periodMs = spec.repeatEverySeconds !== undefined ? spec.repeatEverySeconds * 1000 : Infinity;
      const periods = Number.isFinite(periodMs) ? Math.ceil(horizonMs / periodMs) : 1;
      if (periods * steps.length > MAX_STEPS) {
        throw new ScenarioError(source, [{
          field: 'provisioned.repeatEverySeconds',
          message: `repeats the schedule ${periods} times over the horizon; at most ${Math.floor(MAX_STEPS / steps.length)} repeats are allowed: use a longer period or a shorter horizon`,
        }]);
      }
      for (let p = 0; p < periods; p++) {
        for (const step of steps) {
          const at = (Number.isFinite(periodMs) ? p * periodMs : 0) + step.atSeconds * 1000;
          if (at >= horizonMs) break;
          if (at === starts[starts.length - 1]) levels[levels.length - 1] = step.concurrency;
          else if (levels[levels.length - 1] !== step.concurrency) {
            starts.push(at);
            levels.push(step.concurrency);
          }
        }
      }
    }
    this.starts = Float64Array.from(starts);
    this.levels = Float64Array.from(levels);
  }

  /** The level at `t`; calls must come in non-decreasing `t` (the simulator's clock). */
  levelAt(t: number): number {
    while (this.cursor + 1 < this.starts.length && (this.starts[this.cursor + 1] as number) <= t) this.cursor++;
    return this.levels[this.cursor] as number;
  }

  /** ∫ level dt over [from, to), in environment-ms. */
  integralMs(fromMs: number, toMs: number): number {
    let sum = 0;
    this.forEachSegment(fromMs, toMs, (level, a, b) => {
      sum += level * (b - a);
    });
    return sum;
  }

  /** Each constant, non-zero level within [from, to) is one billed window (rounded up to 5 min when priced). */
  windows(fromMs: number, toMs: number): ProvisionedWindow[] {
    const out: ProvisionedWindow[] = [];
    this.forEachSegment(fromMs, toMs, (level, a, b) => {
      if (level > 0) out.push({ concurrency: level, seconds: (b - a) / 1000 });
    });
    return out;
  }

  private forEachSegment(fromMs: number, toMs: number, visit: (level: number, a: number, b: number) => void): void {
    for (let i = 0; i < this.starts.length; i++) {
      const a = Math.max(fromMs, this.starts[i] as number);
      const b = Math.min(toMs, i + 1 < this.starts.length ? (this.starts[i + 1] as number) : this.horizonMs);
      if (b > a) visit(this.levels[i] as number, a, b);
    }
  }
}
