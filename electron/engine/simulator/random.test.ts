import { describe, expect, test } from 'vitest';
import { Random } from './random.ts';

describe('Random', () => {
  test('the same seed gives the same stream; neighbouring seeds do not look alike', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, ((r) => () => r.nextUint32())(new Random(seed)));
    expect(draw(7)).toEqual(draw(7));
    expect(draw(1)).not.toEqual(draw(2));
    expect(draw(1)[0]).not.toBe(draw(2)[0]);
  });

  test('uniforms are in the open interval (0, 1) with mean 1/2; exponentials have mean 1; normals mean 0 and variance 1', () => {
    const r = new Random(3);
    const n = 200_000;
    let u = 0;
    let e = 0;
    let z = 0;
    let z2 = 0;
    let min = 1;
    for (let i = 0; i < n; i++) {
      const x = r.nextOpen();
      min = Math.min(min, x);
      u += x;
      e += r.nextExponential();
      const g = r.nextNormal();
      z += g;
      z2 += g * g;
    }
    expect(min).toBeGreaterThan(0);
    expect(u / n).toBeCloseTo(0.5, 2);
    expect(e / n).toBeCloseTo(1, 1);
    expect(z / n).toBeCloseTo(0, 1);
    expect(z2 / n).toBeCloseTo(1, 1);
  });

  test('nextIndex covers 0..n-1 and nothing else', () => {
    const r = new Random(5);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(r.nextIndex(4));
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
  });
});
