import { describe, expect, test } from 'vitest';
import { createArrivalProcess, type ArrivalProcess } from './arrival-processes.ts';
import { Random } from './random.ts';
import type { ArrivalSpec } from './scenario-schema.ts';

function take(process: ArrivalProcess, untilMs: number): number[] {
  const times: number[] = [];
  for (let t = process.next(); t < untilMs; t = process.next()) times.push(t);
  return times;
}

const arrivals = (spec: ArrivalSpec, untilMs: number) => take(createArrivalProcess(spec, new Random(9)), untilMs);

describe('arrival processes', () => {
  test('Poisson: the rate holds and gaps have the exponential CV of 1', () => {
    const times = arrivals({ type: 'poisson', ratePerSecond: 50 }, 2000_000);
    expect(times.length / 2000).toBeCloseTo(50, 0);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    expect(sd / mean).toBeCloseTo(1, 1);
  });

  test('constant: exactly every 1/rate, from 0', () => {
    expect(arrivals({ type: 'constant', ratePerSecond: 4 }, 1000)).toEqual([0, 250, 500, 750]);
  });

  test('piecewise: each segment gets its own rate, and the pattern repeats', () => {
    const times = arrivals({ type: 'piecewise', segments: [{ durationSeconds: 100, ratePerSecond: 20 }, { durationSeconds: 100, ratePerSecond: 0 }], repeat: true }, 400_000);
    const inQuiet = times.filter((t) => (t % 200_000) >= 100_000);
    expect(inQuiet).toEqual([]);
    expect(times.length / 200).toBeCloseTo(20, -1);
    expect(arrivals({ type: 'piecewise', segments: [{ durationSeconds: 1, ratePerSecond: 100 }], repeat: false }, 10_000).every((t) => t < 1000)).toBe(true);
  });

  test('diurnal: the peak hour sees about (1 + a) / (1 − a) times the trough hour', () => {
    const spec: ArrivalSpec = { type: 'diurnal', meanRatePerSecond: 10, amplitude: 0.5, periodSeconds: 86_400, peakAtSeconds: 43_200 };
    const times = arrivals(spec, 86_400_000);
    // The trough is at midnight: the first and the last half hour of the day.
    const peakHour = times.filter((t) => Math.abs(t - 43_200_000) < 1_800_000).length;
    const troughHour = times.filter((t) => t < 1_800_000 || t >= 84_600_000).length;
    expect(times.length / 86_400).toBeCloseTo(10, 0);
    expect(peakHour / troughHour).toBeGreaterThan(2.7);
    expect(peakHour / troughHour).toBeLessThan(3.3);
  });

  test('bursts: N requests every period within the spread, on top of background traffic', () => {
    const times = arrivals({ type: 'bursts', baseRatePerSecond: 0, burstSize: 100, everySeconds: 60, spreadMs: 2000, firstAtSeconds: 10 }, 190_000);
    expect(times).toHaveLength(300);
    expect(times.filter((t) => t >= 70_000 && t < 72_000)).toHaveLength(100);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const withBase = arrivals({ type: 'bursts', baseRatePerSecond: 5, burstSize: 10, everySeconds: 60, spreadMs: 0, firstAtSeconds: 0 }, 600_000);
    expect(withBase.length).toBeGreaterThan(2800);
    expect([...withBase].sort((a, b) => a - b)).toEqual(withBase);
  });

  test('trace replay: times as given (sorted, sped up), then no more; per-minute counts land in their minutes', () => {
    expect(arrivals({ type: 'trace', timesMs: [30, 10, 20], format: 'timestamps', timeUnit: 'ms', column: 0, speedup: 2 }, Infinity)).toEqual([5, 10, 15]);
    const perMinute = arrivals({ type: 'trace', countsPerMinute: [3, 0, 1], format: 'azure-2019', timeUnit: 'ms', column: 0, speedup: 1 }, Infinity);
    expect(perMinute).toHaveLength(4);
    expect(perMinute.slice(0, 3).every((t) => t < 60_000)).toBe(true);
    expect(perMinute[3]).toBeGreaterThanOrEqual(120_000);
  });
});
