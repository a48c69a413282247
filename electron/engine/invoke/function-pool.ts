import type { Clock, ClockTimer } from '../clock.ts';
import type { ExecutionEnvironment } from './execution-environment.ts';

export interface KeepAlive {
  clock: Clock;
  /** An on-demand environment idle this long is stopped; provisioned ones stay. */
  keepAliveMs: number;
}

/**
 * A function's environments: idle ones newest first (as AWS routes), plus a count of those
 * busy or starting, checked against the function's concurrency limit. Each idle on-demand
 * environment has its own keep-alive timer, started when its invoke ends, as on AWS.
 */
export class FunctionPool {
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly all = new Set<ExecutionEnvironment>();
  private readonly expiry = new Map<ExecutionEnvironment, ClockTimer>();
  private starting = 0;

  constructor(
    public limit: number,
    private readonly keepAlive: KeepAlive,
  ) {}

  private disarm(env: ExecutionEnvironment): void {
    const timer = this.expiry.get(env);
    if (timer) this.keepAlive.clock.clearTimeout(timer);
    this.expiry.delete(env);
  }

  /** The newest idle environment, if any; it is the caller's until `give()`. */
  take(): ExecutionEnvironment | undefined {
    for (;;) {
      const env = this.idle.pop();
      if (!env) return undefined;
      this.disarm(env);
      if (env.state === 'idle' && !env.stale) return env;
      if (env.stale) void this.retire(env);
    }
  }

  /** Reserves a slot for a new environment, or returns false when the limit is reached. */
  reserve(): boolean {
    if (this.inUse() >= this.limit) return false;
    this.starting++;
    return true;
  }

  /** The reserved slot became a real environment (or failed to). */
  settle(env: ExecutionEnvironment | undefined): void {
    this.starting--;
    if (env) this.all.add(env);
  }

  /** Returns an environment after an invoke; stale or stopped ones are dropped. */
  give(env: ExecutionEnvironment): void {
    if (env.state === 'stopped') {
      this.all.delete(env);
      return;
    }
    if (env.stale) {
      void this.retire(env);
      return;
    }
    env.release();
    this.idle.push(env);
    if (env.initializationType === 'on-demand') {
      this.expiry.set(env, this.keepAlive.clock.setTimeout(() => void this.retire(env), this.keepAlive.keepAliveMs));
    }
  }

  /**
   * Busy plus starting environments: what counts against concurrency. A starting environment
   * joins `all` only at settle(), so it is counted once.
   */
  inUse(): number {
    let busy = 0;
    for (const env of this.all) if (env.state === 'busy') busy++;
    return busy + this.starting;
  }

  environments(): ExecutionEnvironment[] {
    return [...this.all];
  }

  idleEnvironments(): readonly ExecutionEnvironment[] {
    return this.idle;
  }

  async retire(env: ExecutionEnvironment): Promise<void> {
    this.disarm(env);
    const index = this.idle.indexOf(env);
    if (index >= 0) this.idle.splice(index, 1);
    this.all.delete(env);
    await env.stop();
  }

  /** Marks every environment stale: idle ones stop now, busy ones after their invoke. */
  async retireAll(): Promise<void> {
    const stopping: Promise<void>[] = [];
    for (const env of this.all) {
      env.stale = true;
      if (env.state !== 'busy') stopping.push(this.retire(env));
    }
    await Promise.all(stopping);
  }
}
