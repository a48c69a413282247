import type { Architecture } from '../contract.ts';

/**
 * AWS Lambda list prices per region, as decimal strings so that no binary float ever holds a
 * price. Source: shared/reference/pricing-and-cold-starts.md §1 (us-east-1; us-east-2 and
 * us-west-2 are identical). Regions whose full table is not published there are left out
 * rather than guessed.
 */
export interface DurationTier {
  /** GB-seconds a month this tier covers; undefined for the last, open-ended tier. */
  upToGbSeconds?: string;
  pricePerGbSecond: string;
}

export interface ArchitecturePrices {
  /** Monthly on-demand duration tiers, cheapest last; applied to the month's total GB-s. */
  durationTiers: DurationTier[];
  provisionedConfiguredPerGbSecond: string;
  provisionedDurationPerGbSecond: string;
}

export interface RegionPrices {
  requestPrice: string;
  ephemeralStoragePerGbSecond: string;
  architectures: Record<Architecture, ArchitecturePrices>;
}

export interface FreeTierAllowance {
  requests: string;
  gbSeconds: string;
}

/** Monthly and permanent, one pool for both architectures. */
export const FREE_TIER: FreeTierAllowance = { requests: '1000000', gbSeconds: '400000' };

/** Ephemeral storage up to this size is included in the price. */
export const FREE_EPHEMERAL_MB = 512;

/** Provisioned concurrency is billed per window rounded up to a multiple of this. */
export const PROVISIONED_ROUNDING_SECONDS = 300;

const US_STANDARD: RegionPrices = {
  requestPrice: '0.0000002',
  ephemeralStoragePerGbSecond: '0.0000000309',
  architectures: {
    x86_64: {
      durationTiers: [
        { upToGbSeconds: '6000000000', pricePerGbSecond: '0.0000166667' },
        { upToGbSeconds: '15000000000', pricePerGbSecond: '0.0000150000' },
        { pricePerGbSecond: '0.0000133334' },
      ],
      provisionedConfiguredPerGbSecond: '0.0000041667',
      provisionedDurationPerGbSecond: '0.0000097222',
    },
    arm64: {
      durationTiers: [
        { upToGbSeconds: '7500000000', pricePerGbSecond: '0.0000133334' },
        { upToGbSeconds: '18750000000', pricePerGbSecond: '0.0000120001' },
        { pricePerGbSecond: '0.0000106667' },
      ],
      // From secondary sources that agree with each other; AWS's page does not print them.
      provisionedConfiguredPerGbSecond: '0.0000033334',
      provisionedDurationPerGbSecond: '0.0000077778',
    },
  },
};

export const REGION_PRICES = {
  'us-east-1': US_STANDARD,
  'us-east-2': US_STANDARD,
  'us-west-2': US_STANDARD,
} as const satisfies Record<string, RegionPrices>;

export type PricedRegion = keyof typeof REGION_PRICES;
export const PRICED_REGIONS = Object.keys(REGION_PRICES) as PricedRegion[];
