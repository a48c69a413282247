import { afterEach, expect, test } from 'vitest';
import { ManualClock } from '../clock.ts';
import type { InvocationRecord, Reply, SimulatorCalibration, SimulatorResult, SimulatorScenario, SimulatorSweep } from '../contract.ts';
import { ControlApi } from '../http/control-api.ts';
import { routeControlApi } from './control-routes.ts';
import { DockerWatcher } from './docker-watcher.ts';
import { ProjectSession } from './project-session.ts';

let api: ControlApi | undefined;
let session: ProjectSession;

afterEach(async () => {
  await api?.close();
  await session?.close();
});

async function start(): Promise<void> {
  const clock = new ManualClock(0);
  const docker = new DockerWatcher({ probe: async () => ({ available: false, endpoint: 'none' }), clock, intervalMs: 5000 });
  session = new ProjectSession({ mode: 'browser', version: 'test', sandbox: 'process', docker, clock, createEngine: () => Promise.reject(new Error('no project in this test')) });
  api = routeControlApi(new ControlApi({ token: 't', subscribe: () => () => undefined }), session);
  await api.listen();
}

async function call<T>(channel: string, body: unknown): Promise<{ status: number; reply: Reply<T> }> {
  const res = await fetch(`http://127.0.0.1:${api!.port}/api/${channel}`, {
    method: 'POST',
    headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, reply: (await res.json()) as Reply<T> };
}

const scenario: SimulatorScenario = {
  function: { memoryMb: 512 },
  arrivals: { type: 'poisson', ratePerSecond: 0.5 },
  service: { warm: { type: 'lognormal', medianMs: 80, sigma: 0.4 }, init: { type: 'fixed', ms: 400 } },
  keepAlive: { type: 'fixed', idleSeconds: 300 },
  horizonSeconds: 6 * 3600,
};

test('simulator:run answers the statistics, the exact bill and a series per minute', async () => {
  await start();
  const { status, reply } = await call<SimulatorResult>('simulator:run', { scenario });
  expect(status).toBe(200);
  const result = reply.result!;
  expect(result.invocations).toBeGreaterThan(10_000);
  expect(result.coldStarts).toBeGreaterThan(0);
  expect(result.timeSeries?.binSeconds).toBe(60);
  expect(result.timeSeries?.coldStarts).toHaveLength(360);
  expect(result.timeSeries?.coldStarts.reduce((a, b) => a + b, 0)).toBe(result.coldStarts);
  expect(result.monthlyCost.exact.total).toMatch(/^\d+\.\d+$/);
  expect(result.monthlyCost.cents.total).toMatch(/^\d+\.\d\d$/);
  // Seeded: the same scenario gives the same numbers.
  expect((await call<SimulatorResult>('simulator:run', { scenario })).reply.result).toEqual(result);
});

test('a bad scenario is refused before anything runs, each problem at its field path', async () => {
  await start();
  const bad = {
    ...scenario,
    function: { memoryMb: 64 },
    arrivals: { type: 'poisson', ratePerSecond: -2 },
    keepAlive: { type: 'fixed', idleSecs: 60 },
  };
  const { status, reply } = await call('simulator:run', { scenario: bad });
  expect(status).toBe(400);
  expect(reply.error?.name).toBe('InvalidRequestError');
  expect(reply.error?.problems?.map((p) => p.field)).toEqual(['scenario.function.memoryMb', 'scenario.arrivals.ratePerSecond', 'scenario.keepAlive']);
  expect(reply.error?.problems?.[0]).toMatchObject({ path: ['scenario', 'function', 'memoryMb'], message: 'must be a whole number from 128 to 10,240 (MB)' });
  expect(reply.error?.message).toContain("scenario.keepAlive: unknown field 'idleSecs'");
  const noService = await call('simulator:sweep', { scenario: { arrivals: scenario.arrivals } });
  expect(noService.reply.error?.problems?.map((p) => p.field)).toEqual(['scenario.service']);
});

test('whole-scenario problems and the app’s bounds are named at their field too', async () => {
  await start();
  const warmup = await call('simulator:run', { scenario: { ...scenario, warmupSeconds: 7 * 3600 } });
  expect(warmup.status).toBe(400);
  expect(warmup.reply.error?.problems).toEqual([{ path: ['scenario', 'warmupSeconds'], field: 'scenario.warmupSeconds', message: 'must be below the horizon (21600 s); got 25200', fix: '' }]);

  const heavy = await call('simulator:run', { scenario: { ...scenario, arrivals: { type: 'constant', ratePerSecond: 200 } } });
  expect(heavy.status).toBe(400);
  expect(heavy.reply.error?.problems?.[0]?.field).toBe('scenario.horizonSeconds');
  expect(heavy.reply.error?.problems?.[0]?.message).toContain('Use at most 5,000 s');

  const file = await call('simulator:run', { scenario: { ...scenario, arrivals: { type: 'trace', file: '/etc/passwd' } } });
  expect(file.reply.error?.problems?.[0]?.field).toBe('scenario.arrivals.file');
});

test('simulator:sweep gives each memory size with the cheapest, fastest and balanced picks', async () => {
  await start();
  const { status, reply } = await call<SimulatorSweep>('simulator:sweep', { scenario, memorySizesMb: [1024, 128, 512], cpuBoundShare: 1 });
  expect(status).toBe(200);
  const sweep = reply.result!;
  expect(sweep.points.map((p) => p.memoryMb)).toEqual([128, 512, 1024]);
  expect(sweep.horizonSeconds).toBe(6 * 3600);
  // CPU-bound work at a quarter of the memory takes four times as long.
  expect(sweep.points[0]!.durationScale).toBe(4);
  expect(sweep.picks.fastest.memoryMb).toBe(1024);
  expect(sweep.points.map((p) => p.memoryMb)).toContain(sweep.picks.cheapest.memoryMb);
  // Heavy traffic: every size runs over a shorter window so that the sweep answers at once, and it says so.
  const heavy = await call<SimulatorSweep>('simulator:sweep', { scenario: { ...scenario, arrivals: { type: 'poisson', ratePerSecond: 20 }, horizonSeconds: 86_400 } });
  expect(heavy.reply.result?.horizonSeconds).toBe(20_000);
  expect(heavy.reply.result?.notes[0]).toContain('first 20,000 s (5.6 h)');
  const bad = await call('simulator:sweep', { scenario, memorySizesMb: [64], cpuBoundShare: 2 });
  expect(bad.reply.error?.problems?.map((p) => p.field)).toEqual(['memorySizesMb[0]', 'cpuBoundShare']);
});

test('simulator:calibrate turns the recorded invocations of a function into service times', async () => {
  await start();
  const none = await call('simulator:calibrate', { functionName: 'hello' });
  expect(none.status).toBe(404);
  expect(none.reply.error?.message).toBe('No invocations of hello were recorded in this session.');
  expect(none.reply.error?.fix).toContain('Force cold start');

  const record = (i: number, cold: boolean, durationMs: number): InvocationRecord => ({
    requestId: `r${i}`, functionName: 'hello', qualifier: '$LATEST', sandboxId: 's1', cold, durationMs, billedMs: Math.ceil(durationMs),
    memorySizeMb: 256, maxMemoryUsedMb: 60, outcome: 'success', trigger: 'console', startedAt: i * 1000, endedAt: i * 1000 + durationMs, sandboxKind: 'docker',
    ...(cold ? { initMs: 310 } : {}),
  });
  session.activity.addRecord(record(1, true, 40));
  session.activity.addRecord(record(2, false, 12));
  session.activity.addRecord(record(3, false, 16));
  session.activity.addRecord({ ...record(4, false, 9), functionName: 'other' });
  const { reply } = await call<SimulatorCalibration>('simulator:calibrate', { functionName: 'hello' });
  expect(reply.result).toEqual({
    functionName: 'hello',
    memoryMb: 256,
    records: 3,
    service: { warm: { type: 'empirical', samplesMs: [12, 16] }, init: { type: 'empirical', samplesMs: [310] } },
    warmSamples: 2,
    coldSamples: 1,
    warmMedianMs: 14,
    initMedianMs: 310,
    notes: [],
  });
  // The calibrated service runs as it came back.
  const run = await call<SimulatorResult>('simulator:run', { scenario: { ...scenario, service: reply.result!.service } });
  expect(run.reply.result?.meanServiceMs).toBeGreaterThan(12);
});
