import { describe, expect, test } from 'vitest';
import { computeBilledMs, logTail, reportLine, startLine, timeoutLine } from './platform-log-lines.ts';

describe('platform log lines', () => {
  test('REPORT matches the contract example byte for byte, Init Duration last and a trailing tab', () => {
    const line = reportLine({ requestId: '2f1c9a7e-5b3d-4c8e-9a1f-6d2e7b0c4a55', durationMs: 412.37, billedMs: 601, memorySizeMb: 512, maxMemoryUsedMb: 97, initMs: 188.05 });
    expect(line).toBe(
      'REPORT RequestId: 2f1c9a7e-5b3d-4c8e-9a1f-6d2e7b0c4a55\tDuration: 412.37 ms\tBilled Duration: 601 ms\tMemory Size: 512 MB\tMax Memory Used: 97 MB\tInit Duration: 188.05 ms\t',
    );
  });

  test('a warm REPORT has no Init Duration', () => {
    expect(reportLine({ requestId: 'r', durationMs: 1, billedMs: 1, memorySizeMb: 128, maxMemoryUsedMb: 40 })).not.toContain('Init Duration');
  });

  test('START names the version; the timeout line has two decimals', () => {
    expect(startLine('abc', '$LATEST')).toBe('START RequestId: abc Version: $LATEST');
    expect(timeoutLine(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), 'abc', 3)).toBe('2026-01-02T03:04:05.006Z abc Task timed out after 3.00 seconds');
  });

  test('billed duration rounds up and adds init on cold on-demand starts', () => {
    expect(computeBilledMs(412.37, 188.05, true)).toBe(601);
    expect(computeBilledMs(412.37, 188.05, false)).toBe(413);
    expect(computeBilledMs(46.12, undefined, true)).toBe(47);
  });

  test('the log tail keeps only the last 4 KB', () => {
    const log = 'x'.repeat(5000) + 'END';
    const tail = Buffer.from(logTail(log), 'base64').toString();
    expect(tail).toHaveLength(4096);
    expect(tail.endsWith('END')).toBe(true);
  });
});
