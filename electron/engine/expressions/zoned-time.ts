/** A wall-clock time in some time zone; months are 1–12. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether Intl knows this IANA zone name (`Europe/Berlin`, `UTC`, …). */
export function isTimeZone(name: string): boolean {
  if (!name) return false;
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

export function wallTime(epochMs: number, timeZone: string): WallTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(epochMs))) parts[p.type] = p.value;
  const year = Number(parts.year) * (parts.era === 'BC' || parts.era === 'B' ? -1 : 1);
  return { year, month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour) % 24, minute: Number(parts.minute), second: Number(parts.second) };
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
export function offsetMs(epochMs: number, timeZone: string): number {
  const w = wallTime(epochMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

/**
 * The instant a wall-clock time happens in a zone: the earlier one when clocks fall back (the
 * hour repeats), undefined when clocks spring forward over it (the hour never happens). This is
 * how EventBridge Scheduler treats schedules across daylight saving changes: skipped in spring,
 * run once in autumn.
 */
export function zonedToEpoch(w: Omit<WallTime, 'second'> & { second?: number }, timeZone: string): number | undefined {
  const naive = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second ?? 0);
  const day = 86_400_000;
  const candidates = new Set([naive - offsetMs(naive - day / 2, timeZone), naive - offsetMs(naive + day / 2, timeZone), naive - offsetMs(naive, timeZone)]);
  const valid = [...candidates].filter((t) => {
    const back = wallTime(t, timeZone);
    return back.year === w.year && back.month === w.month && back.day === w.day && back.hour === w.hour && back.minute === w.minute;
  });
  return valid.length ? Math.min(...valid) : undefined;
}

/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 1 = Sunday … 7 = Saturday, as EventBridge's day-of-week field counts. */
export function dayOfWeek(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}
