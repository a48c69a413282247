import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { startBrowserMode } from '../../electron/engine/control/browser-mode.ts';
import { createEngine } from '../../electron/engine/create-engine.ts';
import type { BenchRow } from './bench-row.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const FUNCTIONS = 200;

/** 200 functions, each with an HTTP route and a queue, topic or schedule: 400 triggers. */
function writeBigProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lambdadesk-bench-canvas-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src/index.js'), 'exports.handler = async () => ({ ok: true });\n');
  const lines = ['AWSTemplateFormatVersion: "2010-09-09"', 'Transform: AWS::Serverless-2016-10-31', 'Resources:'];
  for (let i = 0; i < FUNCTIONS; i++) {
    const second = i % 3 === 0 ? 'queue' : i % 3 === 1 ? 'topic' : 'schedule';
    if (second === 'queue') lines.push(`  Queue${i}:`, '    Type: AWS::SQS::Queue');
    if (second === 'topic') lines.push(`  Topic${i}:`, '    Type: AWS::SNS::Topic');
    lines.push(
      `  Fn${i}:`,
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: nodejs20.x',
      '      Handler: index.handler',
      '      CodeUri: src',
      '      Events:',
      '        Route:',
      '          Type: HttpApi',
      `          Properties: { Path: /items/${i}, Method: GET }`,
      '        Second:',
      second === 'queue' ? `          Type: SQS\n          Properties: { Queue: !GetAtt Queue${i}.Arn }` : second === 'topic' ? `          Type: SNS\n          Properties: { Topic: !Ref Topic${i} }` : '          Type: Schedule\n          Properties: { Schedule: rate(1 hour), Enabled: false }',
    );
  }
  writeFileSync(join(dir, 'template.yaml'), `${lines.join('\n')}\n`);
  return dir;
}

/** Frame intervals (ms) while the page is panned with the mouse for `durationMs`. */
async function frameTimesWhilePanning(page: Page, durationMs: number): Promise<number[]> {
  await page.evaluate(`(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (now) => { window.__frames.push(now - last); last = now; if (!window.__stop) requestAnimationFrame(tick); };
    window.__stop = false;
    requestAnimationFrame(tick);
  })()`);
  const started = Date.now();
  await page.mouse.move(700, 450);
  await page.mouse.down();
  for (let step = 0; Date.now() - started < durationMs; step++) {
    const angle = step / 10;
    await page.mouse.move(700 + Math.cos(angle) * 200, 450 + Math.sin(angle) * 150);
  }
  await page.mouse.up();
  const frames = (await page.evaluate('(() => { window.__stop = true; return window.__frames; })()')) as number[];
  return frames.slice(5).sort((a, b) => a - b);
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/**
 * The canvas with 200 functions and 400 triggers, panned in Chromium: frame times against an
 * empty page's under the same mouse movement (the floor), so the ratio means the same anywhere.
 */
export async function rendererBench(): Promise<BenchRow[]> {
  await build({ configFile: join(REPO_ROOT, 'vite.config.ts'), logLevel: 'warn' });
  const project = writeBigProject();
  const ui = await startBrowserMode({
    projectDir: project,
    sandbox: 'process',
    version: 'bench',
    createEngine: (dir, sandbox) => createEngine({ projectDir: dir, sandbox, port: 0, apiPort: 0, watch: false }),
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.setContent('<!doctype html><title>floor</title><body style="margin:0;height:100vh;background:#14171c"></body>');
    const floor = await frameTimesWhilePanning(page, 4000);

    await page.goto(ui.url);
    await page.waitForSelector('.vue-flow__node', { timeout: 60_000 });
    const nodes = await page.evaluate('document.querySelectorAll(".vue-flow__node").length');
    await page.getByRole('button', { name: 'Fit' }).click();
    await page.waitForTimeout(500);
    const canvas = await frameTimesWhilePanning(page, 4000);
    const rows: BenchRow[] = [];
    for (const p of [50, 95]) {
      const value = percentile(canvas, p);
      const base = percentile(floor, p);
      rows.push({
        name: `canvas frame time p${p} while panning (${FUNCTIONS} functions, ${FUNCTIONS * 2} triggers, ${String(nodes)} nodes drawn after fit)`,
        value,
        unit: 'ms',
        floorName: `empty page frame time p${p} under the same mouse movement`,
        floorValue: base,
        ratio: value / base,
        aim: p === 95 ? 'p95 under 50 ms (20 fps) while panning' : undefined,
      });
    }
    return rows;
  } finally {
    await browser.close();
    await ui.stop();
    rmSync(project, { recursive: true, force: true });
  }
}
