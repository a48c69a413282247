const SUB_BITS = 8;
const SUB_HALF = 1 << (SUB_BITS - 1);
const TICKS_PER_MS = 16;
const MAX_TICKS = 0x7fffffff;
const BUCKETS = (31 - SUB_BITS + 1) * SUB_HALF + (1 << SUB_BITS);

/**
 * Latency percentiles in fixed memory (about 26 KB, whatever the number of requests): a
 * log-linear histogram in the style of HdrHistogram. Values are counted in 1/16 ms ticks with
 * 128–256 linear sub-buckets per power of two, so a reported percentile is within 0.4 % of
 * the exact one (0.03 ms below 16 ms). Mean, minimum and maximum are exact.
 */
export class LatencyHistogram {
  /**
   * Count, sum, min and max as float64 slots rather than fields: a field that starts as a small
   * integer and later holds fractions can end up boxed, one allocation per recorded value.
   */
  private readonly stats = Float64Array.of(0, 0, Infinity, 0);
  private readonly counts = new Float64Array(BUCKETS);

  get count(): number {
    return this.stats[0] as number;
  }
  get sumMs(): number {
    return this.stats[1] as number;
  }
  get minMs(): number {
    return this.stats[2] as number;
  }
  get maxMs(): number {
    return this.stats[3] as number;
  }
  get meanMs(): number {
    return this.count > 0 ? this.sumMs / this.count : 0;
  }

  record(ms: number): void {
    const stats = this.stats;
    stats[0] = (stats[0] as number) + 1;
    stats[1] = (stats[1] as number) + ms;
    if (ms < (stats[2] as number)) stats[2] = ms;
    if (ms > (stats[3] as number)) stats[3] = ms;
    const scaled = ms * TICKS_PER_MS;
    const ticks = scaled < MAX_TICKS ? scaled | 0 : MAX_TICKS;
    const bucket = bucketOf(ticks);
    this.counts[bucket] = (this.counts[bucket] as number) + 1;
  }

  /** Adds another histogram's counts (batches of runs). */
  merge(other: LatencyHistogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i] = (this.counts[i] as number) + (other.counts[i] as number);
    this.stats[0] = this.count + other.count;
    this.stats[1] = this.sumMs + other.sumMs;
    this.stats[2] = Math.min(this.minMs, other.minMs);
    this.stats[3] = Math.max(this.maxMs, other.maxMs);
  }

  /** The q-quantile (0–1) by nearest rank, as the middle of its bucket clamped to [min, max]. */
  quantileMs(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i] as number;
      if (seen >= rank) return Math.min(this.maxMs, Math.max(this.minMs, bucketMiddleMs(i)));
    }
    return this.maxMs;
  }
}

function bucketOf(ticks: number): number {
  if (ticks < 1 << SUB_BITS) return ticks;
  const shift = 31 - Math.clz32(ticks) - (SUB_BITS - 1);
  return shift * SUB_HALF + (ticks >>> shift);
}

function bucketMiddleMs(index: number): number {
  if (index < 1 << SUB_BITS) return (index + 0.5) / TICKS_PER_MS;
  const shift = (index >> (SUB_BITS - 1)) - 1;
  const mantissa = index - shift * SUB_HALF;
  return (mantissa * 2 ** shift + 2 ** shift / 2) / TICKS_PER_MS;
}
