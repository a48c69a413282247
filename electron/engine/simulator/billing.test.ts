import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import {
  AWS_FREE_TIER,
  NO_FREE_TIER,
  computeBilledMs,
  costToJson,
  priceUsage,
  roundProvisionedSeconds,
  usageOfUniformRequests,
  type FreeTierSwitches,
  type UniformWorkload,
} from './billing.ts';
import { REGION_PRICES } from './pricing-tables.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const pricingReference = path.resolve(repoRoot, '../shared/reference/pricing-and-cold-starts.md');

function price(workload: Partial<UniformWorkload> & Pick<UniformWorkload, 'memoryMb' | 'requests' | 'durationMs'>, freeTier: FreeTierSwitches) {
  const usage = usageOfUniformRequests({ architecture: 'x86_64', ephemeralMb: 512, granularityMs: 1, ...workload });
  return priceUsage(usage, { region: 'us-east-1', freeTier });
}

describe("AWS's published pricing examples, to the cent, with the free tier as each example sets it", () => {
  test('P1: 1,536 MB, 3 M requests of 120 ms, free tier applied: $2.73', () => {
    const cost = price({ memoryMb: 1536, requests: 3_000_000, durationMs: 120 }, AWS_FREE_TIER);
    expect(cost.detail.onDemandGbSeconds.toString()).toBe('540000');
    expect(cost.detail.billableGbSeconds.toString()).toBe('140000');
    expect(cost.computeCharge.toString()).toBe('2.333338');
    expect(cost.computeCharge.toFixed(2)).toBe('2.33');
    expect(cost.requestCharge.toFixed(2)).toBe('0.40');
    expect(cost.total.toFixed(2)).toBe('2.73');
  });

  test('P2: 1,024 MB, 7.44 M requests of 2 s, no free tier: $249.49', () => {
    const cost = price({ memoryMb: 1024, requests: 7_440_000, durationMs: 2000 }, NO_FREE_TIER);
    expect(cost.detail.onDemandGbSeconds.toString()).toBe('14880000');
    expect(cost.computeCharge.toString()).toBe('248.000496');
    expect(cost.requestCharge.toString()).toBe('1.488');
    expect(cost.requestCharge.toFixed(2)).toBe('1.49');
    expect(cost.total.toFixed(2)).toBe('249.49');
  });

  test('P3: 4,096 MB, 6 M requests of 280 ms, 2,048 MB storage; free tier on compute and requests, not storage: $106.41', () => {
    const cost = price({ memoryMb: 4096, requests: 6_000_000, durationMs: 280, ephemeralMb: 2048 }, { requests: true, compute: true, storage: false });
    expect(cost.detail.billableGbSeconds.toString()).toBe('6320000');
    expect(cost.computeCharge.toString()).toBe('105.333544');
    expect(cost.requestCharge.toFixed(2)).toBe('1.00');
    expect(cost.detail.ephemeralGbSeconds.toString()).toBe('2520000');
    expect(cost.ephemeralCharge.toString()).toBe('0.077868');
    expect(cost.ephemeralCharge.toFixed(2)).toBe('0.08');
    expect(cost.total.toString()).toBe('106.411412');
    expect(cost.total.toFixed(2)).toBe('106.41');
  });

  test('the storage switch is separate: applying the free tier to storage too changes only storage', () => {
    const spared = price({ memoryMb: 4096, requests: 6_000_000, durationMs: 280, ephemeralMb: 2048 }, { requests: true, compute: true, storage: true });
    expect(spared.detail.billableEphemeralGbSeconds.toString()).toBe('2120000');
    expect(spared.computeCharge.toString()).toBe('105.333544');
  });
});

describe('rounding of single durations (P22–P25)', () => {
  test.each([
    ['P22', 5, 5, 100],
    ['P23', 385, 385, 400],
    ['P24', 46.12, 47, 100],
    ['P25', 123.02, 124, 200],
  ])('%s: %f ms is billed %i ms at 1 ms and %i ms at 100 ms', (_case, measured, oneMs, hundredMs) => {
    expect(computeBilledMs(measured, 1)).toBe(oneMs);
    expect(computeBilledMs(measured, 100)).toBe(hundredMs);
  });

  test('a cold start bills its init on top, each part rounded up', () => {
    const usage = usageOfUniformRequests({ architecture: 'x86_64', memoryMb: 1024, ephemeralMb: 512, requests: 10, durationMs: 46.12, granularityMs: 1, coldStarts: 2, initMs: 130.4 });
    expect(usage.onDemandBilledMs).toBe(10n * 47n + 2n * 131n);
  });
});

