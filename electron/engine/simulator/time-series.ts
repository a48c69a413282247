/**
 * Per-bin series for charts (per minute by default), in memory proportional to the number of
 * bins, never to the number of requests.
 *
 * The simulation moves through time in order, so counts go to the current bin and a request
 * that ends within it adds its duration to the bin's running time: a compare and an add. A
 * request that crosses into later bins, and an environment's whole life (environments end out
 * of order: an expiry is noticed at the next arrival), are added as spans instead: a bin keeps
 * the net number of spans opened in it and their offsets into it, which one prefix sum turns
 * into each bin's integral.
 */
export class TimeSeries {
  readonly bins: number;
  readonly invocations: Float64Array;
  readonly coldStarts: Float64Array;
  readonly rejections: Float64Array;
  readonly peakRunning: Float64Array;
  /** Running time of requests that start and end within one bin, in ms. */
  readonly runningMs: Float64Array;
  /** The bin the simulation's clock is in. */
  current = 0;
  /** Where the current bin ends: a float64 slot, as a field would change representation past 2^30 ms. */
  private readonly edge = new Float64Array(1);
  private readonly binMs: number;
  private readonly perBinMs: number;
  private readonly runningSpans: Spans;
  private readonly instanceSpans: Spans;

  constructor(
    private readonly endMs: number,
    readonly binSeconds: number,
  ) {
    this.binMs = binSeconds * 1000;
    this.perBinMs = 1 / this.binMs;
    this.bins = Math.max(1, Math.ceil(endMs / this.binMs));
    this.invocations = new Float64Array(this.bins);
    this.coldStarts = new Float64Array(this.bins);
    this.rejections = new Float64Array(this.bins);
    this.peakRunning = new Float64Array(this.bins);
    this.runningMs = new Float64Array(this.bins);
    this.runningSpans = { open: new Float64Array(this.bins + 1), offset: new Float64Array(this.bins + 1) };
    this.instanceSpans = { open: new Float64Array(this.bins + 1), offset: new Float64Array(this.bins + 1) };
    this.edge[0] = Math.min(this.binMs, endMs);
  }

  /** Where the current bin ends: callers may skip `advance` for earlier times. */
  get binEndMs(): number {
    return this.edge[0] as number;
  }

  /** Moves the clock to `t` (never backwards); `running` requests are in flight at that moment. */
  advance(t: number, running: number): void {
    if (t >= (this.edge[0] as number)) this.enter(t, running);
  }

  /** `advance` for a time at or past the bin's end: returns the new bin's end. */
  moveTo(t: number, running: number): number {
    this.enter(t, running);
    return this.edge[0] as number;
  }

  /** A request runs over [t, end) from the current bin. */
  addRequest(t: number, end: number, running: number): void {
    if (end <= (this.edge[0] as number)) this.runningMs[this.current] = (this.runningMs[this.current] as number) + (end - t);
    else this.addSpan(this.runningSpans, t, end);
    if (running > (this.peakRunning[this.current] as number)) this.peakRunning[this.current] = running;
  }

  addInstance(fromMs: number, toMs: number): void {
    this.addSpan(this.instanceSpans, fromMs, toMs);
  }

  /** Average running requests per bin (the last bin may be shorter than the others). */
  runningAverages(): Float64Array {
    const spans = this.integrate(this.runningSpans);
    return spans.map((integral, k) => (integral + (this.runningMs[k] as number)) / this.widthOf(k));
  }

  /** Average live environments per bin. */
  instanceAverages(): Float64Array {
    return this.integrate(this.instanceSpans).map((integral, k) => integral / this.widthOf(k));
  }

  private enter(t: number, running: number): void {
    while (t >= (this.edge[0] as number) && this.current < this.bins - 1) {
      this.current++;
      this.edge[0] = Math.min((this.current + 1) * this.binMs, this.endMs);
      // A bin starts with the requests already in flight.
      this.peakRunning[this.current] = running;
    }
    if (t >= (this.edge[0] as number)) this.edge[0] = Infinity;
  }

  private addSpan(spans: Spans, fromMs: number, toMs: number): void {
    const a = fromMs > 0 ? fromMs : 0;
    const b = toMs < this.endMs ? toMs : this.endMs;
    if (b <= a) return;
    const binA = Math.floor(a * this.perBinMs);
    spans.open[binA] = (spans.open[binA] as number) + 1;
    spans.offset[binA] = (spans.offset[binA] as number) + (a - binA * this.binMs);
    if (b < this.endMs) {
      const binB = Math.floor(b * this.perBinMs);
      spans.open[binB] = (spans.open[binB] as number) - 1;
      spans.offset[binB] = (spans.offset[binB] as number) - (b - binB * this.binMs);
    }
  }

  /**
   * ∫ over bin k: each span opened in bin k counts from its offset on, each closed in it until
   * its offset, and each open before k counts fully; the stored offsets are signed for that.
   */
  private integrate(spans: Spans): Float64Array {
    const out = new Float64Array(this.bins);
    let openBefore = 0;
    for (let k = 0; k < this.bins; k++) {
      const here = spans.open[k] as number;
      out[k] = (openBefore + here) * this.widthOf(k) - (spans.offset[k] as number);
      openBefore += here;
    }
    return out;
  }

  private widthOf(k: number): number {
    return Math.min(this.binMs, this.endMs - k * this.binMs);
  }
}

interface Spans {
  open: Float64Array;
  offset: Float64Array;
}
