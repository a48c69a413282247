import { randomUUID } from 'node:crypto';
import { EventsValidationError } from './eventbridge-errors.ts';

/** One PutEvents entry as clients send it (JSON 1.1: `Time` in epoch seconds). */
export interface PutEventsEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  Resources?: unknown;
  Time?: unknown;
  EventBusName?: unknown;
  TraceHeader?: unknown;
}

/** The event EventBridge builds from an entry and matches rules against. */
export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export type EntryOutcome = { ok: true; event: EventEnvelope; busName?: string } | { ok: false; errorCode: string; errorMessage: string };

export const MAX_ENTRIES = 10;
export const MAX_REQUEST_BYTES = 262_144;

/** Checks the request as a whole: AWS refuses it outright (ValidationException) for these. */
export function checkEntries(entries: unknown): PutEventsEntry[] {
  if (!Array.isArray(entries)) throw new EventsValidationError("1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null");
  if (entries.length === 0) throw new EventsValidationError("1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1");
  if (entries.length > MAX_ENTRIES) {
    throw new EventsValidationError(`1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES}`, 'Send at most ten entries per PutEvents call.');
  }
  const size = entries.reduce((sum: number, e: PutEventsEntry) => sum + entrySize(e), 0);
  if (size > MAX_REQUEST_BYTES) throw new EventsValidationError('Total size of the entries in the request is over the limit.', 'Entries may total 256 KB; put large payloads in S3 and send a pointer.');
  return entries as PutEventsEntry[];
}

/** EventBridge's size rule: UTF-8 bytes of Source, DetailType, Detail and Resources, plus 14 for Time. */
function entrySize(e: PutEventsEntry): number {
  const text = (v: unknown) => (typeof v === 'string' ? Buffer.byteLength(v) : 0);
  const resources = Array.isArray(e.Resources) ? e.Resources.reduce((s: number, r: unknown) => s + text(r), 0) : 0;
  return text(e.Source) + text(e.DetailType) + text(e.Detail) + resources + (e.Time !== undefined ? 14 : 0);
}

function missing(name: string): EntryOutcome {
  return { ok: false, errorCode: 'InvalidArgument', errorMessage: `Parameter ${name} is not valid. Reason: ${name} is a required argument.` };
}

function eventTime(time: unknown, nowMs: number): string | undefined {
  let ms = nowMs;
  if (typeof time === 'number') ms = time * 1000;
  else if (typeof time === 'string') ms = Date.parse(time);
  else if (time !== undefined) return undefined;
  if (!Number.isFinite(ms)) return undefined;
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * One entry into an event, or the per-entry error AWS reports in the response (the other
 * entries still go through): missing fields, a Detail that is not a JSON object, a reserved
 * `aws.` source.
 */
export function buildEvent(entry: PutEventsEntry, identity: { region: string; accountId: string }, nowMs: number): EntryOutcome {
  if (typeof entry.Source !== 'string' || entry.Source === '') return missing('Source');
  if (typeof entry.DetailType !== 'string' || entry.DetailType === '') return missing('DetailType');
  if (typeof entry.Detail !== 'string' || entry.Detail === '') return missing('Detail');
  if (/^aws\./i.test(entry.Source)) return { ok: false, errorCode: 'NotAuthorizedForSourceException', errorMessage: 'Not authorized for the source.' };
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    detail = undefined;
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return { ok: false, errorCode: 'MalformedDetail', errorMessage: 'Detail is malformed.' };
  const time = eventTime(entry.Time, nowMs);
  if (!time) return { ok: false, errorCode: 'InvalidArgument', errorMessage: 'Parameter Time is not valid. Reason: Time must be a timestamp.' };
  if (entry.Resources !== undefined && (!Array.isArray(entry.Resources) || entry.Resources.some((r) => typeof r !== 'string'))) {
    return { ok: false, errorCode: 'InvalidArgument', errorMessage: 'Parameter Resources is not valid. Reason: Resources must be a list of ARNs.' };
  }
  return {
    ok: true,
    busName: typeof entry.EventBusName === 'string' && entry.EventBusName !== '' ? entry.EventBusName : undefined,
    event: {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: identity.accountId,
      time,
      region: identity.region,
      resources: (entry.Resources as string[] | undefined) ?? [],
      detail: detail as Record<string, unknown>,
    },
  };
}
