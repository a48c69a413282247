import { z } from 'zod';
import { PRICED_REGIONS } from './pricing-tables.ts';
import { bool, list, num, obj, oneOf, tagged, text } from './schema-words.ts';

/**
 * The simulator's scenario: a JSON file users write by hand (`lambdadesk simulate`), the UI
 * saves under `.lambdadesk/`, and calibration builds from recorded invocations. Every default
 * is AWS's behaviour; `z.output` is the fully defaulted form the simulator runs.
 */

const ms = (unit = 'ms') => num({ min: 0, unit });
const positiveMs = (unit = 'ms') => num({ above: 0, unit });

const fixedDist = obj({ type: z.literal('fixed'), ms: ms() });
const exponentialDist = obj({ type: z.literal('exponential'), meanMs: positiveMs() });
const lognormalDist = obj({
  type: z.literal('lognormal'),
  medianMs: positiveMs().optional(),
  meanMs: positiveMs().optional(),
  sigma: num({ min: 0, max: 10, unit: 'standard deviation of ln(duration)' }),
});
const normalDist = obj({ type: z.literal('normal'), meanMs: ms(), stdDevMs: ms() });
const empiricalDist = obj({
  type: z.literal('empirical'),
  samplesMs: list(ms(), 'durations in ms', 1),
});

export const DISTRIBUTION_TYPES = ['fixed', 'exponential', 'lognormal', 'normal', 'empirical'] as const;
export const distributionSchema = tagged(
  [fixedDist, exponentialDist, lognormalDist, normalDist, empiricalDist],
  DISTRIBUTION_TYPES,
  'a duration distribution',
).superRefine((d, ctx) => {
  if (d.type === 'lognormal' && (d.medianMs === undefined) === (d.meanMs === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['medianMs'], message: 'give exactly one of medianMs or meanMs, with sigma' });
  }
});

const serviceSchema = obj({
  warm: distributionSchema,
  cold: distributionSchema.optional(),
  init: distributionSchema.optional(),
}).superRefine((s, ctx) => {
  if ((s.cold === undefined) === (s.init === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['cold'],
      message:
        'give exactly one of cold (the whole service time of a cold request) or init (init time, added to a warm draw)',
    });
  }
});

const traceArrivals = obj({
  type: z.literal('trace'),
  /** Path relative to the scenario file; loading the scenario turns it into timesMs or countsPerMinute. */
  file: text('path of the trace, relative to the scenario file').optional(),
  format: oneOf(['timestamps', 'azure-2019']).default('timestamps'),
  /** Unit of a timestamps file. */
  timeUnit: oneOf(['ms', 's']).default('ms'),
  /** Timestamps file: which CSV column (0-based index or header name). */
  column: z.union([num({ min: 0, integer: true }), text('column name')]).default(0),
  /** Azure 2019 file: the HashFunction of the row to replay; default the first row. */
  functionHash: text('HashFunction of the Azure row').optional(),
  timesMs: list(ms(), 'arrival times in ms from the start').optional(),
  countsPerMinute: list(num({ min: 0, integer: true, unit: 'invocations' }), 'invocations per minute').optional(),
  /** Play the trace this many times faster (2 halves every gap). */
  speedup: num({ above: 0 }).default(1),
});

