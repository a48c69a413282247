import { CronSyntaxError, nextCronRun, parseCron, type CronExpression } from './cron-expression.ts';
import { zonedToEpoch } from './zoned-time.ts';

export type ScheduleExpression =
  | { kind: 'rate'; text: string; periodMs: number }
  | { kind: 'cron'; text: string; cron: CronExpression }
  /** EventBridge Scheduler's one-time schedule: wall-clock time in the schedule's zone. */
  | { kind: 'at'; text: string; at: { year: number; month: number; day: number; hour: number; minute: number; second: number } };

/** Why an expression is not valid, worded as the rule it breaks; `fix` shows a valid form. */
export class ScheduleExpressionError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
const RATE_FIX = 'Write rate(1 minute), rate(5 minutes), rate(1 hour), rate(12 hours), rate(1 day) or rate(7 days): singular unit for 1, plural otherwise.';
const CRON_FIX =
  'Write cron(minutes hours day-of-month month day-of-week year) with "?" in one of the day fields, e.g. cron(0 12 * * ? *) (every day at 12:00) or cron(0 18 ? * MON-FRI *).';

/**
 * Parses `rate(...)` and `cron(...)` (EventBridge rules and Scheduler) and `at(...)` (Scheduler
 * only, `allowAt`), enforcing EventBridge's grammar so that what runs here deploys unchanged.
 */
export function parseScheduleExpression(text: string, options: { allowAt?: boolean } = {}): ScheduleExpression {
  const trimmed = text.trim();
  const m = /^(rate|cron|at)\((.*)\)$/s.exec(trimmed);
  if (!m) {
    const forms = options.allowAt ? 'rate(...), cron(...) or at(...)' : 'rate(...) or cron(...)';
    throw new ScheduleExpressionError(`"${text}" is not a schedule expression: it must be ${forms}`, `${RATE_FIX} ${CRON_FIX}`);
  }
  const [, kind, body] = m as unknown as [string, 'rate' | 'cron' | 'at', string];
  if (kind === 'rate') return { kind, text: trimmed, periodMs: parseRate(body) };
  if (kind === 'cron') {
    try {
      return { kind, text: trimmed, cron: parseCron(body) };
    } catch (err) {
      if (err instanceof CronSyntaxError) throw new ScheduleExpressionError(`"${trimmed}": ${err.message}`, CRON_FIX);
      throw err;
    }
  }
  if (!options.allowAt) throw new ScheduleExpressionError(`"${trimmed}": at(...) one-time schedules are EventBridge Scheduler's (ScheduleV2), not EventBridge rules'`, 'Use a ScheduleV2 event for a one-time schedule, or rate()/cron() here.');
  const at = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body.trim());
  if (!at) throw new ScheduleExpressionError(`"${trimmed}": at() takes a date and time as yyyy-mm-ddThh:mm:ss`, 'Write e.g. at(2030-01-31T09:00:00); the time zone is ScheduleExpressionTimezone (UTC by default).');
  const [year, month, day, hour, minute, second] = at.slice(1).map(Number) as [number, number, number, number, number, number];
  const check = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new ScheduleExpressionError(`"${trimmed}": ${body.trim()} is not a real date and time`, 'Write e.g. at(2030-01-31T09:00:00).');
  }
  return { kind, text: trimmed, at: { year, month, day, hour, minute, second } };
}

function parseRate(body: string): number {
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(body);
  if (!m) throw new ScheduleExpressionError(`"rate(${body})": a rate is "value unit", e.g. rate(5 minutes)`, RATE_FIX);
  const [, valueText, unitText] = m as unknown as [string, string, string];
  if (!/^\d+$/.test(valueText) || Number(valueText) < 1) {
    throw new ScheduleExpressionError(`"rate(${body})": the value must be a positive whole number, not "${valueText}"`, RATE_FIX);
  }
  const value = Number(valueText);
  const singular = unitText.replace(/s$/, '') as keyof typeof UNIT_MS;
  if (!(singular in UNIT_MS)) {
    throw new ScheduleExpressionError(`"rate(${body})": the unit must be minute(s), hour(s) or day(s), not "${unitText}"`, RATE_FIX);
  }
  const plural = unitText.endsWith('s');
  if (value === 1 && plural) throw new ScheduleExpressionError(`"rate(${body})": a value of 1 takes the singular unit: rate(1 ${singular})`, RATE_FIX);
  if (value !== 1 && !plural) throw new ScheduleExpressionError(`"rate(${body})": a value other than 1 takes the plural unit: rate(${value} ${singular}s)`, RATE_FIX);
  return value * UNIT_MS[singular];
}

/**
 * The next run strictly after `afterMs`. Rates count whole periods from `anchorMs` (when the
 * schedule was created, or its StartDate); cron and at() read wall-clock time in `timeZone`.
 */
export function nextRun(expr: ScheduleExpression, afterMs: number, anchorMs: number, timeZone = 'UTC'): number | undefined {
  if (expr.kind === 'rate') {
    if (afterMs < anchorMs) return anchorMs;
    return anchorMs + (Math.floor((afterMs - anchorMs) / expr.periodMs) + 1) * expr.periodMs;
  }
  if (expr.kind === 'cron') return nextCronRun(expr.cron, afterMs, timeZone);
  const at = zonedToEpoch(expr.at, timeZone);
  return at !== undefined && at > afterMs ? at : undefined;
}

/** The next `count` runs after `fromMs` (fewer if the schedule ends). */
export function nextRuns(expr: ScheduleExpression, count: number, fromMs: number, anchorMs: number, timeZone = 'UTC'): number[] {
  const runs: number[] = [];
  let after = fromMs;
  while (runs.length < count) {
    const next = nextRun(expr, after, anchorMs, timeZone);
    if (next === undefined) break;
    runs.push(next);
    after = next;
  }
  return runs;
}
