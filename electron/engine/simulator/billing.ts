import type { SimulatorCost } from '../contract.ts';
import type { Architecture } from '../contract.ts';
import { Decimal } from './decimal.ts';
import {
  FREE_EPHEMERAL_MB,
  FREE_TIER,
  PROVISIONED_ROUNDING_SECONDS,
  REGION_PRICES,
  type PricedRegion,
} from './pricing-tables.ts';

/** 1 ms is AWS's rule since December 2020; 100 ms is the legacy rule, kept as a toggle. */
export type GranularityMs = 1 | 100;

/**
 * AWS applies its free tier inconsistently in its own examples (P1 and P3 subtract it, P2 does
 * not, P3 spares storage), so each part is an explicit switch and nothing is inferred.
 * `storage` deducts the same 400,000 GB-s from ephemeral-storage GB-s; AWS itself grants no
 * storage allowance, so it is off unless asked for.
 */
export interface FreeTierSwitches {
  requests: boolean;
  compute: boolean;
  storage: boolean;
}

export const NO_FREE_TIER: FreeTierSwitches = { requests: false, compute: false, storage: false };
/** AWS's own rule: the free tier covers requests and on-demand compute, never storage. */
export const AWS_FREE_TIER: FreeTierSwitches = { requests: true, compute: true, storage: false };

/** Billed milliseconds of one phase (init or invoke) of one request. */
export function computeBilledMs(durationMs: number, granularityMs: GranularityMs): number {
  if (!(durationMs > 0)) return granularityMs === 100 ? 100 : 0;
  if (granularityMs === 100) return Math.max(100, Math.ceil(durationMs / 100) * 100);
  return Math.ceil(durationMs);
}

/** A configured provisioned-concurrency level held for a while (one enable…disable window). */
export interface ProvisionedWindow {
  concurrency: number;
  seconds: number;
}

/** What a month (or any billing period) used, in whole billed units. */
export interface BillingUsage {
  architecture: Architecture;
  memoryMb: number;
  /** Configured ephemeral storage; only the part above 512 MB is billed. */
  ephemeralMb: number;
  onDemandRequests: bigint;
  /** Sum of billed ms (already rounded per request) of requests served on demand. */
  onDemandBilledMs: bigint;
  provisionedRequests: bigint;
  provisionedBilledMs: bigint;
  provisionedWindows: ProvisionedWindow[];
}

export interface BillingOptions {
  region: PricedRegion;
  freeTier: FreeTierSwitches;
}

export interface TierCharge {
  gbSeconds: Decimal;
  pricePerGbSecond: Decimal;
  charge: Decimal;
}

export interface CostBreakdown {
  requestCharge: Decimal;
  /** On-demand duration through the monthly tiers. */
  computeCharge: Decimal;
  ephemeralCharge: Decimal;
  /** Configured provisioned concurrency plus the duration of the requests it served. */
  provisionedCharge: Decimal;
  total: Decimal;
  detail: {
    requests: bigint;
    billableRequests: bigint;
    onDemandGbSeconds: Decimal;
    billableGbSeconds: Decimal;
    tiers: TierCharge[];
    ephemeralGbSeconds: Decimal;
    billableEphemeralGbSeconds: Decimal;
    provisionedConfiguredGbSeconds: Decimal;
    provisionedConfiguredCharge: Decimal;
    provisionedDurationGbSeconds: Decimal;
    provisionedDurationCharge: Decimal;
  };
}

const MB_MS_PER_GB_SECOND = 1024 * 1000;

/** Prices one billing period exactly, following §3 of the pricing reference step by step. */
export function priceUsage(usage: BillingUsage, options: BillingOptions): CostBreakdown {
  const region = REGION_PRICES[options.region];
  const arch = region.architectures[usage.architecture];
  const zero = Decimal.ZERO;

  const requests = usage.onDemandRequests + usage.provisionedRequests;
  const freeRequests = options.freeTier.requests ? BigInt(FREE_TIER.requests) : 0n;
  const billableRequests = requests > freeRequests ? requests - freeRequests : 0n;
  const requestCharge = Decimal.of(billableRequests).mul(Decimal.of(region.requestPrice));

  const onDemandGbSeconds = gbSeconds(usage.onDemandBilledMs, usage.memoryMb);
  const freeGbSeconds = Decimal.of(FREE_TIER.gbSeconds);
  const billableGbSeconds = options.freeTier.compute ? onDemandGbSeconds.sub(freeGbSeconds).max(zero) : onDemandGbSeconds;
  const tiers: TierCharge[] = [];
  let remaining = billableGbSeconds;
  let tierStart = zero;
  for (const tier of arch.durationTiers) {
    if (remaining.isZero()) break;
    const width = tier.upToGbSeconds === undefined ? remaining : Decimal.of(tier.upToGbSeconds).sub(tierStart);
    const inTier = remaining.min(width);
    const price = Decimal.of(tier.pricePerGbSecond);
    tiers.push({ gbSeconds: inTier, pricePerGbSecond: price, charge: inTier.mul(price) });
    remaining = remaining.sub(inTier);
    if (tier.upToGbSeconds !== undefined) tierStart = Decimal.of(tier.upToGbSeconds);
  }
  const computeCharge = tiers.reduce((sum, t) => sum.add(t.charge), zero);

  const extraStorageGb = Decimal.of(Math.max(0, usage.ephemeralMb - FREE_EPHEMERAL_MB)).divExact(1024);
  const billedSeconds = Decimal.of(usage.onDemandBilledMs + usage.provisionedBilledMs).divExact(1000);
  const ephemeralGbSeconds = extraStorageGb.mul(billedSeconds);
  const billableEphemeralGbSeconds = options.freeTier.storage
    ? ephemeralGbSeconds.sub(freeGbSeconds).max(zero)
    : ephemeralGbSeconds;
  const ephemeralCharge = billableEphemeralGbSeconds.mul(Decimal.of(region.ephemeralStoragePerGbSecond));

  const memoryGb = Decimal.of(usage.memoryMb).divExact(1024);
  const provisionedConfiguredGbSeconds = usage.provisionedWindows.reduce(
    (sum, w) => sum.add(memoryGb.mul(w.concurrency).mul(roundProvisionedSeconds(w.seconds))),
    zero,
  );
  const provisionedConfiguredCharge = provisionedConfiguredGbSeconds.mul(Decimal.of(arch.provisionedConfiguredPerGbSecond));
  const provisionedDurationGbSeconds = gbSeconds(usage.provisionedBilledMs, usage.memoryMb);
  const provisionedDurationCharge = provisionedDurationGbSeconds.mul(Decimal.of(arch.provisionedDurationPerGbSecond));
  const provisionedCharge = provisionedConfiguredCharge.add(provisionedDurationCharge);

  return {
    requestCharge,
    computeCharge,
    ephemeralCharge,
    provisionedCharge,
    total: requestCharge.add(computeCharge).add(ephemeralCharge).add(provisionedCharge),
    detail: {
      requests,
      billableRequests,
      onDemandGbSeconds,
      billableGbSeconds,
      tiers,
      ephemeralGbSeconds,
      billableEphemeralGbSeconds,
      provisionedConfiguredGbSeconds,
      provisionedConfiguredCharge,
      provisionedDurationGbSeconds,
      provisionedDurationCharge,
    },
  };
}