export const ARRIVAL_TYPES = ['poisson', 'constant', 'piecewise', 'diurnal', 'bursts', 'trace'] as const;
const arrivalsSchema = tagged(
  [
    obj({ type: z.literal('poisson'), ratePerSecond: num({ above: 0, unit: 'requests per second' }) }),
    obj({ type: z.literal('constant'), ratePerSecond: num({ above: 0, unit: 'requests per second' }) }),
    obj({
      type: z.literal('piecewise'),
      segments: list(
        obj({
          durationSeconds: num({ above: 0, unit: 'seconds' }),
          ratePerSecond: num({ min: 0, unit: 'requests per second' }),
        }),
        '{durationSeconds, ratePerSecond} segments',
        1,
      ),
      repeat: bool().default(true),
    }),
    obj({
      type: z.literal('diurnal'),
      meanRatePerSecond: num({ above: 0, unit: 'requests per second' }),
      amplitude: num({ min: 0, max: 1, unit: 'share of the mean rate' }).default(0.5),
      periodSeconds: num({ above: 0, unit: 'seconds' }).default(86_400),
      peakAtSeconds: num({ min: 0, unit: 'seconds into the period' }).default(50_400),
    }),
    obj({
      type: z.literal('bursts'),
      baseRatePerSecond: num({ min: 0, unit: 'requests per second between bursts' }).default(0),
      burstSize: num({ min: 1, integer: true, unit: 'requests per burst' }),
      everySeconds: num({ above: 0, unit: 'seconds between bursts' }),
      spreadMs: num({ min: 0, unit: 'ms over which one burst arrives' }).default(0),
      firstAtSeconds: num({ min: 0, unit: 'seconds' }).default(0),
    }),
    traceArrivals,
  ],
  ARRIVAL_TYPES,
  'an arrival process',
).superRefine((a, ctx) => {
  if (a.type === 'piecewise' && !a.segments.some((s) => s.ratePerSecond > 0)) {
    ctx.addIssue({ code: 'custom', path: ['segments'], message: 'at least one segment must have a ratePerSecond above 0' });
  }
  if (a.type === 'bursts' && a.spreadMs > a.everySeconds * 1000) {
    ctx.addIssue({ code: 'custom', path: ['spreadMs'], message: `must be at most everySeconds × 1000 (${a.everySeconds * 1000} ms), so bursts do not overlap` });
  }
  if (a.type === 'trace') {
    const sources = [a.file, a.timesMs, a.countsPerMinute].filter((s) => s !== undefined).length;
    if (sources !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['file'],
        message: 'give exactly one of file (a CSV), timesMs (arrival times) or countsPerMinute (invocations per minute)',
      });
    }
  }
});

export const KEEP_ALIVE_TYPES = ['fixed', 'none', 'hybrid'] as const;
const keepAliveSchema = tagged(
  [
    obj({
      type: z.literal('fixed'),
      idleSeconds: num({ min: 0, unit: 'seconds after a request ends' }).default(600),
      /** Uniform extra idle time per instance, [0, jitterSeconds); ~40 s matches measurements. */
      jitterSeconds: num({ min: 0, unit: 'seconds' }).default(0),
      /** AWS recycles environments after some hours even when busy. */
      maxLifeHours: num({ above: 0, unit: 'hours' }).optional(),
    }),
    obj({ type: z.literal('none') }),
    obj({
      type: z.literal('hybrid'),
      rangeMinutes: num({ min: 2, max: 10_080, integer: true, unit: 'minutes of idle-time histogram' }).default(240),
      headPercentile: num({ min: 0, max: 100, unit: 'percentile' }).default(5),
      tailPercentile: num({ min: 0, max: 100, unit: 'percentile' }).default(99),
      marginPercent: num({ min: 0, max: 100, unit: 'percent' }).default(10),
      minSamples: num({ min: 1, integer: true, unit: 'idle times before the histogram is trusted' }).default(10),
      cvThreshold: num({ min: 0, unit: 'coefficient of variation of the bin counts' }).default(2),
      outOfRangeShare: num({ min: 0, max: 1, unit: 'share of idle times beyond the range' }).default(0.5),
      forecastMarginPercent: num({ min: 0, max: 100, unit: 'percent' }).default(15),
    }),
  ],
  KEEP_ALIVE_TYPES,
  'a keep-alive policy',
).superRefine((k, ctx) => {
  if (k.type === 'hybrid' && k.headPercentile >= k.tailPercentile) {
    ctx.addIssue({ code: 'custom', path: ['headPercentile'], message: 'must be below tailPercentile' });
  }
});

const retrySchema = obj({
  /** Retries after a 429; the AWS SDK's standard mode makes 3 attempts (2 retries). */
  maxRetries: num({ min: 0, max: 100, integer: true }).default(2),
  /** Full-jitter exponential backoff, as the AWS SDK: uniform in [0, min(cap, base × 2^attempt)). */
  baseDelayMs: positiveMs().default(100),
  maxDelayMs: positiveMs().default(20_000),
});

const concurrencySchema = obj({
  max: num({ min: 1, max: 1_000_000, integer: true, unit: 'concurrent requests' }).default(1000),
  onLimit: oneOf(['reject', 'throttle']).default('reject'),
  retry: retrySchema.prefault({}),
  /** AWS's per-function scaling rate: 1,000 new environments per 10 s, refilled continuously. */
  scalingLimit: z
    .union([
      bool(),
      obj({
        environments: num({ min: 1, integer: true, unit: 'new environments' }).default(1000),
        perSeconds: num({ above: 0, unit: 'seconds' }).default(10),
      }),
    ], { error: 'must be true, false or {environments, perSeconds}' })
    .default(false),
});

