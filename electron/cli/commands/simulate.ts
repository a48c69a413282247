import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CostJson } from '../../engine/simulator/billing.ts';
import { loadScenarioFile } from '../../engine/simulator/load-scenario.ts';
import { DEFAULT_SWEEP_MEMORY_MB, sweepMemory, type SweepResult } from '../../engine/simulator/memory-sweep.ts';
import { runSimulation, type SimulationResult } from '../../engine/simulator/run-simulation.ts';
import { type CliCommand, UsageError, writeLine } from '../cli-io.ts';

const USAGE = `Usage: lambdadesk simulate SCENARIO.json [OPTIONS]

Simulates a function on the Lambda platform under the scenario's traffic: cold starts,
throttling, instances, latency percentiles and the bill. Seeded: the same scenario and seed
give the same numbers. Scenario format: examples/scenarios/ and
electron/engine/simulator/README.md.

Options:
  --json                      one JSON object (invocations, coldStarts, coldStartProbability,
                              rejections, avgInstances, latencyMs, cost, timeSeries, …)
  --seed N                    override the scenario's seed
  --no-time-series            leave the per-minute series out of --json
  --sweep-memory LIST         run a Power Tuning style sweep instead: comma-separated MB,
                              or "default" for ${DEFAULT_SWEEP_MEMORY_MB.join(',')}
  --cpu-bound-share F         sweep: share of service time that scales with CPU (0–1, default 1)
  --multi-threaded            sweep: the code uses more than one vCPU above 1,769 MB

Example: lambdadesk simulate examples/scenarios/steady-api.json --json`;

export const simulateCommand: CliCommand = {
  summary: 'Simulate cold starts, throttling and cost for a traffic scenario',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        seed: { type: 'string' },
        'no-time-series': { type: 'boolean', default: false },
        'sweep-memory': { type: 'string' },
        'cpu-bound-share': { type: 'string' },
        'multi-threaded': { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 1) {
      throw new UsageError(positionals.length === 0 ? 'give the scenario file: lambdadesk simulate SCENARIO.json' : `one scenario file at a time; got ${positionals.length}: ${positionals.join(' ')}`);
    }
    const file = path.resolve(io.cwd, positionals[0] as string);
    const scenario = await loadScenarioFile(file);
    if (values.seed !== undefined) {
      const seed = Number(values.seed);
      if (!Number.isInteger(seed) || seed < 0 || seed > 4_294_967_295) throw new UsageError(`--seed must be a whole number from 0 to 4294967295; got '${values.seed}'.`);
      scenario.seed = seed;
    }

    if (values['sweep-memory'] !== undefined) {
      const sweep = sweepMemory(scenario, {
        memorySizesMb: parseMemoryList(values['sweep-memory']),
        cpuBoundShare: values['cpu-bound-share'] === undefined ? 1 : parseShare(values['cpu-bound-share']),
        multiThreaded: values['multi-threaded'],
      });
      writeLine(io.stdout, values.json ? JSON.stringify(sweep) : formatSweep(sweep));
      return 0;
    }
    if (values['cpu-bound-share'] !== undefined || values['multi-threaded']) throw new UsageError('--cpu-bound-share and --multi-threaded apply to --sweep-memory only.');

    const result = runSimulation(scenario, { timeSeries: !values['no-time-series'] });
    writeLine(io.stdout, values.json ? JSON.stringify(result) : formatResult(result, path.relative(io.cwd, file) || file));
    return 0;
  },
};

function parseMemoryList(text: string): number[] {
  if (text === 'default') return [...DEFAULT_SWEEP_MEMORY_MB];
  const sizes = text.split(',').map((s) => s.trim());
  const bad = sizes.find((s) => !/^\d+$/.test(s) || Number(s) < 128 || Number(s) > 10_240);
  if (sizes.length === 0 || bad !== undefined) {
    throw new UsageError(`--sweep-memory must be whole numbers of MB from 128 to 10240, comma-separated (or "default"); got '${bad ?? text}'.`);
  }
  return sizes.map(Number);
}

