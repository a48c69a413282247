import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startBrowserMode, type BrowserMode } from '../../electron/engine/control/browser-mode.ts';
import { createEngine } from '../../electron/engine/create-engine.ts';
import { copyProject, REPO_ROOT } from '../integration/support/engine-fixture.ts';
import { launchChromium, screenshot } from './support/browser.ts';

let ui: BrowserMode;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const project = copyProject(join(REPO_ROOT, 'examples/hello'));
  ui = await startBrowserMode({
    projectDir: project,
    sandbox: 'process',
    version: 'e2e',
    createEngine: (dir, sandbox) => createEngine({ projectDir: dir, sandbox, port: 0, apiPort: 0, watch: false }),
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
  await page.goto(ui.url);
  await page.getByRole('button', { name: 'Simulate HelloNode' }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await ui?.stop();
});

const field = (label: string) => page.locator('label.sim-field', { has: page.locator('.label', { hasText: new RegExp(`^${label}$`) }) });
const results = () => page.getByRole('main', { name: 'Simulation results' });

test('the simulator opens for a function; calibration needs recordings and says so', async () => {
  await page.getByRole('button', { name: 'Simulate HelloNode' }).click();
  await expect.poll(() => page.getByRole('tab', { name: 'Simulator' }).getAttribute('aria-selected')).toBe('true');
  expect(await page.getByLabel('Simulated function').inputValue()).toMatch(/-node$/);
  expect(await field('Memory').locator('input').inputValue()).toBe('128');
  await page.getByRole('button', { name: 'Calibrate from recordings' }).click();
  await expect.poll(() => page.getByLabel('Traffic editor').getByRole('alert').first().textContent()).toContain('No invocations of');
});

test('a bad value is flagged at its field, by the form at once and by the engine on run', async () => {
  await field('Memory').locator('input').fill('64');
  expect(await field('Memory').getByRole('alert').textContent()).toBe('Must be from 128 to 10,240 MB.');
  expect(await page.getByRole('button', { name: 'Run simulation' }).first().isDisabled()).toBe(true);
  await field('Memory').locator('input').fill('128');

  // Too many requests for one run: the engine refuses at the horizon and says how long fits.
  await field('Rate').locator('input').fill('50');
  await page.getByLabel('Traffic editor').getByRole('button', { name: 'Run simulation' }).click();
  await expect.poll(() => field('Simulate').getByRole('alert').textContent()).toContain('Use at most 20,000 s');
  await field('Rate').locator('input').fill('1');
  await expect.poll(() => field('Simulate').getByRole('alert').count()).toBe(0);
});

test('calibrate from recorded invocations, run a daily cycle, and see the charts and the cost table', async () => {
  // Two invocations of the function: the first cold, the second warm.
  await page.getByRole('button', { name: 'Invoke HelloNode' }).click();
  const response = page.getByRole('region', { name: 'Response' });
  for (let i = 0; i < 2; i++) {
    await page.getByRole('button', { name: 'Invoke', exact: true }).click();
    await expect.poll(() => response.textContent(), { timeout: 60_000 }).toContain('Success');
    await expect.poll(() => page.getByRole('button', { name: 'Invoke', exact: true }).isEnabled()).toBe(true);
  }
  await page.getByRole('button', { name: 'Simulate HelloNode' }).click();
  await page.getByRole('button', { name: 'Calibrate from recordings' }).click();
  const calibration = page.getByLabel('Calibration');
  await expect.poll(() => calibration.textContent()).toContain('Measured at 128 MB');
  expect(await calibration.textContent()).toMatch(/warm median [\d.]+ ms \(1 sample\), init median [\d.]+ ms \(1 cold start\)/);
  expect(await calibration.textContent()).toContain('host processes');

  await page.getByRole('radio', { name: 'Daily' }).click();
  await field('Mean rate').locator('input').fill('2');
  await field('Swing').locator('input').fill('0.9');
  await field('Keep-alive').locator('input').fill('5');
  await page.getByLabel('Traffic editor').getByRole('button', { name: 'Run simulation' }).click();

  const summary = page.getByLabel('Simulation summary');
  await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toContain('Cost per month');
  const requests = Number((await summary.locator('.tile').first().locator('.value').textContent())!.replace(/,/g, ''));
  expect(requests).toBeGreaterThan(160_000);
  expect(requests).toBeLessThan(185_000);
  for (const title of ['Concurrency per minute', 'Requests per minute', 'Cold starts per minute']) {
    const chart = results().getByRole('figure', { name: title });
    await expect.poll(() => chart.count()).toBe(1);
    expect(await chart.locator('svg path').count()).toBeGreaterThan(0);
  }
  const coldChart = results().getByRole('figure', { name: 'Cold starts per minute' }).locator('svg');
  expect(await coldChart.getAttribute('aria-label')).toMatch(/Cold starts: peak \d+, total [1-9]/);

  const cost = page.getByRole('region', { name: 'Cost breakdown' });
  expect(await cost.locator('tbody tr td:first-child').allTextContents()).toEqual(['Requests', 'Compute (on demand)', 'Ephemeral storage', 'Provisioned concurrency', 'Total']);
  expect(await cost.locator('tr.total td').last().textContent()).toMatch(/^\$\d+\.\d\d$/);

  // A point on the chart tells its minute.
  const plot = results().getByRole('figure', { name: 'Concurrency per minute' }).locator('.plot');
  const box = (await plot.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.58, box.y + box.height / 2);
  await expect.poll(() => plot.locator('.tip').textContent()).toContain('Running (average)');
  await screenshot(page, 'simulator-run-dark');
  await page.mouse.move(0, 0);
});

test('a memory sweep shows the cheapest, fastest and balanced sizes, and a pick can be used', async () => {
  const sweep = page.getByRole('region', { name: 'Memory sweep' });
  await sweep.getByLabel('CPU-bound share').fill('0.8');
  await sweep.getByRole('button', { name: 'Sweep memory' }).click();
  const table = sweep.getByRole('table', { name: 'Memory sweep results' });
  await expect.poll(() => table.locator('tbody tr').count(), { timeout: 30_000 }).toBe(6);
  expect(await table.locator('tbody tr').first().textContent()).toContain('128 MB (measured)');
  for (const pick of ['Cheapest', 'Fastest', 'Balanced']) expect(await sweep.getByLabel(`${pick} pick`).textContent()).toMatch(/[\d,]+ MB/);
  expect(await sweep.getByLabel('Fastest pick').textContent()).toContain('3,008 MB');
  await sweep.scrollIntoViewIfNeeded();
  await screenshot(page, 'simulator-sweep-dark');

  const balanced = sweep.getByLabel('Balanced pick');
  const balancedMb = (await balanced.locator('strong').textContent())!.replace(/[^\d]/g, '');
  if (await balanced.getByRole('button', { name: 'Use' }).count()) await balanced.getByRole('button', { name: 'Use' }).click();
  expect(await field('Memory').locator('input').inputValue()).toBe(balancedMb);
  expect(await results().getByText('Out of date').count()).toBe(balancedMb === '128' ? 0 : 1);
});

test('what if: provisioned concurrency for the peak, side by side with the current scenario', async () => {
  await field('Memory').locator('input').fill('128');
  const whatIf = page.getByRole('region', { name: 'What-if comparison' });
  await whatIf.getByRole('button', { name: 'Provisioned for the peak' }).click();
  const table = whatIf.getByRole('table', { name: 'Comparison' });
  await expect.poll(() => table.count(), { timeout: 30_000 }).toBe(1);
  expect(await table.locator('thead').textContent()).toMatch(/What if: \d+ provisioned/);
  const row = (label: string) => table.locator('tbody tr', { has: page.locator('td', { hasText: new RegExp(`^${label}$`) }) });
  expect(await row('Cold starts').locator('.delta').getAttribute('class')).toContain('better');
  expect(await row('Provisioned / month').locator('.delta').textContent()).toMatch(/^\+\$/);
  await whatIf.scrollIntoViewIfNeeded();
  await screenshot(page, 'simulator-what-if-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await results().evaluate((el) => el.scrollTo(0, 0));
  await screenshot(page, 'simulator-run-light');
});
