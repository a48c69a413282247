/**
 * A small, fast, seedable generator (SFC32, from PractRand) so that a scenario and a seed give
 * the same result on every machine and every run. Math.random cannot be seeded. State lives in
 * four int32 fields: no allocation per draw, which the simulator makes hundreds of millions of.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;
  private spareNormal = 0;
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
    this.a = mix();
    this.b = mix();
    this.c = mix();
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  nextUint32(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
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
      return this.spareNormal;
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
    this.spareNormal = v * f;
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