export interface UniformWorkload {
  architecture: Architecture;
  memoryMb: number;
  ephemeralMb: number;
  requests: number;
  /** Measured duration of each request; rounded up per request, as AWS does. */
  durationMs: number;
  granularityMs: GranularityMs;
  /** Of `requests`, how many were cold and paid `initMs` on top (init billing on). */
  coldStarts?: number;
  initMs?: number;
  /** Of `requests`, how many a provisioned environment served (PC duration price). */
  provisionedRequests?: number;
  provisionedWindows?: ProvisionedWindow[];
}

/** The usage of N identical requests: what `lambdadesk cost` and the pricing examples price. */
export function usageOfUniformRequests(w: UniformWorkload): BillingUsage {
  const perRequest = BigInt(computeBilledMs(w.durationMs, w.granularityMs));
  const provisioned = BigInt(w.provisionedRequests ?? 0);
  const onDemand = BigInt(w.requests) - provisioned;
  const initBilled = w.coldStarts && w.initMs ? BigInt(w.coldStarts) * BigInt(computeBilledMs(w.initMs, w.granularityMs)) : 0n;
  return {
    architecture: w.architecture,
    memoryMb: w.memoryMb,
    ephemeralMb: w.ephemeralMb,
    onDemandRequests: onDemand,
    onDemandBilledMs: onDemand * perRequest + initBilled,
    provisionedRequests: provisioned,
    provisionedBilledMs: provisioned * perRequest,
    provisionedWindows: w.provisionedWindows ?? [],
  };
}

/** A provisioned window is billed in whole multiples of 5 minutes, rounded up. */
export function roundProvisionedSeconds(seconds: number): number {
  if (!(seconds > 0)) return 0;
  return Math.ceil(seconds / PROVISIONED_ROUNDING_SECONDS) * PROVISIONED_ROUNDING_SECONDS;
}

function gbSeconds(billedMs: bigint, memoryMb: number): Decimal {
  return Decimal.of(billedMs).mul(memoryMb).divExact(MB_MS_PER_GB_SECOND);
}

/** Money as scripts want it: JSON numbers (not rounded) plus the exact decimal strings. */
/** What a priced period looks like in JSON: the contract's SimulatorCost, one definition for engine and UI. */
export type CostJson = SimulatorCost;

export function costToJson(cost: CostBreakdown): CostJson {
  const parts = ['requestCharge', 'computeCharge', 'ephemeralCharge', 'provisionedCharge', 'total'] as const;
  const pick = (f: (d: Decimal) => string) =>
    Object.fromEntries(parts.map((p) => [p, f(cost[p])])) as Record<(typeof parts)[number], string>;
  const d = cost.detail;
  return {
    requestCharge: cost.requestCharge.toNumber(),
    computeCharge: cost.computeCharge.toNumber(),
    ephemeralCharge: cost.ephemeralCharge.toNumber(),
    provisionedCharge: cost.provisionedCharge.toNumber(),
    total: cost.total.toNumber(),
    exact: pick((x) => x.toString()),
    cents: pick((x) => x.toFixed(2)),
    usage: {
      requests: Number(d.requests),
      billableRequests: Number(d.billableRequests),
      onDemandGbSeconds: d.onDemandGbSeconds.toNumber(),
      billableGbSeconds: d.billableGbSeconds.toNumber(),
      ephemeralGbSeconds: d.ephemeralGbSeconds.toNumber(),
      provisionedConfiguredGbSeconds: d.provisionedConfiguredGbSeconds.toNumber(),
      provisionedDurationGbSeconds: d.provisionedDurationGbSeconds.toNumber(),
      tiers: d.tiers.map((t) => ({ gbSeconds: t.gbSeconds.toNumber(), pricePerGbSecond: t.pricePerGbSecond.toString(), charge: t.charge.toNumber() })),
    },
  };
}
