import { describe, expect, test } from 'vitest';
import { Decimal, formatUsd } from './decimal.ts';

describe('Decimal', () => {
  test('holds prices exactly where binary floats cannot', () => {
    const price = Decimal.of('0.0000166667');
    expect(price.mul(140_000).toString()).toBe('2.333338');
    expect(Decimal.of('0.1').add(Decimal.of('0.2')).toString()).toBe('0.3');
    expect(0.1 + 0.2).not.toBe(0.3);
  });

  test('parses integers, fractions, signs and exponents, and refuses anything else', () => {
    expect(Decimal.of('-12.50').toString()).toBe('-12.5');
    expect(Decimal.of('1e-7').toString()).toBe('0.0000001');
    expect(Decimal.of('2.5E3').toString()).toBe('2500');
    expect(Decimal.of(46.12).toString()).toBe('46.12');
    expect(Decimal.of(7_440_000n).toString()).toBe('7440000');
    expect(() => Decimal.of('1,5')).toThrow(/not a decimal number/);
    expect(() => Decimal.of(Number.NaN)).toThrow(/not a finite number/);
  });

  test('divides exactly by powers of 2 and 5, and refuses divisions that would need rounding', () => {
    expect(Decimal.of(1536).divExact(1024).toString()).toBe('1.5');
    expect(Decimal.of(1).divExact(1_024_000).toString()).toBe('0.0000009765625');
    expect(() => Decimal.of(1).divExact(3)).toThrow(/no exact decimal result/);
  });

  test('rounds half-up (away from zero) to cents only when asked', () => {
    expect(Decimal.of('2.335').roundHalfUp(2).toString()).toBe('2.34');
    expect(Decimal.of('2.334999').roundHalfUp(2).toString()).toBe('2.33');
    expect(Decimal.of('-2.335').roundHalfUp(2).toString()).toBe('-2.34');
    expect(Decimal.of('0.077868').toFixed(2)).toBe('0.08');
    expect(Decimal.of('1.488').toFixed(2)).toBe('1.49');
    expect(Decimal.of('5').toFixed(2)).toBe('5.00');
    expect(formatUsd(Decimal.of('106.411412'))).toBe('$106.41');
  });

  test('compares, takes min and max, and serialises as its exact text', () => {
    const a = Decimal.of('1.10');
    const b = Decimal.of('1.1');
    expect(a.compare(b)).toBe(0);
    expect(Decimal.of(2).max(a).toString()).toBe('2');
    expect(Decimal.of(2).min(a).toString()).toBe('1.1');
    expect(JSON.stringify({ x: Decimal.of('0.0000002') })).toBe('{"x":"0.0000002"}');
    expect(Decimal.of('248.000496').toNumber()).toBe(248.000496);
  });
});
