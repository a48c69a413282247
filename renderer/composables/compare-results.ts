import type { SimulatorCost, SimulatorResult } from '../../electron/engine/contract.ts';
import { formatUsd, formatUsdDelta, signOf, subtractExact } from './money.ts';

/** `better` when the what-if improves on the current scenario, judged by which way is good for the row. */
export type Tone = 'better' | 'worse' | 'same' | 'neutral';

export interface ComparisonRow {
  label: string;
  current: string;
  whatIf: string;
  delta: string;
  tone: Tone;
  /** Rows of money, set apart in the table. */
  group: 'behaviour' | 'cost';
}

type CostPart = 'requestCharge' | 'computeCharge' | 'ephemeralCharge' | 'provisionedCharge' | 'total';

const pct = (p: number): string => `${(p * 100).toFixed(p > 0 && p < 0.01 ? 2 : 1)} %`;
const ms = (v: number): string => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
const count = (v: number): string => Math.round(v).toLocaleString('en-US');
const decimal = (v: number): string => v.toFixed(2);

function toneOf(delta: number, lowerIsBetter: boolean | undefined): Tone {
  if (Math.abs(delta) < 1e-12) return 'same';
  if (lowerIsBetter === undefined) return 'neutral';
  return delta < 0 === lowerIsBetter ? 'better' : 'worse';
}

function numberRow(label: string, a: number, b: number, show: (v: number) => string, lowerIsBetter?: boolean, relative = true): ComparisonRow {
  // What looks the same is the same: a latency that moved by 0.01 ms is not news.
  const delta = show(a) === show(b) ? 0 : b - a;
  let text = delta === 0 ? '±0' : `${delta > 0 ? '+' : '−'}${show(Math.abs(delta))}`;
  if (relative && a > 0 && delta !== 0) text += ` (${delta > 0 ? '+' : '−'}${Math.abs((delta / a) * 100).toFixed(0)} %)`;
  return { label, current: show(a), whatIf: show(b), delta: text, tone: toneOf(delta, lowerIsBetter), group: 'behaviour' };
}

function moneyRow(label: string, a: SimulatorCost, b: SimulatorCost, part: CostPart): ComparisonRow {
  const delta = subtractExact(b.exact[part], a.exact[part]);
  const sign = signOf(delta);
  return {
    label,
    current: formatUsd(a.exact[part]),
    whatIf: formatUsd(b.exact[part]),
    delta: formatUsdDelta(delta),
    tone: sign === 0 ? 'same' : sign < 0 ? 'better' : 'worse',
    group: 'cost',
  };
}

/** The what-if beside the current scenario, row by row, with the change and whether it helps. */
export function compareResults(current: SimulatorResult, whatIf: SimulatorResult): ComparisonRow[] {
  const a = current;
  const b = whatIf;
  return [
    numberRow('Requests', a.invocations, b.invocations, count),
    numberRow('Cold starts', a.coldStarts, b.coldStarts, count, true),
    numberRow('Cold-start rate', a.coldStartProbability, b.coldStartProbability, pct, true, false),
    numberRow('Latency p50', a.latencyMs.p50, b.latencyMs.p50, ms, true),
    numberRow('Latency p95', a.latencyMs.p95, b.latencyMs.p95, ms, true),
    numberRow('Latency p99', a.latencyMs.p99, b.latencyMs.p99, ms, true),
    numberRow('Rejected or throttled', a.rejections + a.throttles, b.rejections + b.throttles, count, true),
    numberRow('Environments (average)', a.avgInstances, b.avgInstances, decimal),
    numberRow('Peak concurrency', a.peakRunning, b.peakRunning, count),
    numberRow('Idle memory (GB-s)', a.idleGbSeconds, b.idleGbSeconds, count, true),
    moneyRow('Requests charge / month', a.monthlyCost, b.monthlyCost, 'requestCharge'),
    moneyRow('Compute / month', a.monthlyCost, b.monthlyCost, 'computeCharge'),
    moneyRow('Provisioned / month', a.monthlyCost, b.monthlyCost, 'provisionedCharge'),
    moneyRow('Ephemeral storage / month', a.monthlyCost, b.monthlyCost, 'ephemeralCharge'),
    moneyRow('Total / month', a.monthlyCost, b.monthlyCost, 'total'),
  ];
}
