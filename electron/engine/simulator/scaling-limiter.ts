/**
 * AWS's per-function scaling rate since November 2023: up to 1,000 new execution environments
 * every 10 s, refilled continuously, unused allowance not banked beyond that. A token bucket
 * that starts full; a cold start takes one token or is throttled.
 */
export class ScalingLimiter {
  private tokens: number;
  private lastMs = 0;
  private readonly perMs: number;

  constructor(
    private readonly environments: number,
    perSeconds: number,
  ) {
    this.tokens = environments;
    this.perMs = environments / (perSeconds * 1000);
  }

  tryStart(nowMs: number): boolean {
    const refilled = this.tokens + (nowMs - this.lastMs) * this.perMs;
    this.tokens = refilled < this.environments ? refilled : this.environments;
    this.lastMs = nowMs;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
