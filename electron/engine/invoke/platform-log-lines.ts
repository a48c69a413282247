/** AWS's platform log lines, byte for byte (lambda-contract.md §4): tab-separated, REPORT ends with a tab. */

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export interface ReportFields {
  requestId: string;
  durationMs: number;
  billedMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  /** Only on cold starts, and always last, as AWS writes it. */
  initMs?: number;
  status?: 'timeout' | 'error';
  errorType?: string;
}

export function reportLine(r: ReportFields): string {
  let line =
    `REPORT RequestId: ${r.requestId}\tDuration: ${r.durationMs.toFixed(2)} ms\tBilled Duration: ${r.billedMs} ms\t` +
    `Memory Size: ${r.memorySizeMb} MB\tMax Memory Used: ${r.maxMemoryUsedMb} MB\t`;
  if (r.initMs !== undefined) line += `Init Duration: ${r.initMs.toFixed(2)} ms\t`;
  if (r.status) line += `Status: ${r.status}\t`;
  if (r.errorType) line += `Error Type: ${r.errorType}\t`;
  return line;
}

/** The classic line Lambda writes when it stops a function at its timeout. */
export function timeoutLine(at: Date, requestId: string, timeoutSeconds: number): string {
  return `${at.toISOString()} ${requestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}

/** `X-Amz-Log-Result`: base64 of the last 4 KB of the invoke's log. */
export function logTail(log: string): string {
  const bytes = Buffer.from(log, 'utf8');
  return bytes.subarray(Math.max(0, bytes.length - 4096)).toString('base64');
}

/**
 * Billed duration: whole milliseconds rounded up; since 1 August 2025 an on-demand cold start
 * also bills its init phase. Provisioned environments pay for init separately.
 */
export function computeBilledMs(durationMs: number, initMs: number | undefined, billsInit: boolean): number {
  return Math.ceil(durationMs + (billsInit && initMs !== undefined ? initMs : 0));
}
