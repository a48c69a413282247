import type { SchedulePreview } from '../contract.ts';
import { nextRuns, parseScheduleExpression, ScheduleExpressionError, type ScheduleExpression } from '../expressions/schedule-expression.ts';

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The inspector's preview of a schedule: what it means in words, and when it runs next. */
export function describeScheduleExpression(expression: string, nowMs: number, count = 5): SchedulePreview {
  let parsed: ScheduleExpression;
  try {
    parsed = parseScheduleExpression(expression, { allowAt: true });
  } catch (err) {
    const fix = err instanceof ScheduleExpressionError ? err.fix : undefined;
    return { ok: false, nextRuns: [], error: (err as Error).message, ...(fix ? { fix } : {}) };
  }
  // Runs are counted from now, as a rule created now would; cron and at() read UTC as EventBridge rules do.
  return { ok: true, description: describe(parsed, expression), nextRuns: nextRuns(parsed, count, nowMs, nowMs) };
}

function describe(expr: ScheduleExpression, text: string): string {
  if (expr.kind === 'rate') return `Every ${plural(expr.periodMs)}`;
  if (expr.kind === 'at') {
    const a = expr.at;
    return `Once, on ${a.year}-${pad(a.month)}-${pad(a.day)} at ${pad(a.hour)}:${pad(a.minute)} UTC`;
  }
  const body = /^cron\((.*)\)$/s.exec(text.trim())?.[1]?.trim().split(/\s+/) ?? [];
  const [minutes = '*', hours = '*', dom = '?', , dow = '?', year = '*'] = body;
  const c = expr.cron;
  let time: string;
  if (c.minutes.length === 60 && c.hours.length === 24) time = 'Every minute';
  else if (c.hours.length === 24 && c.minutes.length === 1) time = `Every hour at minute ${c.minutes[0]}`;
  else if (c.hours.length === 24) time = `At minutes ${minutes} of every hour`;
  else if (c.minutes.length * c.hours.length <= 4) time = `At ${c.hours.flatMap((h) => c.minutes.map((m) => `${pad(h)}:${pad(m)}`)).join(', ')} UTC`;
  else time = `At minutes ${minutes} past hours ${hours} UTC`;
  const days: string[] = [];
  if (c.dayOfWeek?.kind === 'set') {
    const set = [...c.dayOfWeek.values].sort((a, b) => a - b);
    if (set.length < 7) days.push(weekdays(set));
  } else if (c.dayOfWeek) {
    days.push(`day-of-week ${dow}`);
  }
  if (c.dayOfMonth?.kind === 'set' && c.dayOfMonth.values.size < 31) days.push(`on day ${[...c.dayOfMonth.values].sort((a, b) => a - b).join(', ')} of the month`);
  else if (c.dayOfMonth?.kind === 'last') days.push(c.dayOfMonth.offset ? `${c.dayOfMonth.offset} days before the last day of the month` : 'on the last day of the month');
  else if (c.dayOfMonth && c.dayOfMonth.kind !== 'set') days.push(`day-of-month ${dom}`);
  if (c.months.length < 12) days.push(`in ${c.months.map((m) => MONTH_NAMES[m - 1]).join(', ')}`);
  if (year !== '*') days.push(`in ${year}`);
  return [time, ...days].join(', ') + (days.length === 0 ? ', every day' : '');
}

function weekdays(set: number[]): string {
  // EventBridge numbers days 1 (Sunday) to 7 (Saturday).
  const names = set.map((d) => DAY_NAMES[d - 1] ?? String(d));
  const contiguous = set.every((d, i) => i === 0 || d === set[i - 1]! + 1);
  return contiguous && set.length > 2 ? `${names[0]} to ${names.at(-1)}` : names.join(', ');
}

function plural(periodMs: number): string {
  for (const [unit, ms] of [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000]] as const) {
    if (periodMs % ms === 0) {
      const n = periodMs / ms;
      return n === 1 ? unit : `${n} ${unit}s`;
    }
  }
  return `${periodMs} ms`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
