/**
 * Plain SVG charts: the plot is drawn in a 1000 × 100 box stretched to its container (lines keep
 * their width with `vector-effect: non-scaling-stroke`), and labels are HTML placed in percent.
 */
export const PLOT_WIDTH = 1000;
export const PLOT_HEIGHT = 100;

export interface ChartSeries {
  label: string;
  values: readonly number[];
  kind: 'line' | 'area' | 'bars';
  /** A CSS colour, e.g. `var(--blue)`. */
  color: string;
  dashed?: boolean;
  /** Shown in the tooltip only: a per-minute peak zigzags too much to read as a line. */
  hidden?: boolean;
  format?: (value: number) => string;
}

/** An axis top above `max` that reads well (1, 2, 2.5, 5 × 10ⁿ) and its ticks from 0; whole steps for counts. */
export function niceScale(max: number, targetTicks = 4, integer = false): { top: number; ticks: number[] } {
  if (!(max > 0)) return { top: 1, ticks: [0, 1] };
  const rough = max / targetTicks;
  // Counts (requests, cold starts) step by whole numbers.
  const magnitude = Math.max(integer ? 1 : 0, 10 ** Math.floor(Math.log10(rough)));
  const factors = integer ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  const step = (factors.find((m) => m * magnitude >= rough) ?? 10) * magnitude;
  const top = Number((Math.ceil(max / step - 1e-9) * step).toPrecision(12));
  const ticks: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return { top, ticks };
}

/** x of bin i's centre, so a point sits in the middle of the minute it describes. */
export const binX = (i: number, bins: number): number => ((i + 0.5) / bins) * PLOT_WIDTH;
export const valueY = (v: number, top: number): number => PLOT_HEIGHT - (Math.max(0, v) / top) * PLOT_HEIGHT;

const f = (v: number): string => (Math.round(v * 100) / 100).toString();

export function linePath(values: readonly number[], top: number): string {
  return values.map((v, i) => `${i === 0 ? 'M' : 'L'}${f(binX(i, values.length))},${f(valueY(v, top))}`).join('');
}

/** The line closed down to the axis, for a filled area. */
export function areaPath(values: readonly number[], top: number): string {
  if (values.length === 0) return '';
  const n = values.length;
  return `M${f(binX(0, n))},${PLOT_HEIGHT}${values.map((v, i) => `L${f(binX(i, n))},${f(valueY(v, top))}`).join('')}L${f(binX(n - 1, n))},${PLOT_HEIGHT}Z`;
}

/** One rectangle per non-zero bin, as a single path (a day per minute is 1,440 bins). */
export function barsPath(values: readonly number[], top: number, fill = 0.8): string {
  const n = values.length;
  const width = (PLOT_WIDTH / n) * fill;
  let d = '';
  values.forEach((v, i) => {
    if (!(v > 0)) return;
    const x = binX(i, n) - width / 2;
    const y = valueY(v, top);
    d += `M${f(x)},${PLOT_HEIGHT}V${f(y)}H${f(x + width)}V${PLOT_HEIGHT}Z`;
  });
  return d;
}

/** Time-axis labels every whole number of minutes or hours, about `target` of them. */
export function timeTicks(totalSeconds: number, target = 6): Array<{ seconds: number; label: string }> {
  const steps = [60, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800, 2_592_000];
  const step = steps.find((s) => totalSeconds / s <= target) ?? Math.ceil(totalSeconds / target / 86_400) * 86_400;
  const out: Array<{ seconds: number; label: string }> = [];
  for (let s = 0; s <= totalSeconds + 1e-9; s += step) out.push({ seconds: s, label: formatOffset(s) });
  return out;
}

/** Time since the start of a run: `45 min`, `6 h`, `2 d 12 h`. */
export function formatOffset(seconds: number): string {
  if (seconds === 0) return '0';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 2 * 86_400) {
    const h = Math.floor(seconds / 3600);
    const m = Math.round((seconds % 3600) / 60);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const d = Math.floor(seconds / 86_400);
  const h = Math.round((seconds % 86_400) / 3600);
  return h ? `${d} d ${h} h` : `${d} d`;
}

/** Axis numbers: `1.5`, `20`, `1.2k`. */
export function formatTick(v: number): string {
  if (v >= 10_000) return `${(v / 1000).toFixed(v % 1000 === 0 ? 0 : 1)}k`;
  return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(v < 1 ? 2 : 1);
}
