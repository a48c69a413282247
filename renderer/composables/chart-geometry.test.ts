import { expect, test } from 'vitest';
import { areaPath, barsPath, formatOffset, linePath, niceScale, timeTicks } from './chart-geometry.ts';

test('an axis ends at a round number just above the data', () => {
  expect(niceScale(7.3)).toEqual({ top: 8, ticks: [0, 2, 4, 6, 8] });
  expect(niceScale(0.42)).toEqual({ top: 0.6, ticks: [0, 0.2, 0.4, 0.6] });
  expect(niceScale(100)).toEqual({ top: 100, ticks: [0, 25, 50, 75, 100] });
  expect(niceScale(0)).toEqual({ top: 1, ticks: [0, 1] });
  expect(niceScale(2, 4, true)).toEqual({ top: 2, ticks: [0, 1, 2] });
  expect(niceScale(9, 4, true)).toEqual({ top: 10, ticks: [0, 5, 10] });
});

test('lines and areas put each bin at its centre, higher values higher up', () => {
  expect(linePath([0, 5, 10], 10)).toBe('M166.67,100L500,50L833.33,0');
  expect(areaPath([0, 10], 10)).toBe('M250,100L250,100L750,0L750,100Z');
});

test('bars are drawn only for bins with something in them', () => {
  const d = barsPath([0, 2, 0, 4], 4, 1);
  expect(d.match(/M/g)).toHaveLength(2);
  expect(d).toBe('M250,100V50H500V100ZM750,100V0H1000V100Z');
});

test('time ticks fall on whole hours for a day and on minutes for an hour', () => {
  expect(timeTicks(86_400).map((t) => t.label)).toEqual(['0', '6 h', '12 h', '18 h', '24 h']);
  expect(timeTicks(3600).map((t) => t.label)).toEqual(['0', '10 min', '20 min', '30 min', '40 min', '50 min', '1 h']);
  expect(formatOffset(5400)).toBe('1 h 30 min');
  expect(formatOffset(3 * 86_400 + 7200)).toBe('3 d 2 h');
});
