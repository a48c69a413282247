import { NO_FREE_TIER, priceUsage } from './billing.ts';
import { pickPowerTuning, type TuningPicks, type TuningPoint } from './power-tuning-picks.ts';
import type { PricedRegion } from './pricing-tables.ts';
import { runSimulation } from './run-simulation.ts';
import type { Scenario } from './scenario-schema.ts';

/** Power Tuning's default memory sizes. */
export const DEFAULT_SWEEP_MEMORY_MB = [128, 256, 512, 1024, 1536, 3008] as const;

/** Lambda gives one full vCPU at 1,769 MB and CPU in proportion to memory. */
const MB_PER_VCPU = 1769;

export interface SweepOptions {
  memorySizesMb?: readonly number[];
  /**
   * Share of the measured service time that is CPU work (scales with the CPU share of the
   * memory size); the rest (network, waiting on other services) does not. Default 1.
   */
  cpuBoundShare?: number;
  /** Code that uses more than one thread keeps speeding up above 1,769 MB (up to 6 vCPUs). */
  multiThreaded?: boolean;
  balancedWeight?: number;
}

export interface SweepPoint extends TuningPoint {
  /** Service times at this memory size, relative to the scenario's. */
  durationScale: number;
  p95LatencyMs: number;
  coldStartProbability: number;
  /** The scenario's own pricing (free tier as set) over a 30-day month. */
  monthlyTotal: number;
}

export interface SweepResult {
  baseMemoryMb: number;
  cpuBoundShare: number;
  points: SweepPoint[];
  picks: TuningPicks<SweepPoint>;
}

/**
 * A memory sweep in the style of AWS Lambda Power Tuning, simulated instead of invoked: the
 * scenario's service times were measured at its memory size, and each other size scales the
 * CPU-bound share by the ratio of CPU. Every size runs with the same seed, so the same
 * arrivals and random draws meet each memory size (common random numbers) and differences
 * come from memory alone. Init time is not scaled: it is mostly loading code.
 */
export function sweepMemory(scenario: Scenario, options: SweepOptions = {}): SweepResult {
  const sizes = options.memorySizesMb ?? DEFAULT_SWEEP_MEMORY_MB;
  const share = options.cpuBoundShare ?? 1;
  const baseMb = scenario.function.memoryMb;
  const points = sizes.map((memoryMb): SweepPoint => {
    const durationScale = 1 - share + (share * cpuOf(baseMb, options.multiThreaded)) / cpuOf(memoryMb, options.multiThreaded);
    const atSize: Scenario = { ...scenario, function: { ...scenario.function, memoryMb } };
    const result = runSimulation(atSize, { timeSeries: false, serviceScale: durationScale });
    const served = result.served || 1;
    // Power Tuning prices duration only, without the free tier or the request charge.
    const duration = priceUsage(
      {
        architecture: scenario.function.architecture,
        memoryMb,
        ephemeralMb: scenario.function.ephemeralMb,
        onDemandRequests: 0n,
        onDemandBilledMs: BigInt(result.billedMs.onDemand),
        provisionedRequests: 0n,
        provisionedBilledMs: 0n,
        provisionedWindows: [],
      },
      { region: scenario.pricing.region as PricedRegion, freeTier: NO_FREE_TIER },
    );
    return {
      memoryMb,
      durationScale,
      costPerInvocation: duration.computeCharge.toNumber() / served,
      durationMs: result.meanServiceMs,
      p95LatencyMs: result.latencyMs.p95,
      coldStartProbability: result.coldStartProbability,
      monthlyTotal: result.monthlyCost.total,
    };
  });
  return { baseMemoryMb: baseMb, cpuBoundShare: share, points, picks: pickPowerTuning(points, options.balancedWeight) };
}

function cpuOf(memoryMb: number, multiThreaded = false): number {
  return multiThreaded ? memoryMb / MB_PER_VCPU : Math.min(memoryMb, MB_PER_VCPU) / MB_PER_VCPU;
}
