import { expect, test } from 'vitest';
import { formatPerMillion, formatUsd, formatUsdDelta, signOf, subtractExact, toCents } from './money.ts';

test('amounts are rounded half-up to cents only when shown', () => {
  expect(toCents('249.488496')).toBe('249.49');
  expect(toCents('0.125')).toBe('0.13');
  expect(toCents('0.1249999999')).toBe('0.12');
  expect(toCents('1234567.5')).toBe('1,234,567.50');
  expect(toCents('-0.125')).toBe('-0.13');
  expect(toCents('3')).toBe('3.00');
});

test('differences are computed on the exact decimals, not on floats', () => {
  // 0.3 − 0.1 is 0.19999999999999998 in floats; the bill says 0.2.
  expect(subtractExact('0.3', '0.1')).toBe('0.2');
  expect(subtractExact('2.005', '0.000000001')).toBe('2.004999999');
  expect(toCents(subtractExact('2.005', '0.000000001'))).toBe('2.00');
  expect(subtractExact('1', '1.0000001')).toBe('-0.0000001');
  expect(subtractExact('5', '5.000')).toBe('0');
});

test('dollars are formatted for display, and an amount below a cent is not shown as nothing', () => {
  expect(formatUsd('2.725')).toBe('$2.73');
  expect(formatUsd('0')).toBe('$0.00');
  expect(formatUsd('0.0000166667')).toBe('< $0.01');
  expect(formatUsdDelta('1.2')).toBe('+$1.20');
  expect(formatUsdDelta('-0.5')).toBe('−$0.50');
  expect(formatUsdDelta('0')).toBe('±$0.00');
  expect(formatUsdDelta('-0.001')).toBe('−< $0.01');
  expect(signOf('-0.001')).toBe(-1);
  expect(formatPerMillion(0.0000002083)).toBe('$0.21');
  expect(formatPerMillion(1e-12)).toBe('$0.0000010');
});
