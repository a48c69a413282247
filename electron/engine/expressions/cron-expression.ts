import { dayOfWeek, daysInMonth, wallTime, zonedToEpoch } from './zoned-time.ts';

/** A cron expression that breaks EventBridge's grammar: `problem` names the field and the rule. */
export class CronSyntaxError extends Error {}

type DayOfMonth =
  | { kind: 'set'; values: ReadonlySet<number> }
  /** `L` (offset 0) or `L-3`: the last day of the month, or that many days before it. */
  | { kind: 'last'; offset: number }
  /** `LW`: the last weekday (Monday–Friday) of the month. */
  | { kind: 'last-weekday' }
  /** `15W`: the weekday nearest the 15th, never leaving the month. */
  | { kind: 'nearest-weekday'; day: number };

type DayOfWeek =
  | { kind: 'set'; values: ReadonlySet<number> }
  /** `5L`: the last Thursday of the month. */
  | { kind: 'last-of-month'; weekday: number }
  /** `3#2`: the second Tuesday of the month. */
  | { kind: 'nth'; weekday: number; n: number };

export interface CronExpression {
  minutes: number[];
  hours: number[];
  months: number[];
  years: ReadonlySet<number>;
  /** Undefined when the field is `?`. */
  dayOfMonth?: DayOfMonth;
  dayOfWeek?: DayOfWeek;
}

export const MIN_YEAR = 1970;
export const MAX_YEAR = 2199;
const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
}
const MINUTE: FieldSpec = { name: 'minutes', min: 0, max: 59 };
const HOUR: FieldSpec = { name: 'hours', min: 0, max: 23 };
const DOM: FieldSpec = { name: 'day-of-month', min: 1, max: 31 };
const MONTH: FieldSpec = { name: 'month', min: 1, max: 12, names: MONTH_NAMES };
const DOW: FieldSpec = { name: 'day-of-week', min: 1, max: 7, names: DAY_NAMES };
const YEAR: FieldSpec = { name: 'year', min: MIN_YEAR, max: MAX_YEAR };

/**
 * Parses the inside of EventBridge's `cron(...)`: six fields, minutes hours day-of-month month
 * day-of-week year. Throws CronSyntaxError naming the field and the rule it breaks.
 */
export function parseCron(body: string): CronExpression {
  const fields = body.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 6) {
    throw new CronSyntaxError(`a cron expression has six fields (minutes hours day-of-month month day-of-week year), this one has ${fields.length}`);
  }
  const [minF, hourF, domF, monthF, dowF, yearF] = fields as [string, string, string, string, string, string];
  if (domF === '?' && dowF === '?') throw new CronSyntaxError('day-of-month and day-of-week cannot both be "?": give one of them a value');
  if (domF !== '?' && dowF !== '?') {
    throw new CronSyntaxError(`one of day-of-month ("${domF}") and day-of-week ("${dowF}") must be "?": EventBridge does not combine them`);
  }
  return {
    minutes: [...parseSet(minF, MINUTE)].sort((a, b) => a - b),
    hours: [...parseSet(hourF, HOUR)].sort((a, b) => a - b),
    months: [...parseSet(monthF, MONTH)].sort((a, b) => a - b),
    years: parseSet(yearF, YEAR),
    dayOfMonth: domF === '?' ? undefined : parseDayOfMonth(domF),
    dayOfWeek: dowF === '?' ? undefined : parseDayOfWeek(dowF),
  };
}

