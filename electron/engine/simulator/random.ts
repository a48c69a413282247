/**
 * A small, fast, seedable generator (SFC32, from PractRand) so that a scenario and a seed give
 * the same result on every machine and every run. Math.random cannot be seeded. The state is
 * an Int32Array rather than fields: half of all int32 values do not fit V8's small integers,
 * and a field that flips representation throws away the compiled code that draws from it.
 */
export class Random {
  private readonly s = new Int32Array(4);
  private readonly spare = new Float64Array(1);
  private hasSpareNormal = false;

  constructor(seed: number) {
    // SplitMix32 spreads small consecutive seeds (1, 2, 3…) over the whole state.
    let s = seed >>> 0;
    const mix = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.s[0] = mix();
    this.s[1] = mix();
    this.s[2] = mix();
    this.s[3] = 1;
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  nextUint32(): number {
    const s = this.s;
    const a = s[0] as number;
    const b = s[1] as number;
    const c = s[2] as number;
    const d = s[3] as number;
    const t = (((a + b) | 0) + d) | 0;
    s[3] = (d + 1) | 0;
    s[0] = b ^ (b >>> 9);
    s[1] = (c + (c << 3)) | 0;
    s[2] = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** Uniform on the open interval (0, 1): never 0, so `-Math.log(u)` is always finite. */
  nextOpen(): number {
    return (this.nextUint32() + 0.5) * 2.3283064365386963e-10;
  }

  /** Exponential with mean 1. */
  nextExponential(): number {
    return -Math.log(this.nextOpen());
  }

  /** Standard normal (Marsaglia's polar method; the second value is kept for the next call). */
  nextNormal(): number {
    if (this.hasSpareNormal) {
      this.hasSpareNormal = false;
      return this.spare[0] as number;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.nextOpen() - 1;
      v = 2 * this.nextOpen() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare[0] = v * f;
    this.hasSpareNormal = true;
    return u * f;
  }

  /** A whole number in [0, n). */
  nextIndex(n: number): number {
    return Math.floor(this.nextOpen() * n);
  }

  /** An independent generator for a sub-stream (e.g. per run of a batch), derived from this one. */
  fork(): Random {
    return new Random(this.nextUint32());
  }
}
