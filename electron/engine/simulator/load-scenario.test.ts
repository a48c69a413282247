import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScenarioFile } from './load-scenario.ts';
import { horizonOf } from './parse-scenario.ts';
import { runSimulation } from './run-simulation.ts';

async function files(entries: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lambdadesk-scenario-'));
  for (const [name, text] of Object.entries(entries)) await writeFile(path.join(dir, name), text);
  return dir;
}

const service = { warm: { type: 'fixed', ms: 10 }, init: { type: 'fixed', ms: 100 } };

describe('loadScenarioFile', () => {
  test('a JSON syntax error names the line and column', async () => {
    const dir = await files({ 's.json': '{\n  "arrivals": {"type": "poisson",},\n}' });
    await expect(loadScenarioFile(path.join(dir, 's.json'))).rejects.toThrow(/s\.json: not valid JSON: .* at line 2, column \d+/);
  });

  test('a missing file says so', async () => {
    const dir = await files({});
    await expect(loadScenarioFile(path.join(dir, 'nope.json'))).rejects.toThrow(/cannot read .*nope\.json: no such file/);
  });

  test('a CSV trace of timestamps, relative to the scenario, replays from its first arrival', async () => {
    const dir = await files({
      'trace.csv': 'timestamp,source\n1700000001000,a\n1700000000000,b\n\n1700000004500,c\n',
      's.json': JSON.stringify({ arrivals: { type: 'trace', file: 'trace.csv' }, service, keepAlive: { type: 'fixed', idleSeconds: 2 } }),
    });
    const scenario = await loadScenarioFile(path.join(dir, 's.json'));
    expect(scenario.arrivals).toMatchObject({ type: 'trace', timesMs: [0, 1000, 4500] });
    expect(horizonOf(scenario)).toBe(5);
    const r = runSimulation(scenario);
    expect(r.invocations).toBe(3);
    expect(r.coldStarts).toBe(2);
  });

  test('timestamps in seconds, ISO dates and a named column', async () => {
    const dir = await files({
      'secs.csv': '0.5\n2\n',
      'iso.csv': 'id,at\n1,2024-05-01T10:00:00Z\n2,2024-05-01T10:00:01.250Z\n',
      'a.json': JSON.stringify({ arrivals: { type: 'trace', file: 'secs.csv', timeUnit: 's' }, service }),
      'b.json': JSON.stringify({ arrivals: { type: 'trace', file: 'iso.csv', column: 'at' }, service }),
    });
    expect((await loadScenarioFile(path.join(dir, 'a.json'))).arrivals).toMatchObject({ timesMs: [0, 1500] });
    expect((await loadScenarioFile(path.join(dir, 'b.json'))).arrivals).toMatchObject({ timesMs: [0, 1250] });
  });

  test('a bad trace line names the file, the line and what a line must hold', async () => {
    const dir = await files({ 't.csv': '100\n200\nabc\n', 's.json': JSON.stringify({ arrivals: { type: 'trace', file: 't.csv' }, service }) });
    await expect(loadScenarioFile(path.join(dir, 's.json'))).rejects.toThrow(/t\.csv:3: 'abc' is not a timestamp; each line needs a number \(milliseconds/);
  });

  test('an Azure Functions 2019 trace replays the chosen function minute by minute', async () => {
    const minutes = Array.from({ length: 1440 }, (_, i) => [2, 0, 5][i] ?? 0);
    const header = ['HashOwner', 'HashApp', 'HashFunction', 'Trigger', ...Array.from({ length: 1440 }, (_, i) => String(i + 1))].join(',');
    const row = (hash: string, counts: number[]) => ['o', 'a', hash, 'http', ...counts].join(',');
    const dir = await files({
      'day.csv': [header, row('first', minutes.map(() => 1)), row('wanted', minutes)].join('\n'),
      's.json': JSON.stringify({ arrivals: { type: 'trace', file: 'day.csv', format: 'azure-2019', functionHash: 'wanted' }, service, horizonSeconds: 300 }),
      'bad.json': JSON.stringify({ arrivals: { type: 'trace', file: 'day.csv', format: 'azure-2019', functionHash: 'missing' }, service }),
    });
    const scenario = await loadScenarioFile(path.join(dir, 's.json'));
    const r = runSimulation(scenario);
    expect(r.invocations).toBe(7);
    expect(r.timeSeries?.invocations.slice(0, 3)).toEqual([2, 0, 5]);
    await expect(loadScenarioFile(path.join(dir, 'bad.json'))).rejects.toThrow(/has no row with HashFunction 'missing' among its 2 rows/);
  });

  test('a trace file sets the horizon before the warm-up is checked against it', async () => {
    const dir = await files({ 't.csv': Array.from({ length: 100 }, (_, i) => String(i * 1000)).join('\n'), 's.json': JSON.stringify({ arrivals: { type: 'trace', file: 't.csv' }, service, warmupSeconds: 200 }) });
    await expect(loadScenarioFile(path.join(dir, 's.json'))).rejects.toThrow(/warmupSeconds: must be below the horizon \(100 s\)/);
  });
});