describe('tiers, provisioned concurrency and architectures', () => {
  test('x86 duration above 6 B GB-s a month moves to the cheaper tiers', () => {
    // 7,000 M requests × 1 s × 3 GB = 21 B GB-s: 6 B at tier 1, 9 B at tier 2, 6 B at tier 3.
    const cost = price({ memoryMb: 3072, requests: 7_000_000_000, durationMs: 1000 }, NO_FREE_TIER);
    expect(cost.detail.tiers.map((t) => t.gbSeconds.toString())).toEqual(['6000000000', '9000000000', '6000000000']);
    expect(cost.computeCharge.toString()).toBe('315000.6');
  });

  test('arm64 is priced from its own table', () => {
    const usage = usageOfUniformRequests({ architecture: 'arm64', memoryMb: 1024, ephemeralMb: 512, requests: 1_000_000, durationMs: 1000, granularityMs: 1 });
    const cost = priceUsage(usage, { region: 'us-east-1', freeTier: NO_FREE_TIER });
    expect(cost.computeCharge.toString()).toBe('13.3334');
  });

  test('provisioned concurrency: configured time rounds up to 5 minutes, served requests pay the PC duration price', () => {
    expect(roundProvisionedSeconds(1)).toBe(300);
    expect(roundProvisionedSeconds(300)).toBe(300);
    expect(roundProvisionedSeconds(301)).toBe(600);
    const cost = price(
      { memoryMb: 1024, requests: 1_000_000, durationMs: 100, provisionedRequests: 1_000_000, provisionedWindows: [{ concurrency: 10, seconds: 3601 }] },
      NO_FREE_TIER,
    );
    // 10 × 1 GB × 3,900 s × 0.0000041667 and 100,000 GB-s × 0.0000097222.
    expect(cost.detail.provisionedConfiguredCharge.toString()).toBe('0.1625013');
    expect(cost.detail.provisionedDurationCharge.toString()).toBe('0.97222');
    expect(cost.computeCharge.toString()).toBe('0');
    expect(cost.requestCharge.toString()).toBe('0.2');
  });

  test('JSON gives numbers for scripts and the exact decimal strings', () => {
    const json = costToJson(price({ memoryMb: 1536, requests: 3_000_000, durationMs: 120 }, AWS_FREE_TIER));
    expect(json.total).toBe(2.733338);
    expect(json.exact.total).toBe('2.733338');
    expect(json.cents.total).toBe('2.73');
  });
});

describe('the price tables agree with the pricing reference', () => {
  test.skipIf(!existsSync(pricingReference))('every x86_64 and arm64 price in §1 is in the us-east-1 table', () => {
    const text = readFileSync(pricingReference, 'utf8');
    const row = (label: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`| ${label}`));
      if (!line) throw new Error(`row '${label}' not found in ${pricingReference}`);
      return [...line.matchAll(/\$?(0\.\d+)/g)].map((m) => m[1]);
    };
    const us = REGION_PRICES['us-east-1'];
    expect(row('Duration, tier 1')).toEqual([us.architectures.x86_64.durationTiers[0]?.pricePerGbSecond, us.architectures.arm64.durationTiers[0]?.pricePerGbSecond]);
    expect(row('Duration, tier 2')).toEqual([us.architectures.x86_64.durationTiers[1]?.pricePerGbSecond, us.architectures.arm64.durationTiers[1]?.pricePerGbSecond]);
    expect(row('Duration, tier 3')).toEqual([us.architectures.x86_64.durationTiers[2]?.pricePerGbSecond, us.architectures.arm64.durationTiers[2]?.pricePerGbSecond]);
    expect(row('Provisioned Concurrency (PC), configured')).toEqual([us.architectures.x86_64.provisionedConfiguredPerGbSecond, us.architectures.arm64.provisionedConfiguredPerGbSecond]);
    expect(row('Duration of requests served by PC')).toEqual([us.architectures.x86_64.provisionedDurationPerGbSecond, us.architectures.arm64.provisionedDurationPerGbSecond]);
    expect(row('Ephemeral storage above 512 MB')).toEqual([us.ephemeralStoragePerGbSecond]);
    expect(row('Requests')).toContain(us.requestPrice);
  });
});

if (!existsSync(pricingReference)) console.warn(`skipping the reference price check: ${pricingReference} is absent`);
