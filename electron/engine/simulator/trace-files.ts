import { ScenarioError } from './scenario-error.ts';

/**
 * Trace files for replay. Errors name the file and line, what was found and what a line must
 * hold, because traces come from other tools and are easy to get subtly wrong.
 */

/**
 * A CSV (or plain list) of arrival timestamps, one per line: numbers in `unit`, or ISO 8601
 * dates. A first line that is not a timestamp is a header. Returns ms from the first arrival,
 * sorted (logs are not always in order).
 */
export function parseTimestampTrace(text: string, file: string, column: number | string, unit: 'ms' | 's'): number[] {
  const lines = text.split(/\r?\n/);
  let index = typeof column === 'number' ? column : -1;
  const times: number[] = [];
  let sawHeader = false;
  for (let n = 0; n < lines.length; n++) {
    const line = (lines[n] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = splitCsv(line);
    if (!sawHeader && times.length === 0) {
      sawHeader = true;
      if (typeof column === 'string') {
        index = cells.indexOf(column);
        if (index < 0) throw traceError(file, n + 1, `the header has no column '${column}'; it has ${cells.map((c) => `'${c}'`).join(', ')}`, 'Set arrivals.column to one of those names or to a 0-based index.');
        continue;
      }
      if (toMs(cells[index], unit) === undefined) continue;
    }
    const cell = cells[index];
    if (cell === undefined) {
      throw traceError(file, n + 1, `has ${cells.length} column${cells.length === 1 ? '' : 's'}, so there is no column ${index}`, 'Set arrivals.column to the 0-based index of the timestamp column.');
    }
    const ms = toMs(cell, unit);
    if (ms === undefined) {
      throw traceError(file, n + 1, `'${cell}' is not a timestamp; each line needs a number (${unit === 'ms' ? 'milliseconds' : 'seconds'}, see arrivals.timeUnit) or an ISO 8601 date`, 'Fix or remove that line.');
    }
    times.push(ms);
  }
  if (times.length === 0) throw traceError(file, 0, 'holds no timestamps', 'Give one arrival timestamp per line.');
  times.sort((a, b) => a - b);
  const first = times[0] as number;
  return times.map((t) => t - first);
}

/**
 * One row of the Azure Functions 2019 invocation trace (`invocations_per_function_md.anon.d*.csv`):
 * HashOwner, HashApp, HashFunction, Trigger, then invocations in each minute of the day.
 * Returns the per-minute counts of the row with `functionHash`, else of the first row.
 */
export function parseAzureTrace(text: string, file: string, functionHash?: string): number[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = splitCsv(lines[0] ?? '');
  const functionColumn = header.indexOf('HashFunction');
  const firstMinute = header.indexOf('1');
  if (functionColumn < 0 || firstMinute < 0) {
    throw traceError(file, 1, 'is not an Azure Functions 2019 invocations file: the header needs HashFunction and the minute columns 1…1440', 'Use an invocations_per_function_md.anon.d*.csv file, or format "timestamps".');
  }
  const rows = lines.slice(1);
  let at = 0;
  if (functionHash !== undefined) {
    at = rows.findIndex((row) => splitCsv(row)[functionColumn] === functionHash);
    if (at < 0) {
      throw traceError(file, 0, `has no row with HashFunction '${functionHash}' among its ${rows.length} rows`, 'Copy the HashFunction from the file, or leave arrivals.functionHash out to replay the first row.');
    }
  }
  const row = rows[at];
  if (row === undefined) throw traceError(file, 0, 'has a header but no rows', 'Use a file with at least one function row.');
  const cells = splitCsv(row).slice(firstMinute);
  return cells.map((cell, minute) => {
    const count = Number(cell);
    if (cell === '' || !Number.isInteger(count) || count < 0) {
      throw traceError(file, at + 2, `minute ${minute + 1} holds '${cell}'; each minute must be a whole number of invocations`, 'Fix that cell.');
    }
    return count;
  });
}

function toMs(cell: string | undefined, unit: 'ms' | 's'): number | undefined {
  if (cell === undefined || cell === '') return undefined;
  const n = Number(cell);
  if (Number.isFinite(n)) return unit === 's' ? n * 1000 : n;
  if (!/^\d{4}-\d{2}-\d{2}/.test(cell)) return undefined;
  const date = Date.parse(cell);
  return Number.isFinite(date) ? date : undefined;
}

/** Enough CSV for traces: commas, optional double quotes around a cell. */
function splitCsv(line: string): string[] {
  return line.split(',').map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
}

function traceError(file: string, line: number, problem: string, fix: string): ScenarioError {
  return new ScenarioError(line > 0 ? `${file}:${line}` : file, [{ field: '', message: problem }], fix);
}
