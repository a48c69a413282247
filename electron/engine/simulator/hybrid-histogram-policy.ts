import type { KeepAlivePolicy } from './keep-alive-policy.ts';
import type { KeepAliveSpec } from './scenario-schema.ts';

type HybridSpec = Extract<KeepAliveSpec, { type: 'hybrid' }>;

const MINUTE_MS = 60_000;
/** Weight of the newest idle time in the forecast of out-of-range idle times. */
const FORECAST_WEIGHT = 0.3;

/**
 * The hybrid histogram policy of "Serverless in the Wild" (Shahrad et al., ATC 2020): idle
 * times (nothing running until the next request) go into 1-minute bins over a range (4 h).
 * - Representative histogram: unload after the request, load again at the head percentile
 *   (5th) less a margin, and keep until the tail percentile (99th) plus a margin.
 * - Too few idle times, or bin counts too even (CV below the threshold): keep alive for the
 *   whole range, as the paper's fallback.
 * - Mostly idle times beyond the range: pre-warm around a forecast of the next one, with a 15 %
 *   margin each side. The paper forecasts with ARIMA; an exponentially weighted mean of the
 *   out-of-range idle times stands in for it here.
 */
export class HybridHistogramPolicy implements KeepAlivePolicy {
  prewarmMs = 0;
  keepAliveMs: number;
  readonly constant = false;
  readonly observesIdleTimes = true;
  private readonly bins: Float64Array;
  private inRange = 0;
  private outOfRange = 0;
  private forecastMs = 0;
  private dirty = false;

  constructor(private readonly spec: HybridSpec) {
    this.bins = new Float64Array(spec.rangeMinutes);
    this.keepAliveMs = spec.rangeMinutes * MINUTE_MS;
  }

  observeIdle(idleMs: number): void {
    const minute = Math.floor(idleMs / MINUTE_MS);
    if (minute < this.bins.length) {
      this.bins[minute] = (this.bins[minute] as number) + 1;
      this.inRange++;
    } else {
      this.forecastMs = this.outOfRange === 0 ? idleMs : FORECAST_WEIGHT * idleMs + (1 - FORECAST_WEIGHT) * this.forecastMs;
      this.outOfRange++;
    }
    this.dirty = true;
  }

  decide(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const { spec } = this;
    const total = this.inRange + this.outOfRange;
    const fallback = () => {
      this.prewarmMs = 0;
      this.keepAliveMs = spec.rangeMinutes * MINUTE_MS;
    };
    if (total < spec.minSamples) return fallback();
    if (this.outOfRange / total > spec.outOfRangeShare) {
      const margin = spec.forecastMarginPercent / 100;
      this.prewarmMs = this.forecastMs * (1 - margin);
      this.keepAliveMs = this.forecastMs * 2 * margin;
      return;
    }
    if (this.binCountCv() < spec.cvThreshold) return fallback();
    const margin = spec.marginPercent / 100;
    const headMinute = this.percentileBin(spec.headPercentile);
    const tailMinute = this.percentileBin(spec.tailPercentile) + 1;
    this.prewarmMs = headMinute * MINUTE_MS * (1 - margin);
    this.keepAliveMs = tailMinute * MINUTE_MS * (1 + margin) - this.prewarmMs;
  }

  /** Coefficient of variation of the bin counts: high when idle times cluster (predictable). */
  private binCountCv(): number {
    const n = this.bins.length;
    const mean = this.inRange / n;
    if (mean === 0) return 0;
    let squares = 0;
    for (let i = 0; i < n; i++) squares += ((this.bins[i] as number) - mean) ** 2;
    return Math.sqrt(squares / n) / mean;
  }

  /** The bin (minute) holding the p-th percentile of in-range idle times. */
  private percentileBin(percentile: number): number {
    const rank = Math.max(1, Math.ceil((percentile / 100) * this.inRange));
    let seen = 0;
    for (let i = 0; i < this.bins.length; i++) {
      seen += this.bins[i] as number;
      if (seen >= rank) return i;
    }
    return this.bins.length - 1;
  }
}