function parseDayOfMonth(field: string): DayOfMonth {
  if (/[LW]/i.test(field)) {
    if (field.includes(',') || (field.includes('-') && !/^L-\d+$/i.test(field)) || field.includes('/')) {
      throw new CronSyntaxError(`day-of-month "${field}": L and W cannot be combined with lists, ranges or increments`);
    }
    const upper = field.toUpperCase();
    if (upper === 'L') return { kind: 'last', offset: 0 };
    if (upper === 'LW') return { kind: 'last-weekday' };
    const lastMinus = /^L-(\d+)$/.exec(upper);
    if (lastMinus) {
      const offset = Number(lastMinus[1]);
      if (offset > 30) throw new CronSyntaxError(`day-of-month "${field}": L-n allows n from 0 to 30`);
      return { kind: 'last', offset };
    }
    const weekday = /^(\d+)W$/.exec(upper);
    if (weekday) {
      const day = Number(weekday[1]);
      if (day < 1 || day > 31) throw new CronSyntaxError(`day-of-month "${field}": nW needs a day from 1 to 31`);
      return { kind: 'nearest-weekday', day };
    }
    throw new CronSyntaxError(`day-of-month "${field}": use L (last day), LW (last weekday) or nW (weekday nearest day n)`);
  }
  if (field.includes('#')) throw new CronSyntaxError(`day-of-month "${field}": "#" is allowed only in day-of-week`);
  return { kind: 'set', values: parseSet(field, DOM) };
}

