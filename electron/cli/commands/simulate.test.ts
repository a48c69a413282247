import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { CliIo } from '../cli-io.ts';
import { main } from '../main.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function fakeIo(cwd: string): { io: CliIo; stdout: () => string; stderr: () => string } {
  const [out, err] = [new PassThrough(), new PassThrough()];
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (c: Buffer) => chunks.out.push(c));
  err.on('data', (c: Buffer) => chunks.err.push(c));
  const io: CliIo = { stdout: out, stderr: err, stdin: new PassThrough(), env: {}, cwd, stopSignal: new Promise(() => {}) };
  return { io, stdout: () => Buffer.concat(chunks.out).toString(), stderr: () => Buffer.concat(chunks.err).toString() };
}

async function simulate(args: string[], cwd = repoRoot) {
  const { io, stdout, stderr } = fakeIo(cwd);
  const code = await main(['simulate', ...args], io);
  return { code, stdout: stdout(), stderr: stderr() };
}

describe('lambdadesk simulate', () => {
  test("--json prints one object with the fields scripts rely on (the issue's scenario)", async () => {
    const { code, stdout } = await simulate(['examples/scenarios/steady-api.json', '--json']);
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    for (const key of ['invocations', 'coldStarts', 'coldStartProbability', 'rejections', 'rejectionProbability', 'avgInstances', 'avgRunning', 'avgIdle', 'utilization']) {
      expect(typeof r[key], key).toBe('number');
    }
    expect(Object.keys(r.latencyMs)).toEqual(expect.arrayContaining(['p50', 'p95', 'p99']));
    expect(Object.keys(r.cost)).toEqual(expect.arrayContaining(['requestCharge', 'computeCharge', 'total']));
    // SimFaaS reports for this setup: ~0.14 % cold starts, ~7.6 instances, ~1.8 running.
    expect(r.coldStartProbability).toBeGreaterThan(0.0008);
    expect(r.coldStartProbability).toBeLessThan(0.002);
    expect(r.avgInstances).toBeGreaterThan(7);
    expect(r.avgInstances).toBeLessThan(8.3);
    expect(r.avgRunning).toBeCloseTo(0.9 * 1.991, 1);
    expect(r.timeSeries.invocations.reduce((a: number, b: number) => a + b, 0)).toBe(r.invocations);
  });

  test('--seed overrides the scenario; --no-time-series leaves the series out', async () => {
    const a = JSON.parse((await simulate(['examples/scenarios/steady-api.json', '--json', '--seed', '2', '--no-time-series'])).stdout);
    const b = JSON.parse((await simulate(['examples/scenarios/steady-api.json', '--json', '--seed', '2', '--no-time-series'])).stdout);
    expect(a).toEqual(b);
    expect(a.seed).toBe(2);
    expect(a.timeSeries).toBeUndefined();
  });

  test('the human summary names cold starts, instances, latency and cost', async () => {
    const { code, stdout } = await simulate(['examples/scenarios/overload-erlang.json']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Cold starts\s+\d/);
    expect(stdout).toMatch(/Rejected\s+[\d,]+ \(\d+\.\d+ %\)/);
    expect(stdout).toMatch(/Latency\s+p50 .* p95 .* p99/);
    expect(stdout).toMatch(/Cost of the simulated period\s+\$\d+\.\d\d/);
  });

  test('--sweep-memory prints the Power Tuning picks', async () => {
    const { code, stdout } = await simulate(['examples/scenarios/steady-api.json', '--sweep-memory', '128,512,1769,3008', '--json']);
    expect(code).toBe(0);
    const sweep = JSON.parse(stdout);
    expect(sweep.points.map((p: { memoryMb: number }) => p.memoryMb)).toEqual([128, 512, 1769, 3008]);
    expect(sweep.picks.fastest.memoryMb).toBe(1769);
    const human = await simulate(['examples/scenarios/steady-api.json', '--sweep-memory', 'default']);
    expect(human.stdout).toMatch(/← .*cheapest/);
  });

  test('a bad scenario names the file, the field and what is allowed; exit code 1', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lambdadesk-sim-'));
    await writeFile(path.join(dir, 'bad.json'), JSON.stringify({ arrivals: { type: 'poisson', ratePerSecond: -1 }, service: { warm: { type: 'fixed', ms: 1 } } }));
    const { code, stderr } = await simulate(['bad.json'], dir);
    expect(code).toBe(1);
    expect(stderr).toMatch(/bad\.json: 2 problems:/);
    expect(stderr).toMatch(/arrivals\.ratePerSecond: must be a number above 0 \(requests per second\); got -1/);
    expect(stderr).toMatch(/service\.cold: give exactly one of cold .* or init/);
  });

  test('no scenario, or two, is a usage error', async () => {
    expect((await simulate([])).code).toBe(2);
    const two = await simulate(['a.json', 'b.json']);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/one scenario file at a time/);
  });
});
