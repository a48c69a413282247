/**
 * Simulator speed and memory. Every figure is set against a floor measured in the same run:
 * drawing the same random numbers (one exponential for the arrival gap, one for the service
 * time, per invocation) in a bare loop, which no simulation of the same traffic can beat.
 * Speed is measured in CPU time (see `timed`), with the wall clock in the row's name.
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseScenario } from '../../electron/engine/simulator/parse-scenario.ts';
import { Random } from '../../electron/engine/simulator/random.ts';
import { prepareSimulation, runSimulation } from '../../electron/engine/simulator/run-simulation.ts';
import type { Scenario } from '../../electron/engine/simulator/scenario-schema.ts';
import type { BenchRow } from './bench-row.ts';

const RATE_PER_SECOND = 100;
const DAY_SECONDS = 86_400;
/** SIMULATOR_BENCH_MONTH_DAYS shortens the month run (the row then says it extrapolates). */
const MONTH_DAYS = Number(process.env.SIMULATOR_BENCH_MONTH_DAYS ?? 30);

/** Steady API traffic with the platform's defaults: 600 s keep-alive, per-minute series. */
function apiScenario(ratePerSecond: number, horizonSeconds: number): Scenario {
  return parseScenario({
    function: { memoryMb: 512 },
    arrivals: { type: 'poisson', ratePerSecond },
    service: { warm: { type: 'exponential', meanMs: 120 }, init: { type: 'exponential', meanMs: 150 } },
    keepAlive: { type: 'fixed', idleSeconds: 600 },
    horizonSeconds,
    seed: 1,
  });
}

/** The floor: two exponential draws per invocation and nothing else. */
function drawFloor(invocations: number): number {
  const arrivals = new Random(1);
  const service = new Random(2);
  let sink = 0;
  for (let i = 0; i < invocations; i++) sink += -Math.log(arrivals.nextOpen()) - Math.log(service.nextOpen());
  return sink;
}

/**
 * CPU time (all threads of the process, so the JIT's too) and wall time of some work. The
 * rows use CPU time: on a shared machine other processes stretch wall time by any factor,
 * while CPU time is what this work costs. Wall time is printed alongside.
 */
function timed<T>(work: () => T): { ms: number; wallMs: number; value: T } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = work();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms: (used.user + used.system) / 1000, wallMs, value };
}

