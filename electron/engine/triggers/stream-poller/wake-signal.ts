import type { Clock, ClockTimer } from '../../clock.ts';

/** Wakes one waiting loop when something happens (records appended, stop asked). */
export class WakeSignal {
  private readonly waiters = new Set<() => void>();
  private pending = false;

  /** Resolves at the next `notify`, or at once if one came since the last wait. */
  wait(): Promise<void> {
    return this.waitCancellable().promise;
  }

  /** A notification came while nobody waited: the next wait returns at once. */
  get isPending(): boolean {
    return this.pending;
  }

  notify(): void {
    if (this.waiters.size === 0) {
      this.pending = true;
      return;
    }
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** A wait that can be withdrawn, so a notification is never spent on a waiter that left. */
  waitCancellable(): { promise: Promise<void>; cancel: () => void } {
    if (this.pending) {
      this.pending = false;
      return { promise: Promise.resolve(), cancel: () => undefined };
    }
    let wake!: () => void;
    const promise = new Promise<void>((resolve) => (wake = resolve));
    this.waiters.add(wake);
    return { promise, cancel: () => this.waiters.delete(wake) };
  }
}

/** Resolves after `ms` of the clock, or as soon as one of `signals` fires, whichever comes first. */
export async function sleepOrWake(clock: Clock, ms: number, ...signals: WakeSignal[]): Promise<void> {
  let timer: ClockTimer | undefined;
  const slept = new Promise<void>((resolve) => (timer = clock.setTimeout(resolve, Math.max(0, ms))));
  const woken = signals.map((s) => s.waitCancellable());
  await Promise.race([slept, ...woken.map((w) => w.promise)]);
  for (const w of woken) w.cancel();
  if (timer) clock.clearTimeout(timer);
}

/** Resolves when one of `signals` fires. */
export async function waitForAny(...signals: WakeSignal[]): Promise<void> {
  const woken = signals.map((s) => s.waitCancellable());
  await Promise.race(woken.map((w) => w.promise));
  for (const w of woken) w.cancel();
}
