/**
 * `npm run bench`: every number is printed next to a floor measured in the same run, so the
 * ratios mean the same on any machine. Suites: runtime (needs Docker), simulator, renderer (needs Chromium).
 */
import type { BenchRow } from './bench-row.ts';

const suites: Record<string, () => Promise<BenchRow[]>> = {
  runtime: async () => (await import('./runtime-bench.ts')).runtimeBench(),
  simulator: async () => (await import('./simulator-bench.ts')).simulatorBench(),
  renderer: async () => (await import('./renderer-bench.ts')).rendererBench(),
};

const wanted = process.argv.slice(2);
const selected = wanted.length ? wanted : Object.keys(suites);
let failed = false;
for (const name of selected) {
  const suite = suites[name];
  if (!suite) {
    console.error(`unknown bench suite '${name}'; suites: ${Object.keys(suites).join(', ')}`);
    process.exitCode = 2;
    continue;
  }
  console.log(`\n## ${name}`);
  try {
    for (const row of await suite()) {
      console.log(`${row.name}: ${fmt(row.value)} ${row.unit}  | floor (${row.floorName}): ${fmt(row.floorValue)} ${row.unit}  | ratio ${row.ratio.toFixed(2)}×${row.aim ? `  | aim: ${row.aim}` : ''}`);
    }
  } catch (err) {
    failed = true;
    console.error(`${name}: ${(err as Error).message}`);
  }
}
if (failed) process.exitCode = 1;

function fmt(n: number): string {
  return Math.abs(n) >= 1000 ? n.toLocaleString('en-US', { maximumFractionDigits: 0 }) : n.toFixed(3);
}
