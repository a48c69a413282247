import { HybridHistogramPolicy } from './hybrid-histogram-policy.ts';
import type { Random } from './random.ts';
import type { KeepAliveSpec } from './scenario-schema.ts';

/**
 * How long an environment stays loaded after its request ends. The simulator calls `decide()`
 * when a request ends and then reads `prewarmMs` and `keepAliveMs` (fields, so no object is
 * made per request): unload now and load again after `prewarmMs`, then stay `keepAliveMs`.
 */
export interface KeepAlivePolicy {
  prewarmMs: number;
  keepAliveMs: number;
  /** True when every idle period gets the same keep-alive and no pre-warm: the fast path. */
  readonly constant: boolean;
  /** True when the policy learns from idle times, so the simulator must report them. */
  readonly observesIdleTimes: boolean;
  decide(): void;
  /** The function had nothing running for this long before a request arrived. */
  observeIdle(idleMs: number): void;
}

/** AWS's policy: a fixed time after the request ends (600 s), optionally jittered per environment. */
export class FixedKeepAlive implements KeepAlivePolicy {
  prewarmMs = 0;
  keepAliveMs: number;
  readonly constant: boolean;
  readonly observesIdleTimes = false;
  constructor(
    private readonly baseMs: number,
    private readonly jitterMs: number,
    private readonly rng: Random,
  ) {
    this.keepAliveMs = baseMs;
    this.constant = jitterMs === 0;
  }
  decide(): void {
    if (this.jitterMs > 0) this.keepAliveMs = this.baseMs + this.rng.nextOpen() * this.jitterMs;
  }
  observeIdle(): void {}
}

export function createKeepAlivePolicy(spec: KeepAliveSpec, rng: Random): KeepAlivePolicy {
  switch (spec.type) {
    case 'fixed':
      return new FixedKeepAlive(spec.idleSeconds * 1000, spec.jitterSeconds * 1000, rng);
    case 'none':
      return new FixedKeepAlive(0, 0, rng);
    case 'hybrid':
      return new HybridHistogramPolicy(spec);
  }
}

/** The most an environment lives, however busy: `maxLifeHours`, else forever. */
export function maxLifeMsOf(spec: KeepAliveSpec): number {
  return spec.type === 'fixed' && spec.maxLifeHours !== undefined ? spec.maxLifeHours * 3_600_000 : Infinity;
}
