import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { checkScenario, parseScenario } from './parse-scenario.ts';
import { ScenarioError } from './scenario-error.ts';
import type { Scenario } from './scenario-schema.ts';
import { parseAzureTrace, parseTimestampTrace } from './trace-files.ts';

/**
 * Reads a scenario file: JSON with its position on a syntax error, then validation, then the
 * trace it names (relative to the scenario file) loaded into the scenario, so that what the
 * simulator gets is self-contained.
 */
export async function loadScenarioFile(file: string): Promise<Scenario> {
  const text = await readText(file, file, 'scenario');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(file, [{ field: '', message: `not valid JSON: ${describeJsonError(err, text)}` }], 'Fix the JSON syntax at the line and column named.');
  }
  const scenario = parseScenario(raw, file);
  const arrivals = scenario.arrivals;
  if (arrivals.type === 'trace' && arrivals.file !== undefined) {
    const tracePath = path.resolve(path.dirname(file), arrivals.file);
    const traceText = await readText(tracePath, file, 'arrivals.file');
    const { file: _file, ...rest } = arrivals;
    scenario.arrivals =
      arrivals.format === 'azure-2019'
        ? { ...rest, countsPerMinute: parseAzureTrace(traceText, tracePath, arrivals.functionHash) }
        : { ...rest, timesMs: parseTimestampTrace(traceText, tracePath, arrivals.column, arrivals.timeUnit) };
    checkScenario(scenario, file);
  }
  return scenario;
}

async function readText(file: string, source: string, field: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : (err as Error).message;
    throw new ScenarioError(source, [{ field: field === 'scenario' ? '' : field, message: `cannot read ${file}: ${why}` }], 'Check the path (a trace path is relative to the scenario file).');
  }
}

/** Node's messages give a character position; people want a line and a column. */
function describeJsonError(err: unknown, text: string): string {
  const message = err instanceof Error ? err.message : String(err);
  const position = /position (\d+)/.exec(message);
  if (!position) return message;
  const offset = Number(position[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
}
