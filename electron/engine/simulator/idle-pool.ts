/**
 * The idle environments of one function, in the order they went idle: entries [base, top) of
 * parallel typed arrays. Newest-idle-first routing takes from the top and, with a fixed
 * keep-alive, the oldest expire first from the base, so both ends are O(1); the rarer cases
 * (jittered or adaptive keep-alive, pre-warming) remove from the middle.
 */
export class IdlePool {
  base = 0;
  top = 0;
  /** When the environment can take a request (later than it went idle if pre-warming). */
  availableAt: Float64Array;
  expiresAt: Float64Array;
  createdAt: Float64Array;

  constructor(capacity = 64) {
    this.availableAt = new Float64Array(capacity);
    this.expiresAt = new Float64Array(capacity);
    this.createdAt = new Float64Array(capacity);
  }

  get size(): number {
    return this.top - this.base;
  }

  push(availableAt: number, expiresAt: number, createdAt: number): void {
    if (this.top === this.availableAt.length) this.makeRoom();
    const i = this.top++;
    this.availableAt[i] = availableAt;
    this.expiresAt[i] = expiresAt;
    this.createdAt[i] = createdAt;
  }

  /** Removes entry i, keeping the order of the others. */
  removeAt(i: number): void {
    if (i === this.top - 1) {
      this.top--;
      return;
    }
    if (i === this.base) {
      this.base++;
      return;
    }
    this.availableAt.copyWithin(i, i + 1, this.top);
    this.expiresAt.copyWithin(i, i + 1, this.top);
    this.createdAt.copyWithin(i, i + 1, this.top);
    this.top--;
  }

  /** Slides live entries down to 0 when the base has moved far enough, else doubles. */
  private makeRoom(): void {
    const live = this.top - this.base;
    if (this.base >= this.availableAt.length >> 1) {
      this.availableAt.copyWithin(0, this.base, this.top);
      this.expiresAt.copyWithin(0, this.base, this.top);
      this.createdAt.copyWithin(0, this.base, this.top);
    } else {
      const capacity = this.availableAt.length * 2;
      this.availableAt = copyInto(new Float64Array(capacity), this.availableAt, this.base, this.top);
      this.expiresAt = copyInto(new Float64Array(capacity), this.expiresAt, this.base, this.top);
      this.createdAt = copyInto(new Float64Array(capacity), this.createdAt, this.base, this.top);
    }
    this.base = 0;
    this.top = live;
  }
}

function copyInto(target: Float64Array, source: Float64Array, from: number, to: number): Float64Array {
  target.set(source.subarray(from, to));
  return target;
}
