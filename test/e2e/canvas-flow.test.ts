import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startBrowserMode, type BrowserMode } from '../../electron/engine/control/browser-mode.ts';
import { createEngine } from '../../electron/engine/create-engine.ts';
import { loadProject } from '../../electron/engine/project/load-project.ts';
import { hasSamSchema, samSchemaFailures } from '../../electron/engine/project/sam-schema-check.ts';
import { TemplateDocument } from '../../electron/engine/project/template-document.ts';
import { toPlainValue, toTemplateNode } from '../../electron/engine/project/template-node.ts';
import { copyProject, REPO_ROOT } from '../integration/support/engine-fixture.ts';
import { dragBetween, launchChromium, screenshot } from './support/browser.ts';

let project: string;
let ui: BrowserMode;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // A private copy: the repo's example is never written.
  project = copyProject(join(REPO_ROOT, 'examples/hello'));
  ui = await startBrowserMode({
    projectDir: project,
    sandbox: 'process',
    version: 'e2e',
    createEngine: (dir, sandbox) => createEngine({ projectDir: dir, sandbox, port: 0, apiPort: 0, watch: false }),
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
  await page.goto(ui.url);
});

afterAll(async () => {
  await browser?.close();
  await ui?.stop();
});

const node = (id: string) => page.locator(`.vue-flow__node:has([data-node-id="${id}"])`);

async function center(selector: ReturnType<Page['locator']>): Promise<{ x: number; y: number }> {
  const box = await selector.boundingBox();
  if (!box) throw new Error('element is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

test('the token is taken out of the address bar and the project opens on the canvas', async () => {
  await expect.poll(() => node('HelloNode').count()).toBe(1);
  expect(page.url()).not.toContain('token=');
  await expect.poll(() => page.locator('.vue-flow__edge.wire-trigger').count()).toBe(3);
  await screenshot(page, 'canvas-dark');
});

test('drag a queue from the palette, wire it to a function, see the diff and save it as valid SAM', async () => {
  const stage = page.locator('.project-canvas');
  const box = (await stage.boundingBox())!;
  await page.getByLabel('Drag SQS queue').dragTo(stage, { targetPosition: { x: box.width * 0.3, y: box.height - 50 } });
  await expect.poll(() => node('Queue1').count()).toBe(1);
  const changes = page.getByLabel('Change inspector');
  await expect.poll(() => changes.textContent()).toContain('Add SQS queue Queue1');
  await page.getByRole('button', { name: 'Fit' }).click();
  await page.waitForTimeout(300);

  // An invalid wire is refused with the engine's reason: a function does not trigger a function.
  await dragBetween(page, await center(node('HelloNode').locator('.vue-flow__handle-right')), await center(node('HelloPython').locator('.vue-flow__handle-left')));
  await expect.poll(() => page.getByRole('status').first().textContent()).toContain('cannot trigger another function');

  await dragBetween(page, await center(node('Queue1').locator('.vue-flow__handle-right')), await center(node('HelloNode').locator('.vue-flow__handle-left')));
  await expect.poll(() => changes.textContent()).toContain('Queue1 triggers HelloNode');
  const diff = page.getByLabel('Template diff');
  // The preview follows the change list: the link's event arrives after the queue itself.
  await expect.poll(() => diff.textContent()).toContain('Type: SQS');
  expect(await diff.textContent()).toContain('+  Queue1:');
  expect(await diff.textContent()).toContain('+    Type: AWS::SQS::Queue');
  await screenshot(page, 'canvas-change-inspector');

  await page.getByRole('button', { name: 'Save to template' }).click();
  await expect.poll(() => changes.count()).toBe(0);
  await expect.poll(() => page.locator('.vue-flow__edge.wire-trigger').count()).toBe(4);

  const text = readFileSync(join(project, 'template.yaml'), 'utf8');
  const original = readFileSync(join(REPO_ROOT, 'examples/hello/template.yaml'), 'utf8');
  for (const comment of original.split('\n').filter((l) => l.trim().startsWith('#'))) expect(text).toContain(comment);
  const { model } = await loadProject(project);
  const hello = model.functions.find((f) => f.logicalId === 'HelloNode')!;
  expect(hello.events.map((e) => e.type).sort()).toEqual(['HttpApi', 'SQS']);
  if (hasSamSchema) {
    const template = toPlainValue(toTemplateNode(TemplateDocument.parse('template.yaml', text)));
    expect(samSchemaFailures(template as Record<string, unknown>)).toEqual([]);
  }
  // Layout is LambdaDesk's state, beside the template, not in it.
  const layout = () => JSON.parse(readFileSync(join(project, '.lambdadesk/canvas-layout.json'), 'utf8')) as { positions: Record<string, unknown> };
  await expect.poll(() => layout().positions.Queue1).toBeDefined();
});

test('a message sent to the queue invokes the function, and the timeline and logs show it', async () => {
  await node('Queue1').click();
  const inspector = page.getByLabel('Inspector');
  await inspector.getByLabel('Message body').fill('{"order": 42}');
  await inspector.getByRole('button', { name: 'Send message' }).click();
  await expect.poll(() => inspector.getByRole('status').textContent()).toContain('Sent message');
  await screenshot(page, 'canvas-send-message');

  await page.getByRole('tab', { name: 'Timeline' }).click();
  const lanes = page.getByLabel(/^Timeline of .*-node$/);
  await expect.poll(() => lanes.textContent(), { timeout: 60_000 }).toContain('1 invocation');
  expect(await lanes.textContent()).toContain('1 cold');
  await expect.poll(() => page.getByLabel('Invocations').textContent()).toContain('sqs');
  const logs = page.getByRole('log');
  await expect.poll(() => logs.textContent()).toContain('START RequestId');
  expect(await logs.textContent()).toContain('REPORT RequestId');
  await screenshot(page, 'timeline-dark');
});

test('the invoke panel runs a function with a sample event, warm after cold', async () => {
  await page.getByRole('tab', { name: 'Invoke' }).click();
  await page.getByLabel('Sample event').selectOption({ label: 'events/node.json' });
  await page.getByRole('button', { name: 'Invoke', exact: true }).click();
  const response = page.getByRole('region', { name: 'Response' });
  await expect.poll(() => response.textContent(), { timeout: 60_000 }).toContain('Success');
  expect(await page.getByLabel('Response payload').textContent()).toContain('message');
  expect(await page.getByLabel('Invocation logs').textContent()).toContain('REPORT RequestId');
  await page.getByRole('button', { name: 'Force cold start' }).click();
  await expect.poll(() => response.textContent()).toContain('Cold');
  await screenshot(page, 'invoke-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await screenshot(page, 'invoke-light');
  await page.getByRole('tab', { name: 'Canvas' }).click();
  await screenshot(page, 'canvas-light');
});
