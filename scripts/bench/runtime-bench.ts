import { execFile } from 'node:child_process';
import { createServer, request, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { createEngine } from '../../electron/engine/create-engine.ts';
import type { BenchRow } from './bench-row.ts';

const run = promisify(execFile);
const REPO_ROOT = resolve(import.meta.dirname, '../..');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** POSTs over one keep-alive connection, as an SDK does, and returns each round trip in ms. */
async function roundTrips(url: string, path: string, body: string, count: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(path, url);
  const once = (): Promise<number> =>
    new Promise((resolvePromise, reject) => {
      const started = performance.now();
      const req = request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => resolvePromise(performance.now() - started));
      });
      req.on('error', reject);
      req.end(body);
    });
  for (let i = 0; i < 20; i++) await once(); // warm the connection and the JIT
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(await once());
  agent.destroy();
  return times.sort((a, b) => a - b);
}

async function loopbackFloor(count: number): Promise<number[]> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    return await roundTrips(url, '/', '{}', count);
  } finally {
    server.close();
  }
}

/**
 * Warm invoke round trip against a bare loopback HTTP round trip, and cold start against
 * `docker run --rm` of the same runtime image.
 */
export async function runtimeBench(): Promise<BenchRow[]> {
  const engine = await createEngine({ projectDir: resolve(REPO_ROOT, 'test/fixtures/runtime/limits'), port: 0, watch: false, sandbox: 'docker' });
  await engine.start();
  const rows: BenchRow[] = [];
  try {
    const fn = engine.model().functions.find((f) => f.logicalId === 'FullCpu')!;
    const image = await engine.invoker.prepare(fn);
    const count = 500;
    const floor = await loopbackFloor(count);
    const warm = await roundTrips(engine.endpoint.url, '/2015-03-31/functions/FullCpu/invocations', '{"bench":true}', count);
    for (const p of [50, 99]) {
      const value = percentile(warm, p);
      const base = percentile(floor, p);
      rows.push({ name: `warm invoke round trip p${p}`, value, unit: 'ms', floorName: `bare loopback HTTP round trip p${p}`, floorValue: base, ratio: value / base, aim: p === 50 ? `within 2 ms of the floor (now +${(value - base).toFixed(2)} ms)` : undefined });
    }

    const coldRuns = 7;
    const cold: number[] = [];
    for (let i = 0; i < coldRuns; i++) {
      const started = performance.now();
      await engine.invoker.invoke({ functionName: 'FullCpu', payload: '{}' }, { forceCold: true });
      cold.push(performance.now() - started);
      await engine.invoker.retireFunction('FullCpu');
    }
    const dockerRun: number[] = [];
    for (let i = 0; i < coldRuns; i++) {
      const started = performance.now();
      await run('docker', ['run', '--rm', '--network', 'host', '--memory', '1769m', '--entrypoint', '/var/lang/bin/node', image.image, '-e', '0']);
      dockerRun.push(performance.now() - started);
    }
    cold.sort((a, b) => a - b);
    dockerRun.sort((a, b) => a - b);
    const coldMedian = percentile(cold, 50);
    const floorMedian = percentile(dockerRun, 50);
    rows.push({ name: 'cold start (invoke → response, median)', value: coldMedian, unit: 'ms', floorName: '`docker run --rm` of the same image running node -e 0 (median)', floorValue: floorMedian, ratio: coldMedian / floorMedian, aim: 'within 1.5× of the floor' });
  } finally {
    await engine.stop();
  }
  return rows;
}
