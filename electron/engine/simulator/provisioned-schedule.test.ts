import { describe, expect, test } from 'vitest';
import { ProvisionedSchedule } from './provisioned-schedule.ts';
import { ScenarioError } from './scenario-error.ts';

describe('ProvisionedSchedule', () => {
  test('a fixed level holds over the whole run and is one billing window', () => {
    const s = new ProvisionedSchedule({ concurrency: 5 }, 3_600_000);
    expect(s.levelAt(0)).toBe(5);
    expect(s.integralMs(0, 3_600_000)).toBe(5 * 3_600_000);
    expect(s.windows(0, 3_600_000)).toEqual([{ concurrency: 5, seconds: 3600 }]);
  });

  test('a daily schedule repeats, carrying the evening level over midnight', () => {
    const s = new ProvisionedSchedule({ schedule: [{ atSeconds: 8 * 3600, concurrency: 10 }, { atSeconds: 20 * 3600, concurrency: 2 }], repeatEverySeconds: 86_400 }, 2 * 86_400_000);
    expect(s.levelAt(3_600_000)).toBe(0);
    expect(s.levelAt(9 * 3_600_000)).toBe(10);
    expect(s.levelAt(21 * 3_600_000)).toBe(2);
    expect(s.levelAt(25 * 3_600_000)).toBe(2);
    expect(s.levelAt(33 * 3_600_000)).toBe(10);
    expect(s.windows(0, 2 * 86_400_000).map((w) => [w.concurrency, w.seconds / 3600])).toEqual([
      [10, 12],
      [2, 12],
      [10, 12],
      [2, 4],
    ]);
  });

  test('a schedule that would repeat millions of times is refused with the field named', () => {
    expect(() => new ProvisionedSchedule({ schedule: [{ atSeconds: 0, concurrency: 1 }, { atSeconds: 0.5, concurrency: 0 }], repeatEverySeconds: 1 }, 2_000_000_000)).toThrow(ScenarioError);
  });
});
