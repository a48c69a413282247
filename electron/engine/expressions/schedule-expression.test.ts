import { describe, expect, test } from 'vitest';
import { nextRuns, parseScheduleExpression, ScheduleExpressionError } from './schedule-expression.ts';

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const at = (text: string): number => Date.parse(text);

function runs(expression: string, from: string, count: number, timeZone = 'UTC'): string[] {
  const expr = parseScheduleExpression(expression, { allowAt: true });
  return nextRuns(expr, count, at(from), at(from), timeZone).map(iso);
}

describe('cron next runs, as EventBridge computes them', () => {
  test.each([
    // AWS documentation examples
    ['cron(0 10 * * ? *)', '2024-01-01T00:00:00Z', ['2024-01-01T10:00:00Z', '2024-01-02T10:00:00Z']],
    ['cron(15 12 * * ? *)', '2024-01-01T12:15:00Z', ['2024-01-02T12:15:00Z', '2024-01-03T12:15:00Z']],
    ['cron(0 18 ? * MON-FRI *)', '2024-01-05T19:00:00Z', ['2024-01-08T18:00:00Z', '2024-01-09T18:00:00Z']],
    ['cron(0 8 1 * ? *)', '2024-01-01T08:00:00Z', ['2024-02-01T08:00:00Z', '2024-03-01T08:00:00Z']],
    ['cron(0/15 * * * ? *)', '2024-01-01T00:07:00Z', ['2024-01-01T00:15:00Z', '2024-01-01T00:30:00Z', '2024-01-01T00:45:00Z', '2024-01-01T01:00:00Z']],
    ['cron(0/10 * ? * MON-FRI *)', '2024-01-05T23:55:00Z', ['2024-01-08T00:00:00Z', '2024-01-08T00:10:00Z']],
    ['cron(0/5 8-17 ? * MON-FRI *)', '2024-01-01T17:56:00Z', ['2024-01-02T08:00:00Z', '2024-01-02T08:05:00Z']],
    ['cron(0 9 ? * 2#1 *)', '2024-01-01T00:00:00Z', ['2024-01-01T09:00:00Z', '2024-02-05T09:00:00Z', '2024-03-04T09:00:00Z']],
    // L: last day of the month (leap February included)
    ['cron(0 0 L * ? *)', '2024-01-15T00:00:00Z', ['2024-01-31T00:00:00Z', '2024-02-29T00:00:00Z', '2024-03-31T00:00:00Z', '2024-04-30T00:00:00Z']],
    ['cron(0 0 L 2 ? *)', '2024-03-01T00:00:00Z', ['2025-02-28T00:00:00Z', '2026-02-28T00:00:00Z', '2027-02-28T00:00:00Z', '2028-02-29T00:00:00Z']],
    // W: nearest weekday, never leaving the month
    ['cron(0 12 15W * ? *)', '2024-06-01T00:00:00Z', ['2024-06-14T12:00:00Z', '2024-07-15T12:00:00Z', '2024-08-15T12:00:00Z', '2024-09-16T12:00:00Z']],
    ['cron(0 12 1W * ? *)', '2024-06-01T00:00:00Z', ['2024-06-03T12:00:00Z', '2024-07-01T12:00:00Z']],
    ['cron(0 12 31W * ? *)', '2024-08-01T00:00:00Z', ['2024-08-30T12:00:00Z', '2024-10-31T12:00:00Z', '2024-12-31T12:00:00Z', '2025-01-31T12:00:00Z']],
    ['cron(0 12 LW * ? *)', '2024-03-01T00:00:00Z', ['2024-03-29T12:00:00Z', '2024-04-30T12:00:00Z', '2024-05-31T12:00:00Z', '2024-06-28T12:00:00Z']],
    // L in day-of-week: last weekday N of the month; L alone is Saturday
    ['cron(0 20 ? * 5L *)', '2024-01-01T00:00:00Z', ['2024-01-25T20:00:00Z', '2024-02-29T20:00:00Z', '2024-03-28T20:00:00Z']],
    ['cron(0 20 ? * L *)', '2024-01-01T00:00:00Z', ['2024-01-06T20:00:00Z', '2024-01-13T20:00:00Z']],
    // #: the fifth Friday exists only in some months
    ['cron(0 0 ? * 6#5 *)', '2024-01-01T00:00:00Z', ['2024-03-29T00:00:00Z', '2024-05-31T00:00:00Z', '2024-08-30T00:00:00Z']],
    ['cron(30 23 ? * FRI#3 *)', '2024-01-01T00:00:00Z', ['2024-01-19T23:30:00Z', '2024-02-16T23:30:00Z']],
    // lists, ranges, names, years
    ['cron(0 6,18 ? JAN,JUL SUN 2025-2026)', '2024-01-01T00:00:00Z', ['2025-01-05T06:00:00Z', '2025-01-05T18:00:00Z', '2025-01-12T06:00:00Z']],
    ['cron(0 0 29 2 ? 2025-2030)', '2024-01-01T00:00:00Z', ['2028-02-29T00:00:00Z']],
    ['cron(0 0 1 1 ? 2020)', '2024-01-01T00:00:00Z', []],
  ])('%s after %s', (expression, from, expected) => {
    expect(runs(expression, from, expected.length || 3)).toEqual(expected);
  });
});

