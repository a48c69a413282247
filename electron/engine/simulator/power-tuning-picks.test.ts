import { describe, expect, test } from 'vitest';
import { pickPowerTuning } from './power-tuning-picks.ts';

const points = [
  { memoryMb: 128, costPerInvocation: 2.0e-6, durationMs: 900 },
  { memoryMb: 512, costPerInvocation: 1.5e-6, durationMs: 200 },
  { memoryMb: 1024, costPerInvocation: 1.5e-6, durationMs: 100 },
  { memoryMb: 3008, costPerInvocation: 4.0e-6, durationMs: 90 },
];

describe('pickPowerTuning', () => {
  test('cheapest breaks ties by speed, fastest is the fastest, balanced weighs both', () => {
    const picks = pickPowerTuning(points);
    expect(picks.cheapest.memoryMb).toBe(1024);
    expect(picks.fastest.memoryMb).toBe(3008);
    expect(picks.balanced.memoryMb).toBe(1024);
  });

  test('a weight of 1 is cost only, 0 is speed only', () => {
    expect(pickPowerTuning(points, 1).balanced.memoryMb).toBe(512);
    expect(pickPowerTuning(points, 0).balanced.memoryMb).toBe(3008);
  });

  test('no points or a weight outside 0–1 is an error', () => {
    expect(() => pickPowerTuning([])).toThrow(/at least one memory size/);
    expect(() => pickPowerTuning(points, 2)).toThrow(/from 0 to 1/);
  });
});