const provisionedSchema = obj({
  concurrency: num({ min: 0, max: 1_000_000, integer: true, unit: 'environments' }).optional(),
  schedule: list(
    obj({
      atSeconds: num({ min: 0, unit: 'seconds from the start (or from the start of each repeat)' }),
      concurrency: num({ min: 0, max: 1_000_000, integer: true, unit: 'environments' }),
    }),
    '{atSeconds, concurrency} steps',
    1,
  ).optional(),
  repeatEverySeconds: num({ above: 0, unit: 'seconds' }).optional(),
}).superRefine((p, ctx) => {
  if ((p.concurrency === undefined) === (p.schedule === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['concurrency'], message: 'give exactly one of concurrency (fixed) or schedule (steps)' });
  }
  p.schedule?.forEach((step, i) => {
    const previous = p.schedule?.[i - 1];
    if (previous && step.atSeconds <= previous.atSeconds) {
      ctx.addIssue({ code: 'custom', path: ['schedule', i, 'atSeconds'], message: `must be after step ${i - 1} (${previous.atSeconds} s)` });
    }
    if (p.repeatEverySeconds !== undefined && step.atSeconds >= p.repeatEverySeconds) {
      ctx.addIssue({ code: 'custom', path: ['schedule', i, 'atSeconds'], message: `must be below repeatEverySeconds (${p.repeatEverySeconds})` });
    }
  });
  if (p.repeatEverySeconds !== undefined && p.schedule === undefined) {
    ctx.addIssue({ code: 'custom', path: ['repeatEverySeconds'], message: 'only applies to a schedule' });
  }
});

const freeTierSchema = z
  .union(
    [
      bool(),
      obj({ requests: bool(), compute: bool(), storage: bool().default(false) }),
    ],
    { error: 'must be true (requests and compute, as AWS), false, or {requests, compute, storage}' },
  )
  .default(false);

const pricingSchema = obj({
  region: oneOf(PRICED_REGIONS as [string, ...string[]]).default('us-east-1'),
  freeTier: freeTierSchema,
  granularityMs: z.union([z.literal(1), z.literal(100)], { error: 'must be 1 (AWS since 2020) or 100 (legacy)' }).default(1),
  /** AWS bills the init phase of on-demand ZIP functions on managed runtimes since 1 August 2025. */
  billInit: bool().default(true),
});

export const scenarioSchema = obj({
  name: text('a label for reports').optional(),
  function: obj({
    memoryMb: num({ min: 128, max: 10_240, integer: true, unit: 'MB' }).default(128),
    architecture: oneOf(['x86_64', 'arm64']).default('x86_64'),
    ephemeralMb: num({ min: 512, max: 10_240, integer: true, unit: 'MB' }).default(512),
    timeoutSeconds: num({ above: 0, max: 900, unit: 'seconds' }).default(900),
  }).prefault({}),
  arrivals: arrivalsSchema,
  service: serviceSchema,
  keepAlive: keepAliveSchema.prefault({ type: 'fixed' }),
  /** Newest idle first is AWS's behaviour: older environments get to expire. */
  routing: oneOf(['newest', 'oldest']).default('newest'),
  concurrency: concurrencySchema.prefault({}),
  provisioned: provisionedSchema.optional(),
  /** Default: one day, or the length of a trace. */
  horizonSeconds: num({ above: 0, max: 400_000_000, unit: 'seconds' }).optional(),
  /** Statistics ignore what arrives before this, so a run can start from a warmed-up state. */
  warmupSeconds: num({ min: 0, unit: 'seconds' }).default(0),
  seed: num({ min: 0, max: 4_294_967_295, integer: true }).default(1),
  pricing: pricingSchema.prefault({}),
  timeSeries: obj({ binSeconds: num({ min: 1, unit: 'seconds per point' }).default(60) }).prefault({}),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type DistributionSpec = z.output<typeof distributionSchema>;
export type ArrivalSpec = Scenario['arrivals'];
export type KeepAliveSpec = Scenario['keepAlive'];
export type ServiceSpec = Scenario['service'];
export type ProvisionedSpec = NonNullable<Scenario['provisioned']>;