describe('time zones (ScheduleV2 ScheduleExpressionTimezone) and daylight saving', () => {
  test.each([
    // New York springs forward on 2024-03-10 at 02:00: 02:30 does not exist that day, so it is skipped.
    ['cron(30 2 * * ? *)', 'America/New_York', '2024-03-09T00:00:00Z', ['2024-03-09T07:30:00Z', '2024-03-11T06:30:00Z', '2024-03-12T06:30:00Z']],
    // …and falls back on 2024-11-03 at 02:00: 01:30 happens twice and runs once, at the first.
    ['cron(30 1 * * ? *)', 'America/New_York', '2024-11-02T00:00:00Z', ['2024-11-02T05:30:00Z', '2024-11-03T05:30:00Z', '2024-11-04T06:30:00Z']],
    // 09:00 local stays 09:00 across the change: UTC moves by an hour.
    ['cron(0 9 ? * MON-FRI *)', 'Europe/London', '2024-03-28T00:00:00Z', ['2024-03-28T09:00:00Z', '2024-03-29T09:00:00Z', '2024-04-01T08:00:00Z']],
    ['cron(0 0 L * ? *)', 'Asia/Tokyo', '2024-01-01T00:00:00Z', ['2024-01-30T15:00:00Z', '2024-02-28T15:00:00Z']],
    // Sydney leaves daylight saving on 2024-04-07: noon is 01:00Z before, 02:00Z after.
    ['cron(0 12 ? * 2#1 *)', 'Australia/Sydney', '2024-04-01T00:00:00Z', ['2024-04-01T01:00:00Z', '2024-05-06T02:00:00Z', '2024-06-03T02:00:00Z']],
    ['at(2030-01-31T09:00:00)', 'Europe/Berlin', '2024-01-01T00:00:00Z', ['2030-01-31T08:00:00Z']],
    ['at(2024-03-10T02:30:00)', 'America/New_York', '2024-01-01T00:00:00Z', []],
  ])('%s in %s after %s', (expression, zone, from, expected) => {
    expect(runs(expression, from, expected.length || 3, zone)).toEqual(expected);
  });
});

