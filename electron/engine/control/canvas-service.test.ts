import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { accessModesFor } from '../project/link-rules.ts';
import { loadProject } from '../project/load-project.ts';
import { InvalidCanvasChangeError, toTemplateEdits } from './canvas-changes.ts';
import { CanvasService } from './canvas-service.ts';
import { describeScheduleExpression } from './schedule-preview.ts';

const HELLO = resolve(import.meta.dirname, '../../../examples/hello');

async function service() {
  const dir = mkdtempSync(join(tmpdir(), 'canvas-service-'));
  cpSync(HELLO, dir, { recursive: true, filter: (src) => !src.includes('.lambdadesk') });
  let model = (await loadProject(dir)).model;
  let reloads = 0;
  const canvas = new CanvasService(() => model, async () => {
    model = (await loadProject(dir)).model;
    reloads++;
  });
  return { dir, canvas, reloads: () => reloads };
}

test('links become the SAM edits the engine\'s rules name; forbidden links are refused with the reason', () => {
  expect(toTemplateEdits([{ kind: 'link', source: 'Orders', sourceKind: 'queue', target: 'Hello', targetKind: 'function' }])).toEqual([
    { kind: 'add-event', functionId: 'Hello', eventType: 'SQS', properties: { Queue: { 'Fn::GetAtt': ['Orders', 'Arn'] }, BatchSize: 10 } },
  ]);
  expect(toTemplateEdits([{ kind: 'link', source: 'Hello', sourceKind: 'function', target: 'Files', targetKind: 'bucket' }])).toEqual([{ kind: 'add-access', functionId: 'Hello', targetId: 'Files', access: accessModesFor('bucket')[0] }]);
  expect(toTemplateEdits([{ kind: 'add-node', nodeKind: 'http-route', logicalId: 'Route1' }])).toEqual([]);
  expect(() => toTemplateEdits([{ kind: 'link', source: 'A', sourceKind: 'function', target: 'B', targetKind: 'function' }])).toThrow(InvalidCanvasChangeError);
});

test('preview shows the diff and writes nothing; apply writes, reloads and can be undone byte for byte', async () => {
  const { dir, canvas, reloads } = await service();
  const before = readFileSync(join(dir, 'template.yaml'), 'utf8');
  const state = await canvas.state();
  expect(state.nodes.map((n) => n.id)).toContain('HelloNode');
  expect(state.links.queue.function).toEqual({ ok: true, relation: 'trigger', eventType: 'SQS' });
  const changes = [
    { kind: 'add-node' as const, nodeKind: 'queue' as const, logicalId: 'Orders' },
    { kind: 'link' as const, source: 'Orders', sourceKind: 'queue' as const, target: 'HelloNode', targetKind: 'function' as const },
  ];
  const preview = await canvas.preview(changes);
  expect(preview.diff).toContain('+  Orders:');
  expect(readFileSync(join(dir, 'template.yaml'), 'utf8')).toBe(before);

  const after = await canvas.apply(changes, preview.baseHash);
  expect(reloads()).toBe(1);
  expect(after.edges.some((e) => e.source === 'Orders' && e.target === 'HelloNode' && e.relation === 'trigger')).toBe(true);
  expect(after.history.undo).toBe(1);
  await canvas.undo();
  expect(readFileSync(join(dir, 'template.yaml'), 'utf8')).toBe(before);
  await expect(canvas.apply(changes, 'f'.repeat(64))).rejects.toThrow('changed on disk');
});

test('layout positions are kept beside the template', async () => {
  const { dir, canvas } = await service();
  await canvas.saveLayout({ HelloNode: { x: 10, y: 20 } });
  expect((await canvas.state()).positions).toEqual({ HelloNode: { x: 10, y: 20 } });
  expect(readFileSync(join(dir, 'template.yaml'), 'utf8')).not.toContain('"x"');
});

test('schedules read in words, with their next runs', () => {
  const now = Date.UTC(2026, 0, 5, 9, 30); // a Monday
  expect(describeScheduleExpression('rate(5 minutes)', now, 2)).toEqual({ ok: true, description: 'Every 5 minutes', nextRuns: [now + 300_000, now + 600_000] });
  const weekdays = describeScheduleExpression('cron(0 18 ? * MON-FRI *)', now, 1);
  expect(weekdays.description).toBe('At 18:00 UTC, Monday to Friday');
  expect(weekdays.nextRuns).toEqual([Date.UTC(2026, 0, 5, 18, 0)]);
  const bad = describeScheduleExpression('rate(5 minute)', now);
  expect(bad.ok).toBe(false);
  expect(bad.fix).toBeTruthy();
});
