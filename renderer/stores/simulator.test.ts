import { expect, test } from 'vitest';
import type { SimulatorCalibration, SimulatorScenario } from '../../electron/engine/contract.ts';
import { BackendError } from '../backend/backend.ts';
import { FakeBackend, flush, withBackend } from '../test-support/fake-backend.ts';
import { fakeFunction, fakeResult, fakeSweep, openProject } from '../test-support/simulator-fixtures.ts';
import { useAppStore } from './app.ts';
import { parseSweepSizes, useSimulatorStore } from './simulator.ts';

const hello = fakeFunction({ memoryMb: 256, reservedConcurrency: 20, provisionedConcurrency: 2 });
const other = fakeFunction({ logicalId: 'Other', functionName: 'other-fn', memoryMb: 1024 });

async function setup(backend = new FakeBackend()) {
  backend.on('app:info', () => ({ mode: 'browser', version: '0', recentProjects: [], project: openProject([hello, other]) }));
  const { run } = withBackend(backend);
  await run(() => useAppStore()).load();
  const sim = run(() => useSimulatorStore());
  sim.select('hello-fn');
  return { backend, sim };
}

const scenarios = (backend: FakeBackend) => backend.callsTo('simulator:run').map((r) => (r as { scenario: SimulatorScenario }).scenario);

test('a function starts from its template: memory, architecture, reserved and provisioned concurrency', async () => {
  const { backend, sim } = await setup(new FakeBackend().on('simulator:run', () => fakeResult()));
  await sim.run();
  expect(scenarios(backend)).toEqual([
    {
      name: 'hello-fn',
      function: { memoryMb: 256, architecture: 'x86_64', ephemeralMb: 512, timeoutSeconds: 10 },
      arrivals: { type: 'poisson', ratePerSecond: 1 },
      service: { warm: { type: 'lognormal', medianMs: 100, sigma: 0.5 }, init: { type: 'fixed', ms: 300 } },
      keepAlive: { type: 'fixed', idleSeconds: 600 },
      concurrency: { max: 20, onLimit: 'reject' },
      provisioned: { concurrency: 2 },
      horizonSeconds: 86_400,
      seed: 1,
      pricing: { freeTier: false },
    },
  ]);
  expect(sim.panel?.run?.result.invocations).toBe(3600);
});

test('each arrival type becomes its scenario, in the simulator’s units', async () => {
  const { backend, sim } = await setup(new FakeBackend().on('simulator:run', () => fakeResult()));
  Object.assign(sim.draft!, { arrivalType: 'diurnal', ratePerSecond: 4, amplitude: 0.5, peakHour: 13, keepAliveMinutes: 5, horizonHours: 48 });
  await sim.run();
  Object.assign(sim.draft!, { arrivalType: 'bursts', burstSize: 200, burstEverySeconds: 600, burstSpreadMs: 500, baseRatePerSecond: 0 });
  await sim.run();
  const [diurnal, bursts] = scenarios(backend);
  expect(diurnal).toMatchObject({ arrivals: { type: 'diurnal', meanRatePerSecond: 4, amplitude: 0.5, periodSeconds: 86_400, peakAtSeconds: 46_800 }, keepAlive: { idleSeconds: 300 }, horizonSeconds: 172_800 });
  expect(bursts?.arrivals).toEqual({ type: 'bursts', baseRatePerSecond: 0, burstSize: 200, everySeconds: 600, spreadMs: 500 });
});

test('a value out of range is flagged at once and nothing is sent', async () => {
  const { backend, sim } = await setup(new FakeBackend().on('simulator:run', () => fakeResult()));
  sim.draft!.memoryMb = 64;
  sim.draft!.ratePerSecond = Number.NaN;
  expect(sim.fieldProblems).toMatchObject({ memoryMb: 'Must be from 128 to 10,240 MB.', ratePerSecond: 'Enter a number.' });
  expect(sim.canRun).toBe(false);
  await sim.run();
  expect(backend.callsTo('simulator:run')).toEqual([]);
});

test('the engine’s problems appear at their fields, and editing clears them', async () => {
  const refuse = () => {
    throw new BackendError({
      name: 'ScenarioRequestError',
      message: 'The scenario cannot be simulated',
      problems: [
        { path: ['scenario', 'horizonSeconds'], field: 'scenario.horizonSeconds', message: 'Use at most 20,000 s (5.6 h)', fix: '' },
        { path: ['scenario', 'routing'], field: 'scenario.routing', message: 'must be one of newest, oldest', fix: '' },
      ],
    });
  };
  const { sim } = await setup(new FakeBackend().on('simulator:run', refuse));
  await sim.run();
  expect(sim.fieldProblems.horizonHours).toBe('Use at most 20,000 s (5.6 h)');
  expect(sim.otherProblems).toEqual(['scenario.routing: must be one of newest, oldest']);
  expect(sim.runError).toBe('The scenario has 2 problems: see the fields marked below.');
  sim.draft!.horizonHours = 5;
  await flush();
  expect(sim.fieldProblems.horizonHours).toBeUndefined();
});

