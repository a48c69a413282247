import { parseArgs } from 'node:util';
import type { Architecture } from '../../engine/contract.ts';
import {
  AWS_FREE_TIER,
  NO_FREE_TIER,
  costToJson,
  priceUsage,
  usageOfUniformRequests,
  type CostBreakdown,
  type GranularityMs,
} from '../../engine/simulator/billing.ts';
import { formatUsd } from '../../engine/simulator/decimal.ts';
import { PRICED_REGIONS, type PricedRegion } from '../../engine/simulator/pricing-tables.ts';
import { describeNumber, type NumberRule } from '../../engine/simulator/schema-words.ts';
import { type CliCommand, UsageError, writeLine } from '../cli-io.ts';

const USAGE = `Usage: lambdadesk cost --memory-mb N --requests N --duration-ms X [OPTIONS]

What a month of Lambda invocations costs, to the cent (exact decimals, rounded half-up only
for display). Prices: ${PRICED_REGIONS.join(', ')}.

Options:
  --memory-mb N              configured memory, 128–10240 (required)
  --requests N               invocations in the month (required)
  --duration-ms X            measured duration of one invocation; billed rounded up (required)
  --architecture A           x86_64 (default) or arm64
  --free-tier                subtract the monthly free tier from requests and compute (as AWS)
  --free-tier-storage        also subtract it from ephemeral-storage GB-s (AWS does not)
  --ephemeral-mb N           ephemeral storage, 512 (default, free) to 10240
  --granularity-ms 1|100     billing granularity: 1 (default, AWS since 2020) or 100 (legacy)
  --region R                 ${PRICED_REGIONS.join(', ')} (default us-east-1)
  --cold-starts N            of the requests, how many were cold and also pay --init-ms
  --init-ms X                init duration billed on each cold start
  --provisioned-concurrency N  provisioned environments kept warm
  --provisioned-hours H      how long they were configured (default 730, a month)
  --provisioned-requests N   of the requests, how many they served (PC duration price)
  --json                     one JSON object: requestCharge, computeCharge, ephemeralCharge,
                             provisionedCharge, total (USD numbers, not rounded), plus exact
                             decimal strings, cents and usage

Example: lambdadesk cost --memory-mb 1536 --requests 3000000 --duration-ms 120 --free-tier`;

export const costCommand: CliCommand = {
  summary: 'What a month of invocations costs (AWS list prices, exact to the cent)',
  usage: USAGE,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        'memory-mb': { type: 'string' },
        requests: { type: 'string' },
        'duration-ms': { type: 'string' },
        architecture: { type: 'string', default: 'x86_64' },
        'free-tier': { type: 'boolean', default: false },
        'free-tier-storage': { type: 'boolean', default: false },
        'ephemeral-mb': { type: 'string', default: '512' },
        'granularity-ms': { type: 'string', default: '1' },
        region: { type: 'string', default: 'us-east-1' },
        'cold-starts': { type: 'string', default: '0' },
        'init-ms': { type: 'string', default: '0' },
        'provisioned-concurrency': { type: 'string', default: '0' },
        'provisioned-hours': { type: 'string', default: '730' },
        'provisioned-requests': { type: 'string', default: '0' },
        json: { type: 'boolean', default: false },
      },
    });
    const memoryMb = numberOption(values, 'memory-mb', { min: 128, max: 10_240, integer: true, unit: 'MB' });
    const requests = numberOption(values, 'requests', { min: 0, integer: true, unit: 'invocations' });
    const durationMs = numberOption(values, 'duration-ms', { min: 0, unit: 'ms' });
    const ephemeralMb = numberOption(values, 'ephemeral-mb', { min: 512, max: 10_240, integer: true, unit: 'MB' });
    const coldStarts = numberOption(values, 'cold-starts', { min: 0, max: requests, integer: true, unit: 'of --requests' });
    const initMs = numberOption(values, 'init-ms', { min: 0, unit: 'ms' });
    const provisionedConcurrency = numberOption(values, 'provisioned-concurrency', { min: 0, integer: true, unit: 'environments' });
    const provisionedHours = numberOption(values, 'provisioned-hours', { min: 0, unit: 'hours' });
    const provisionedRequests = numberOption(values, 'provisioned-requests', { min: 0, max: requests, integer: true, unit: 'of --requests' });
    const architecture = choice(values, 'architecture', ['x86_64', 'arm64']) as Architecture;
    const granularityMs = Number(choice(values, 'granularity-ms', ['1', '100'])) as GranularityMs;
    const region = choice(values, 'region', PRICED_REGIONS) as PricedRegion;
    if (provisionedRequests > 0 && provisionedConcurrency === 0) {
      throw new UsageError('--provisioned-requests needs --provisioned-concurrency above 0: only provisioned environments serve at the PC price.');
    }

    const freeTier = values['free-tier'] ? { ...AWS_FREE_TIER, storage: values['free-tier-storage'] } : { ...NO_FREE_TIER, storage: values['free-tier-storage'] };
    const usage = usageOfUniformRequests({
      architecture,
      memoryMb,
      ephemeralMb,
      requests,
      durationMs,
      granularityMs,
      coldStarts,
      initMs,
      provisionedRequests,
      provisionedWindows: provisionedConcurrency > 0 ? [{ concurrency: provisionedConcurrency, seconds: provisionedHours * 3600 }] : [],
    });
    const cost = priceUsage(usage, { region, freeTier });
    if (values.json) {
      writeLine(io.stdout, JSON.stringify({ ...costToJson(cost), inputs: { architecture, region, memoryMb, requests, durationMs, ephemeralMb, granularityMs, freeTier, coldStarts, initMs, provisionedConcurrency, provisionedHours, provisionedRequests } }));
      return 0;
    }
    writeLine(io.stdout, formatCost(cost, { architecture, memoryMb, region, freeTier: values['free-tier'], storageFree: values['free-tier-storage'] }));
    return 0;
  },
};