describe('rate', () => {
  test('counts whole periods from the anchor', () => {
    const expr = parseScheduleExpression('rate(5 minutes)');
    expect(nextRuns(expr, 3, 0, 0).map((ms) => ms / 60_000)).toEqual([5, 10, 15]);
    expect(nextRuns(expr, 2, 7 * 60_000, 0).map((ms) => ms / 60_000)).toEqual([10, 15]);
    expect(nextRuns(expr, 1, 0, 30 * 60_000).map((ms) => ms / 60_000)).toEqual([30]);
  });
  test.each([
    ['rate(1 minute)', 60_000],
    ['rate(2 minutes)', 120_000],
    ['rate(1 hour)', 3_600_000],
    ['rate(12 hours)', 43_200_000],
    ['rate(1 day)', 86_400_000],
    ['rate(7 days)', 604_800_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseScheduleExpression(text)).toMatchObject({ kind: 'rate', periodMs: ms });
  });
});

describe('invalid expressions name the rule they break', () => {
  test.each([
    ['rate(1 minutes)', 'a value of 1 takes the singular unit: rate(1 minute)'],
    ['rate(5 minute)', 'a value other than 1 takes the plural unit: rate(5 minutes)'],
    ['rate(0 minutes)', 'the value must be a positive whole number'],
    ['rate(1.5 hours)', 'the value must be a positive whole number'],
    ['rate(2 weeks)', 'the unit must be minute(s), hour(s) or day(s)'],
    ['rate(5)', 'a rate is "value unit"'],
    ['cron(0 12 * * * *)', 'one of day-of-month ("*") and day-of-week ("*") must be "?"'],
    ['cron(0 12 ? * ? *)', 'cannot both be "?"'],
    ['cron(0 12 * *)', 'six fields'],
    ['cron(0 12 * * ? * *)', 'six fields'],
    ['cron(60 12 * * ? *)', 'minutes "60": 60 is outside 0–59'],
    ['cron(0 24 * * ? *)', 'hours "24": 24 is outside 0–23'],
    ['cron(0 0 32 * ? *)', 'day-of-month "32": 32 is outside 1–31'],
    ['cron(0 0 ? 13 * *)', 'month "13": 13 is outside 1–12'],
    ['cron(0 0 ? * 8 *)', 'day-of-week "8": 8 is outside 1–7'],
    ['cron(0 0 ? * MON *) ', ''],
    ['cron(0 0 1 * ? 1969)', 'year "1969": 1969 is outside 1970–2199'],
    ['cron(0 0 ? * 2#1,3#2 *)', 'only one "#" term is allowed'],
    ['cron(0 0 ? * 2#1,3 *)', '"#" must stand alone'],
    ['cron(0 0 ? * 2#6 *)', 'the N of DAY#N is 1 to 5'],
    ['cron(0 0 L-5W * ? *)', 'L and W cannot be combined'],
    ['cron(0 0 1,15W * ? *)', 'L and W cannot be combined'],
    ['cron(0 0 ? * 3W *)', '"W" is allowed only in day-of-month'],
    ['cron(0 0 1#2 * ? *)', '"#" is allowed only in day-of-week'],
    ['cron(L 0 1 * ? *)', 'letters are not allowed here'],
    ['cron(0 0 ? * 5-2 *)', 'runs backwards'],
    ['cron(0/0 0 1 * ? *)', 'increment after "/" must be a whole number of at least 1'],
    ['cron(0 0 1 FOO ? *)', '"FOO" is not a number from 1 to 12 or JAN–DEC'],
    ['every 5 minutes', 'must be rate(...) or cron(...)'],
    ['at(2030-01-01T00:00:00)', 'one-time schedules are EventBridge Scheduler'],
  ])('%s', (text, message) => {
    if (!message) {
      expect(() => parseScheduleExpression(text)).not.toThrow();
      return;
    }
    let caught: unknown;
    try {
      parseScheduleExpression(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ScheduleExpressionError);
    expect((caught as Error).message).toContain(message);
    expect((caught as ScheduleExpressionError).fix).toMatch(/rate\(|cron\(|at\(|ScheduleV2/);
  });

  test('at() must be a real date', () => {
    expect(() => parseScheduleExpression('at(2030-02-30T00:00:00)', { allowAt: true })).toThrow(/not a real date/);
  });
});
