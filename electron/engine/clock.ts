/**
 * Time as the engine sees it. Services take a Clock so that tests move time instead of
 * sleeping, and so the schedule emulator can fast-forward.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer): void;
}

export interface ClockTimer {
  readonly id: number;
}

export class SystemClock implements Clock {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private nextId = 1;
  /** Epoch ms with sub-millisecond precision, so short durations are not rounded to zero. */
  now(): number {
    return performance.timeOrigin + performance.now();
  }
  setTimeout(fn: () => void, ms: number): ClockTimer {
    const id = this.nextId++;
    const handle = setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, ms);
    handle.unref?.();
    this.timers.set(id, handle);
    return { id };
  }
  clearTimeout(timer: ClockTimer): void {
    const handle = this.timers.get(timer.id);
    if (handle) clearTimeout(handle);
    this.timers.delete(timer.id);
  }
}

/** A clock that only moves when told to: `advance(ms)` fires due timers in order. */
export class ManualClock implements Clock {
  private current: number;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  private nextId = 1;
  constructor(startMs = 0) {
    this.current = startMs;
  }
  now(): number {
    return this.current;
  }
  setTimeout(fn: () => void, ms: number): ClockTimer {
    const id = this.nextId++;
    this.timers.set(id, { at: this.current + Math.max(0, ms), fn });
    return { id };
  }
  clearTimeout(timer: ClockTimer): void {
    this.timers.delete(timer.id);
  }
  /** Moves time forward, firing each due timer at its own time, and lets promises settle between them. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      let nextId = -1;
      let nextAt = Infinity;
      for (const [id, t] of this.timers) {
        if (t.at <= target && (t.at < nextAt || (t.at === nextAt && id < nextId))) {
          nextAt = t.at;
          nextId = id;
        }
      }
      if (nextId < 0) break;
      const timer = this.timers.get(nextId)!;
      this.timers.delete(nextId);
      this.current = timer.at;
      timer.fn();
      await new Promise<void>((r) => setImmediate(r));
    }
    this.current = target;
    await new Promise<void>((r) => setImmediate(r));
  }
}