test('a result goes out of date when the draft changes, and each function keeps its own', async () => {
  const { sim } = await setup(new FakeBackend().on('simulator:run', () => fakeResult()));
  await sim.run();
  expect(sim.stale).toBe(false);
  sim.draft!.keepAliveMinutes = 1;
  expect(sim.stale).toBe(true);
  sim.select('other-fn');
  expect(sim.draft?.memoryMb).toBe(1024);
  expect(sim.panel?.run).toBeUndefined();
  sim.select('hello-fn');
  expect(sim.draft?.keepAliveMinutes).toBe(1);
  expect(sim.panel?.run).toBeDefined();
});

test('only the latest run counts when an older one answers late', async () => {
  let release!: () => void;
  const backend = new FakeBackend().on('simulator:run', async ({ scenario }) => {
    if (scenario.arrivals.type === 'poisson' && scenario.arrivals.ratePerSecond === 1) await new Promise<void>((r) => (release = r));
    return fakeResult({ invocations: scenario.arrivals.type === 'poisson' ? scenario.arrivals.ratePerSecond : 0 });
  });
  const { sim } = await setup(backend);
  const first = sim.run();
  sim.draft!.ratePerSecond = 7;
  await sim.run();
  release();
  await first;
  expect(sim.panel?.run?.result.invocations).toBe(7);
  expect(sim.running).toBe(false);
});

test('calibration replaces the typed service times with the recorded ones, at their memory size', async () => {
  const calibration: SimulatorCalibration = {
    functionName: 'hello-fn',
    memoryMb: 128,
    records: 5,
    service: { warm: { type: 'empirical', samplesMs: [12, 14, 13, 15] } },
    warmSamples: 4,
    coldSamples: 0,
    warmMedianMs: 13.5,
    notes: ['No cold start was recorded, so the init time stays as set.'],
  };
  const { backend, sim } = await setup(new FakeBackend().on('simulator:calibrate', () => calibration).on('simulator:run', () => fakeResult()));
  await sim.calibrate();
  expect(backend.callsTo('simulator:calibrate')).toEqual([{ functionName: 'hello-fn' }]);
  expect(sim.draft?.memoryMb).toBe(128);
  sim.draft!.initMs = 420;
  await sim.run();
  expect(scenarios(backend)[0]?.service).toEqual({ warm: { type: 'empirical', samplesMs: [12, 14, 13, 15] }, init: { type: 'fixed', ms: 420 } });
  sim.clearCalibration();
  expect(sim.draft?.calibrated).toBeUndefined();
});

test('a failed calibration says why and what to do', async () => {
  const { sim } = await setup(
    new FakeBackend().on('simulator:calibrate', () => {
      throw new BackendError({ name: 'NoRecordingsError', message: 'No invocations of hello-fn were recorded in this session.', fix: 'Invoke the function a few times.' });
    }),
  );
  await sim.calibrate();
  expect(sim.calibrateError).toBe('No invocations of hello-fn were recorded in this session.\nInvoke the function a few times.');
});

test('a memory sweep sends the sizes and options, and a pick becomes the memory size', async () => {
  const { backend, sim } = await setup(new FakeBackend().on('simulator:sweep', () => fakeSweep()));
  sim.sweepOptions.sizes = '128, 512,1024';
  sim.sweepOptions.cpuBoundShare = 0.6;
  await sim.sweep();
  expect(backend.callsTo('simulator:sweep')).toMatchObject([{ memorySizesMb: [128, 512, 1024], cpuBoundShare: 0.6, multiThreaded: false, scenario: { function: { memoryMb: 256 } } }]);
  expect(sim.panel?.sweep?.picks.balanced.memoryMb).toBe(512);
  sim.useMemory(512);
  expect(sim.draft?.memoryMb).toBe(512);
});

test('sweep sizes are checked while typing', () => {
  expect(parseSweepSizes('128, 256 512')).toEqual({ sizes: [128, 256, 512] });
  expect(parseSweepSizes('64, 128').error).toBe('64 is not a memory size: use whole MB from 128 to 10,240.');
  expect(parseSweepSizes(' ').error).toContain('at least one');
});

test('a what-if runs beside the current scenario with only its changes, reusing an up-to-date run', async () => {
  const { backend, sim } = await setup(new FakeBackend().on('simulator:run', ({ scenario }) => fakeResult({ invocations: scenario.function?.memoryMb ?? 0 })));
  await sim.run();
  sim.presetWhatIf('memory');
  await sim.compare();
  const sent = scenarios(backend);
  expect(sent).toHaveLength(2);
  expect(sent[1]).toEqual({ ...sent[0], function: { ...sent[0]!.function, memoryMb: 512 } });
  expect(sim.panel?.comparison).toMatchObject({ label: '512 MB', current: { invocations: 256 }, whatIf: { invocations: 512 } });

  sim.presetWhatIf('provisioned');
  expect(sim.panel?.whatIf).toEqual({ provisionedConcurrency: 3 });
  sim.panel!.whatIf = { memoryMb: 64 };
  await sim.compare();
  expect(sim.compareError).toContain('out of range');
});