export async function simulatorBench(): Promise<BenchRow[]> {
  const memoryRows: BenchRow[] = [];
  // Memory first, before the long runs leave their results and garbage behind; heap figures
  // are taken once to settle compiled code, then for real.
  heapInUseMb(RATE_PER_SECOND / 10);
  heapInUseMb(RATE_PER_SECOND);
  const few = retainedKb(RATE_PER_SECOND / 10);
  const many = retainedKb(RATE_PER_SECOND);
  memoryRows.push({
    name: `memory held by a simulation after a day at ${RATE_PER_SECOND} req/s (${(many.invocations / 1e6).toFixed(1)} M invocations, per-minute series)`,
    value: many.kb,
    unit: 'KB',
    floorName: `the same after a day at ${RATE_PER_SECOND / 10} req/s (${(few.invocations / 1e6).toFixed(2)} M invocations)`,
    floorValue: few.kb,
    ratio: many.kb / few.kb,
    aim: 'ratio ≈ 1: memory does not grow with the number of invocations',
  });

  const heapFew = heapInUseMb(RATE_PER_SECOND / 10);
  const heapMany = heapInUseMb(RATE_PER_SECOND);
  memoryRows.push({
    name: `process heap in use (after GC, simulation alive) after a day at ${RATE_PER_SECOND} req/s`,
    value: heapMany,
    unit: 'MB',
    floorName: `the same after a day at ${RATE_PER_SECOND / 10} req/s, a tenth of the invocations`,
    floorValue: heapFew,
    ratio: heapMany / heapFew,
    aim: 'ratio ≈ 1: 7.8 M more invocations leave no trace',
  });

  const rows: BenchRow[] = [];
  // Let the JIT see both loops (expiries included, after 600 s) before anything is timed.
  runSimulation(apiScenario(RATE_PER_SECOND, 7200));
  drawFloor(1_000_000);

  const day = timed(() => runSimulation(apiScenario(RATE_PER_SECOND, DAY_SECONDS)));
  const dayFloor = timed(() => drawFloor(day.value.invocations));
  const rate = day.value.invocations / day.ms / 1000;
  const floorRate = day.value.invocations / dayFloor.ms / 1000;
  rows.push({
    name: `simulated invocations per CPU second (a day at ${RATE_PER_SECOND} req/s: ${(day.value.invocations / 1e6).toFixed(1)} M invocations, per-minute series; ${(day.value.invocations / day.wallMs / 1000).toFixed(1)} M/s by the wall clock)`,
    value: rate,
    unit: 'M invocations/s',
    floorName: 'drawing the same random numbers in a bare loop',
    floorValue: floorRate,
    ratio: floorRate / rate,
    aim: '≥ 10 M simulated invocations/s',
  });

  const monthSeconds = MONTH_DAYS * DAY_SECONDS;
  const month = timed(() => runSimulation(apiScenario(RATE_PER_SECOND, monthSeconds)));
  const monthFloor = timed(() => drawFloor(month.value.invocations));
  const scale = 30 / MONTH_DAYS;
  rows.push({
    name:
      (MONTH_DAYS === 30
        ? `CPU time for a month at ${RATE_PER_SECOND} req/s (${(month.value.invocations / 1e6).toFixed(0)} M invocations`
        : `CPU time for a month at ${RATE_PER_SECOND} req/s, extrapolated ×${scale.toFixed(2)} from ${MONTH_DAYS} day${MONTH_DAYS === 1 ? '' : 's'} (${(month.value.invocations / 1e6).toFixed(0)} M invocations run`) +
      `; ${((month.wallMs * scale) / 1000).toFixed(1)} s by the wall clock)`,
    value: (month.ms * scale) / 1000,
    unit: 's',
    floorName: 'drawing the same random numbers in a bare loop',
    floorValue: (monthFloor.ms * scale) / 1000,
    ratio: month.ms / monthFloor.ms,
    aim: 'about 26 s at 10 M invocations/s',
  });
  return [...rows, ...memoryRows];
}

/** JS heap and array buffers in use after a full GC, with the simulation still alive. */
function heapInUseMb(ratePerSecond: number): number {
  const gc = exposeGc();
  const prepared = prepareSimulation(apiScenario(ratePerSecond, DAY_SECONDS));
  const tally = prepared.simulation.run();
  gc();
  const m = process.memoryUsage();
  const mb = (m.heapUsed + m.arrayBuffers) / 2 ** 20;
  // Use the simulation after measuring, so it is certainly alive during the measurement.
  prepared.summarize(tally);
  return mb;
}

function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * The data a simulation holds once it has simulated a day: every typed array and array
 * reachable from it, plus 8 bytes a property. Counted by walking the objects rather than read
 * off the heap, whose totals move by tens of KB with compiled code and lazily freed buffers.
 */
function retainedKb(ratePerSecond: number): { kb: number; invocations: number } {
  const prepared = prepareSimulation(apiScenario(ratePerSecond, DAY_SECONDS));
  const invocations = prepared.simulation.run().invocations;
  return { kb: dataBytes(prepared.simulation) / 1024, invocations };
}

function dataBytes(root: unknown): number {
  const seen = new Set<object>();
  const walk = (value: unknown): number => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return 0;
    seen.add(value);
    if (ArrayBuffer.isView(value)) return value.byteLength;
    const children = Array.isArray(value) ? value : Object.values(value);
    return children.reduce<number>((sum, child) => sum + 8 + walk(child), 0);
  };
  return walk(root);
}

