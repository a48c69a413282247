import { AWS_FREE_TIER, NO_FREE_TIER, costToJson, priceUsage, type BillingUsage, type CostJson, type FreeTierSwitches } from './billing.ts';
import type { PlatformTally } from './platform-simulation.ts';
import type { ProvisionedSchedule } from './provisioned-schedule.ts';
import type { PricedRegion } from './pricing-tables.ts';
import type { Scenario } from './scenario-schema.ts';

export const MONTH_SECONDS = 30 * 86_400;

export interface SimulationCost {
  /** The measured window priced as one billing period (free tier and tiers applied once). */
  cost: CostJson;
  /** The measured window's usage scaled to a 30-day month, then priced: what a month would cost. */
  monthlyCost: CostJson;
}

export function freeTierOf(setting: Scenario['pricing']['freeTier']): FreeTierSwitches {
  if (setting === true) return AWS_FREE_TIER;
  if (setting === false) return NO_FREE_TIER;
  return setting;
}

export function priceSimulation(
  scenario: Scenario,
  tally: PlatformTally,
  provisioned: ProvisionedSchedule | undefined,
  window: { fromMs: number; toMs: number },
): SimulationCost {
  const usage: BillingUsage = {
    architecture: scenario.function.architecture,
    memoryMb: scenario.function.memoryMb,
    ephemeralMb: scenario.function.ephemeralMb,
    onDemandRequests: BigInt(tally.onDemandRequests),
    onDemandBilledMs: BigInt(tally.onDemandBilledMs),
    provisionedRequests: BigInt(tally.provisionedServed),
    provisionedBilledMs: BigInt(tally.provisionedBilledMs),
    provisionedWindows: provisioned ? provisioned.windows(window.fromMs, window.toMs) : [],
  };
  const options = { region: scenario.pricing.region as PricedRegion, freeTier: freeTierOf(scenario.pricing.freeTier) };
  const factor = (MONTH_SECONDS * 1000) / (window.toMs - window.fromMs);
  const scale = (n: bigint) => BigInt(Math.round(Number(n) * factor));
  const monthly: BillingUsage = {
    ...usage,
    onDemandRequests: scale(usage.onDemandRequests),
    onDemandBilledMs: scale(usage.onDemandBilledMs),
    provisionedRequests: scale(usage.provisionedRequests),
    provisionedBilledMs: scale(usage.provisionedBilledMs),
    provisionedWindows: usage.provisionedWindows.map((w) => ({ concurrency: w.concurrency, seconds: w.seconds * factor })),
  };
  return { cost: costToJson(priceUsage(usage, options)), monthlyCost: costToJson(priceUsage(monthly, options)) };
}
