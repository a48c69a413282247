import { compareSequence } from './stream-source.ts';

export type BatchVerdict =
  | { kind: 'success' }
  /** Records from `firstFailed` (an index into the batch) on are retried; those before it are done. */
  | { kind: 'partial'; firstFailed: number }
  | { kind: 'failure'; reason: string };

/**
 * Reads a successful invoke's response under `ReportBatchItemFailures`, by AWS's rules: an
 * empty or null `batchItemFailures` (or response) is success; an identifier that is empty,
 * null, not a string or not in the batch fails the whole batch; otherwise the batch is retried
 * from its lowest failed sequence number.
 */
export function readBatchResponse(payload: Buffer, sequenceNumbers: readonly string[]): BatchVerdict {
  const text = payload.toString('utf8').trim();
  if (text === '' || text === 'null') return { kind: 'success' };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { kind: 'success' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { kind: 'success' };
  const failures = (body as Record<string, unknown>).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'failure', reason: 'batchItemFailures is not a list' };
  if (failures.length === 0) return { kind: 'success' };
  let lowest: string | undefined;
  for (const failure of failures) {
    const id = typeof failure === 'object' && failure !== null ? (failure as Record<string, unknown>).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '') return { kind: 'failure', reason: `itemIdentifier ${JSON.stringify(id ?? null)} is not a sequence number` };
    if (!sequenceNumbers.includes(id)) return { kind: 'failure', reason: `itemIdentifier ${id} is not in the batch` };
    if (lowest === undefined || compareSequence(id, lowest) < 0) lowest = id;
  }
  return { kind: 'partial', firstFailed: sequenceNumbers.indexOf(lowest!) };
}
