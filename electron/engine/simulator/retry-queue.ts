import { EventHeap } from './event-heap.ts';

/**
 * Throttled requests waiting to retry, earliest first. Each keeps its original arrival time
 * (latency counts from it) and how many attempts it has made; slots are reused, so the queue
 * allocates only when it grows.
 */
export class RetryQueue {
  private readonly heap = new EventHeap(16);
  private origins = new Float64Array(16);
  private attempts = new Int32Array(16);
  private readonly free: number[] = [];
  private used = 0;
  /** What `pop()` took, in a float64 slot so that the field never changes representation. */
  private readonly last = new Float64Array(2);

  get origin(): number {
    return this.last[0] as number;
  }

  get attempt(): number {
    return this.last[1] as number;
  }

  peekTime(): number {
    return this.heap.peekTime();
  }

  push(time: number, origin: number, attempt: number): void {
    let slot = this.free.pop();
    if (slot === undefined) {
      if (this.used === this.origins.length) this.grow();
      slot = this.used++;
    }
    this.origins[slot] = origin;
    this.attempts[slot] = attempt;
    this.heap.push(time, slot);
  }

  /** Removes the earliest retry and exposes it as `origin` and `attempt`. */
  pop(): void {
    const slot = this.heap.peekValue();
    this.heap.pop();
    this.last[0] = this.origins[slot] as number;
    this.last[1] = this.attempts[slot] as number;
    this.free.push(slot);
  }

  private grow(): void {
    const origins = new Float64Array(this.origins.length * 2);
    const attempts = new Int32Array(this.attempts.length * 2);
    origins.set(this.origins);
    attempts.set(this.attempts);
    this.origins = origins;
    this.attempts = attempts;
  }
}