type Values = Record<string, string | boolean | undefined>;

function numberOption(values: Values, name: string, rule: NumberRule): number {
  const raw = values[name];
  if (raw === undefined) throw new UsageError(`--${name} is required: ${describeNumber(rule)}.`);
  const n = Number(raw);
  const ok =
    String(raw).trim() !== '' &&
    Number.isFinite(n) &&
    (!rule.integer || Number.isInteger(n)) &&
    (rule.min === undefined || n >= rule.min) &&
    (rule.max === undefined || n <= rule.max);
  if (!ok) throw new UsageError(`--${name} must be ${describeNumber(rule)}; got '${String(raw)}'.`);
  return n;
}

function choice(values: Values, name: string, allowed: readonly string[]): string {
  const raw = String(values[name]);
  if (!allowed.includes(raw)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}; got '${raw}'.`);
  return raw;
}

function formatCost(
  cost: CostBreakdown,
  ctx: { architecture: string; memoryMb: number; region: string; freeTier: boolean; storageFree: boolean },
): string {
  const d = cost.detail;
  const n = (x: bigint | number) => x.toLocaleString('en-US');
  const gbs = (x: { toFixed(places: number): string }) => Number(x.toFixed(3)).toLocaleString('en-US', { maximumFractionDigits: 3 });
  const free = ctx.freeTier ? (ctx.storageFree ? 'requests, compute and storage' : 'requests and compute') : ctx.storageFree ? 'storage only' : 'not applied';
  const rows: [string, string, string][] = [
    ['Requests', `${n(d.requests)} (${n(d.billableRequests)} billable)`, formatUsd(cost.requestCharge)],
    ['Compute', `${gbs(d.onDemandGbSeconds)} GB-s (${gbs(d.billableGbSeconds)} billable)`, formatUsd(cost.computeCharge)],
    ['Ephemeral storage', `${gbs(d.billableEphemeralGbSeconds)} GB-s billable`, formatUsd(cost.ephemeralCharge)],
    ['Provisioned', `${gbs(d.provisionedConfiguredGbSeconds)} GB-s configured, ${gbs(d.provisionedDurationGbSeconds)} GB-s used`, formatUsd(cost.provisionedCharge)],
  ];
  const width = Math.max(...rows.map((r) => r[1].length));
  return [
    `Monthly cost: ${ctx.architecture}, ${ctx.memoryMb} MB, ${ctx.region} (free tier: ${free})`,
    ...rows.map(([label, what, usd]) => `  ${label.padEnd(18)} ${what.padEnd(width)}  ${usd.padStart(12)}`),
    `  ${'Total'.padEnd(18)} ${''.padEnd(width)}  ${formatUsd(cost.total).padStart(12)}`,
    `Exact total ${cost.total.toString()} USD; amounts are rounded half-up to cents only for display.`,
  ].join('\n');
}