function parseDayOfWeek(field: string): DayOfWeek {
  const hashes = (field.match(/#/g) ?? []).length;
  if (hashes > 1) throw new CronSyntaxError(`day-of-week "${field}": only one "#" term is allowed`);
  if (/\dW/i.test(field)) throw new CronSyntaxError(`day-of-week "${field}": "W" is allowed only in day-of-month`);
  if (hashes === 1) {
    const m = /^([A-Za-z]{3}|\d+)#(\d+)$/.exec(field);
    if (!m) throw new CronSyntaxError(`day-of-week "${field}": "#" must stand alone as DAY#N, e.g. 3#2 (the second Tuesday), not in a list or range`);
    const weekday = singleValue(m[1]!, DOW, field);
    const n = Number(m[2]);
    if (n < 1 || n > 5) throw new CronSyntaxError(`day-of-week "${field}": the N of DAY#N is 1 to 5 (a month has at most five of each weekday)`);
    return { kind: 'nth', weekday, n };
  }
  if (/L/i.test(field)) {
    if (/^L$/i.test(field)) return { kind: 'set', values: new Set([7]) }; // L alone is the last day of the week: Saturday
    const m = /^([A-Za-z]{3}|\d+)L$/i.exec(field);
    if (!m) throw new CronSyntaxError(`day-of-week "${field}": L stands alone (Saturday) or after one day (5L = the last Thursday), not in a list or range`);
    return { kind: 'last-of-month', weekday: singleValue(m[1]!, DOW, field) };
  }
  return { kind: 'set', values: parseSet(field, DOW) };
}

function singleValue(token: string, spec: FieldSpec, field: string): number {
  const upper = token.toUpperCase();
  const named = spec.names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + spec.min;
  if (!/^\d+$/.test(token)) {
    const allowed = spec.names ? ` or ${spec.names[0]}–${spec.names[spec.names.length - 1]}` : '';
    throw new CronSyntaxError(`${spec.name} "${field}": "${token}" is not a number from ${spec.min} to ${spec.max}${allowed}`);
  }
  const n = Number(token);
  if (n < spec.min || n > spec.max) throw new CronSyntaxError(`${spec.name} "${field}": ${n} is outside ${spec.min}–${spec.max}`);
  return n;
}

/** `*`, `5`, `1-5`, `0/15`, `*\/10`, `10-40/5`, `MON-FRI` and comma lists of those. */
function parseSet(field: string, spec: FieldSpec): Set<number> {
  if (field === '?') throw new CronSyntaxError(`${spec.name}: "?" is allowed only in day-of-month and day-of-week`);
  const bad = /[^0-9A-Za-z*,\-/]/.exec(field);
  if (bad) {
    const where = spec === DOM || spec === DOW ? '' : ' (L, W and # are for the day fields only)';
    throw new CronSyntaxError(`${spec.name} "${field}": "${bad[0]}" is not allowed here; use digits, names, "," "-" "*" "/"${where}`);
  }
  if (!spec.names && /[A-Za-z]/.test(field)) {
    throw new CronSyntaxError(`${spec.name} "${field}": letters are not allowed here (L and W belong to the day fields only)`);
  }
  const out = new Set<number>();
  for (const item of field.split(',')) {
    if (item === '') throw new CronSyntaxError(`${spec.name} "${field}": empty item in a list`);
    const [range, stepText, extra] = item.split('/');
    if (extra !== undefined) throw new CronSyntaxError(`${spec.name} "${field}": one "/" per item`);
    let from: number;
    let to: number;
    if (range === '*') {
      from = spec.min;
      to = spec.max;
    } else {
      const bounds = range!.split('-');
      if (bounds.length > 2 || bounds.some((b) => b === '')) throw new CronSyntaxError(`${spec.name} "${field}": "${range}" is not a value or a range A-B`);
      from = singleValue(bounds[0]!, spec, field);
      to = bounds.length === 2 ? singleValue(bounds[1]!, spec, field) : stepText === undefined ? from : spec.max;
      if (from > to) throw new CronSyntaxError(`${spec.name} "${field}": the range ${range} runs backwards`);
    }
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) throw new CronSyntaxError(`${spec.name} "${field}": the increment after "/" must be a whole number of at least 1`);
      step = Number(stepText);
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

function nearestWeekday(year: number, month: number, day: number): number | undefined {
  const dim = daysInMonth(year, month);
  if (day > dim) return undefined;
  const dow = dayOfWeek(year, month, day);
  if (dow === 7) return day === 1 ? 3 : day - 1; // Saturday: Friday before, unless that leaves the month
  if (dow === 1) return day === dim ? day - 2 : day + 1; // Sunday: Monday after, unless that leaves the month
  return day;
}

/** The days of one month an expression runs on, ascending. */
export function matchingDays(expr: CronExpression, year: number, month: number): number[] {
  const dim = daysInMonth(year, month);
  const days: number[] = [];
  const dom = expr.dayOfMonth;
  const dow = expr.dayOfWeek;
  if (dom) {
    if (dom.kind === 'set') for (let d = 1; d <= dim; d++) if (dom.values.has(d)) days.push(d);
    if (dom.kind === 'last' && dim - dom.offset >= 1) days.push(dim - dom.offset);
    if (dom.kind === 'last-weekday') {
      const w = dayOfWeek(year, month, dim);
      days.push(w === 1 ? dim - 2 : w === 7 ? dim - 1 : dim);
    }
    if (dom.kind === 'nearest-weekday') {
      const d = nearestWeekday(year, month, dom.day);
      if (d !== undefined) days.push(d);
    }
    return days;
  }
  if (!dow) return days;
  for (let d = 1; d <= dim; d++) {
    const w = dayOfWeek(year, month, d);
    if (dow.kind === 'set' && dow.values.has(w)) days.push(d);
    if (dow.kind === 'last-of-month' && w === dow.weekday && d + 7 > dim) days.push(d);
    if (dow.kind === 'nth' && w === dow.weekday && Math.ceil(d / 7) === dow.n) days.push(d);
  }
  return days;
}

/**
 * The first run strictly after `afterMs`, with the fields read as wall-clock time in `timeZone`.
 * Times that do not exist (spring forward) are skipped; times that happen twice (fall back) run
 * once, at the first. Undefined when the expression never runs again (years end at 2199).
 */
export function nextCronRun(expr: CronExpression, afterMs: number, timeZone = 'UTC'): number | undefined {
  const start = wallTime(afterMs, timeZone);
  for (let year = Math.max(start.year, MIN_YEAR); year <= MAX_YEAR; year++) {
    if (!expr.years.has(year)) continue;
    for (const month of expr.months) {
      if (year === start.year && month < start.month) continue;
      for (const day of matchingDays(expr, year, month)) {
        const sameDay = year === start.year && month === start.month && day === start.day;
        if (year === start.year && month === start.month && day < start.day) continue;
        for (const hour of expr.hours) {
          // An earlier wall-clock time first happens no later than `afterMs`: no need to convert it.
          if (sameDay && hour < start.hour) continue;
          for (const minute of expr.minutes) {
            if (sameDay && hour === start.hour && minute < start.minute) continue;
            const at = zonedToEpoch({ year, month, day, hour, minute }, timeZone);
            if (at !== undefined && at > afterMs) return at;
          }
        }
      }
    }
  }
  return undefined;
}
