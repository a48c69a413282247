/**
 * A binary min-heap of (time, value) pairs in one interleaved Float64Array: no object per
 * event, so a month of traffic does not feed the garbage collector, and a sift moves two
 * adjacent numbers. The array doubles when full and is never shrunk.
 */
export class EventHeap {
  size = 0;
  private slots: Float64Array;

  constructor(capacity = 64) {
    this.slots = new Float64Array(capacity * 2);
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this.size > 0 ? (this.slots[0] as number) : Infinity;
  }

  /** Value of the earliest event; read it before `pop()`. */
  peekValue(): number {
    return this.slots[1] as number;
  }

  push(time: number, value: number): void {
    if (this.size * 2 === this.slots.length) this.grow();
    const s = this.slots;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentTime = s[2 * parent] as number;
      if (parentTime <= time) break;
      s[2 * i] = parentTime;
      s[2 * i + 1] = s[2 * parent + 1] as number;
      i = parent;
    }
    s[2 * i] = time;
    s[2 * i + 1] = value;
  }

  /** Removes the earliest event. */
  pop(): void {
    const n = --this.size;
    if (n === 0) return;
    const s = this.slots;
    const time = s[2 * n] as number;
    const value = s[2 * n + 1] as number;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      let childTime = s[2 * child] as number;
      if (child + 1 < n) {
        const rightTime = s[2 * child + 2] as number;
        if (rightTime < childTime) {
          child++;
          childTime = rightTime;
        }
      }
      if (time <= childTime) break;
      s[2 * i] = childTime;
      s[2 * i + 1] = s[2 * child + 1] as number;
      i = child;
    }
    s[2 * i] = time;
    s[2 * i + 1] = value;
  }

  /** Visits every pending event in no particular order (end-of-run accounting). */
  forEach(visit: (time: number, value: number) => void): void {
    for (let i = 0; i < this.size; i++) visit(this.slots[2 * i] as number, this.slots[2 * i + 1] as number);
  }

  private grow(): void {
    const slots = new Float64Array(this.slots.length * 2);
    slots.set(this.slots);
    this.slots = slots;
  }
}
