import type { FunctionConfig, ProjectState, SimulatorCost, SimulatorResult, SimulatorSweep, SimulatorSweepPoint } from '../../electron/engine/contract.ts';

/** A function as the template gives it, for simulator tests. */
export function fakeFunction(overrides: Partial<FunctionConfig> = {}): FunctionConfig {
  return {
    logicalId: 'Hello',
    functionName: 'hello-fn',
    handler: 'index.handler',
    runtime: 'nodejs20.x',
    codeDir: '/p/src',
    memoryMb: 256,
    timeoutSeconds: 10,
    environment: {},
    ephemeralStorageMb: 512,
    architecture: 'x86_64',
    layers: [],
    events: [],
    location: { file: 'template.yaml', line: 1, column: 1 },
    ...overrides,
  };
}

export function openProject(functions: FunctionConfig[]): ProjectState {
  return {
    status: 'open',
    dir: '/p',
    snapshot: {
      model: { dir: '/p', templatePath: '/p/template.yaml', functions, layers: [], parameters: {}, warnings: [] },
      docker: { available: true, endpoint: 'x' },
      sandboxKind: 'docker',
      endpointUrl: 'http://127.0.0.1:3001',
      apiUrl: '',
      services: [],
    },
  };
}

/** A bill whose parts are the given exact amounts (total = their sum, given). */
export function fakeCost(exact: { requestCharge: string; computeCharge: string; ephemeralCharge?: string; provisionedCharge?: string; total: string }): SimulatorCost {
  const parts = { ephemeralCharge: '0', provisionedCharge: '0', ...exact };
  return {
    requestCharge: Number(parts.requestCharge),
    computeCharge: Number(parts.computeCharge),
    ephemeralCharge: Number(parts.ephemeralCharge),
    provisionedCharge: Number(parts.provisionedCharge),
    total: Number(parts.total),
    exact: parts,
    cents: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, Number(v).toFixed(2)])) as SimulatorCost['cents'],
    usage: { requests: 2_592_000, billableRequests: 2_592_000, onDemandGbSeconds: 64_800, billableGbSeconds: 64_800, ephemeralGbSeconds: 0, provisionedConfiguredGbSeconds: 0, provisionedDurationGbSeconds: 0, tiers: [] },
  };
}

export function fakeResult(overrides: Partial<SimulatorResult> = {}): SimulatorResult {
  const bins = 60;
  return {
    seed: 1,
    horizonSeconds: 3600,
    measuredSeconds: 3600,
    invocations: 3600,
    served: 3600,
    warmStarts: 3564,
    coldStarts: 36,
    coldStartProbability: 0.01,
    provisionedServed: 0,
    rejections: 0,
    rejectionProbability: 0,
    throttles: 0,
    throttleProbability: 0,
    timeouts: 0,
    prewarms: 0,
    avgInstances: 1.4,
    avgRunning: 0.1,
    avgIdle: 1.3,
    avgProvisioned: 0,
    utilization: 0.07,
    peakRunning: 3,
    meanServiceMs: 100,
    meanLifespanSeconds: 700,
    retiredInstances: 30,
    idleGbSeconds: 1170,
    latencyMs: { mean: 110, p50: 95, p95: 240, p99: 480, max: 900 },
    billedMs: { onDemand: 370_000, provisioned: 0 },
    cost: fakeCost({ requestCharge: '0.00072', computeCharge: '0.0015416', total: '0.0022616' }),
    monthlyCost: fakeCost({ requestCharge: '0.5184', computeCharge: '1.10995', total: '1.62835' }),
    timeSeries: {
      binSeconds: 60,
      invocations: Array.from({ length: bins }, () => 60),
      coldStarts: Array.from({ length: bins }, (_, i) => (i % 10 === 0 ? 6 : 0)),
      rejections: Array.from({ length: bins }, () => 0),
      avgRunning: Array.from({ length: bins }, () => 0.1),
      avgInstances: Array.from({ length: bins }, () => 1.4),
      peakRunning: Array.from({ length: bins }, (_, i) => (i === 30 ? 3 : 1)),
    },
    ...overrides,
  };
}

export function fakeSweep(): SimulatorSweep {
  const point = (memoryMb: number, costPerInvocation: number, durationMs: number): SimulatorSweepPoint => ({
    memoryMb,
    costPerInvocation,
    durationMs,
    durationScale: 256 / memoryMb,
    p95LatencyMs: durationMs * 2.4,
    coldStartProbability: 0.01,
    monthlyTotal: costPerInvocation * 2_592_000 + 0.5184,
  });
  const points = [point(128, 4.2e-7, 200), point(256, 4.2e-7, 100), point(512, 4.6e-7, 55), point(1024, 8.4e-7, 50)];
  return { baseMemoryMb: 256, cpuBoundShare: 0.9, points, picks: { cheapest: points[1]!, fastest: points[3]!, balanced: points[2]! }, horizonSeconds: 3600, notes: [] };
}