function parseShare(text: string): number {
  const share = Number(text);
  if (text.trim() === '' || !(share >= 0 && share <= 1)) throw new UsageError(`--cpu-bound-share must be a number from 0 to 1; got '${text}'.`);
  return share;
}

const pct = (x: number) => `${(x * 100).toFixed(x > 0 && x < 0.001 ? 4 : 2)} %`;
const num = (x: number, digits = 2) => x.toLocaleString('en-US', { maximumFractionDigits: digits });
const ms = (x: number) => `${num(x, x < 10 ? 2 : 0)} ms`;

function formatResult(r: SimulationResult, file: string): string {
  const lines = [
    `${r.name ?? file}: ${num(r.horizonSeconds)} s simulated${r.measuredSeconds < r.horizonSeconds ? ` (${num(r.measuredSeconds)} s measured after warm-up)` : ''}, seed ${r.seed}`,
    '',
    `  Invocations        ${num(r.invocations)}`,
    `  Cold starts        ${num(r.coldStarts)} (${pct(r.coldStartProbability)})`,
    `  Rejected           ${num(r.rejections)} (${pct(r.rejectionProbability)})${r.throttles > 0 ? `, ${num(r.throttles)} throttles (${pct(r.throttleProbability)} of attempts)` : ''}`,
  ];
  if (r.provisionedServed > 0) lines.push(`  Provisioned served ${num(r.provisionedServed)}`);
  if (r.timeouts > 0) lines.push(`  Timed out          ${num(r.timeouts)}`);
  if (r.prewarms > 0) lines.push(`  Pre-warmed         ${num(r.prewarms)}`);
  lines.push(
    `  Instances          ${num(r.avgInstances)} on average: ${num(r.avgRunning)} running, ${num(r.avgIdle)} idle (utilization ${pct(r.utilization)}), peak ${num(r.peakRunning)} running`,
    `  Latency            p50 ${ms(r.latencyMs.p50)}, p95 ${ms(r.latencyMs.p95)}, p99 ${ms(r.latencyMs.p99)} (cold starts and retries included)`,
    '',
    `  Cost of the simulated period   ${costLine(r.cost)}`,
    `  Projected for 30 days          ${costLine(r.monthlyCost)}`,
    '',
    'Money is exact internally and rounded half-up to cents for display; --json gives every figure.',
  );
  return lines.join('\n');
}

function costLine(c: CostJson): string {
  const parts = [`requests $${c.cents.requestCharge}`, `compute $${c.cents.computeCharge}`];
  if (c.ephemeralCharge > 0) parts.push(`storage $${c.cents.ephemeralCharge}`);
  if (c.provisionedCharge > 0) parts.push(`provisioned $${c.cents.provisionedCharge}`);
  return `$${c.cents.total} (${parts.join(', ')})`;
}

function formatSweep(s: SweepResult): string {
  const header = `  ${'Memory'.padStart(8)}  ${'Duration'.padStart(10)}  ${'p95'.padStart(10)}  ${'Cold'.padStart(8)}  ${'$/1M invocations'.padStart(17)}  ${'30 days'.padStart(12)}`;
  const rows = s.points.map((p) => {
    const marks = [p === s.picks.cheapest ? 'cheapest' : '', p === s.picks.fastest ? 'fastest' : '', p === s.picks.balanced ? 'balanced' : ''].filter(Boolean).join(', ');
    return `  ${`${p.memoryMb} MB`.padStart(8)}  ${ms(p.durationMs).padStart(10)}  ${ms(p.p95LatencyMs).padStart(10)}  ${pct(p.coldStartProbability).padStart(8)}  ${`$${(p.costPerInvocation * 1e6).toFixed(4)}`.padStart(17)}  ${`$${p.monthlyTotal.toFixed(2)}`.padStart(12)}${marks ? `  ← ${marks}` : ''}`;
  });
  return [
    `Memory sweep from ${s.baseMemoryMb} MB measurements, ${Math.round(s.cpuBoundShare * 100)} % of service time CPU-bound:`,
    header,
    ...rows,
    '',
    'Duration cost per invocation as Power Tuning counts it (no request charge, no free tier); 30 days uses the scenario\'s pricing.',
  ].join('\n');
}
