import { expect, test } from 'vitest';
import type { CanvasNodeKind, CanvasState, LinkVerdict } from '../../electron/engine/contract.ts';
import { FakeBackend, flush, withBackend } from '../test-support/fake-backend.ts';
import { freeSpot, useCanvasStore } from './canvas.ts';

const KINDS: CanvasNodeKind[] = ['http-route', 'schedule', 'queue', 'bucket', 'topic', 'event-rule', 'function', 'table', 'stream'];
function links(): CanvasState['links'] {
  const m = {} as Record<CanvasNodeKind, Record<CanvasNodeKind, LinkVerdict>>;
  for (const s of KINDS) {
    m[s] = {} as Record<CanvasNodeKind, LinkVerdict>;
    for (const t of KINDS) m[s][t] = t === 'function' && s !== 'function' ? { ok: true, relation: 'trigger', eventType: 'SQS' } : { ok: false, reason: `A ${s} cannot link to a ${t}.` };
  }
  return m;
}
const location = { file: 'template.yaml', line: 1, column: 1 };
const state: CanvasState = {
  nodes: [
    { id: 'Hello', kind: 'function', label: 'Hello', resourceType: 'AWS::Serverless::Function', location, virtual: false },
    { id: 'Other', kind: 'function', label: 'Other', resourceType: 'AWS::Serverless::Function', location, virtual: false },
  ],
  edges: [],
  positions: { Hello: { x: 320, y: 0 }, Other: { x: 320, y: 96 } },
  palette: [
    { kind: 'queue', label: 'SQS queue', resourceType: 'AWS::SQS::Queue', defaults: {}, virtual: false, eventType: 'SQS' },
    { kind: 'http-route', label: 'HTTP route', defaults: { Path: '/items', Method: 'GET' }, virtual: true, eventType: 'HttpApi' },
  ],
  links: links(),
  properties: { Hello: {}, Other: {} },
  templateHash: 'a'.repeat(64),
  fileName: 'template.yaml',
  history: { undo: 0, redo: 0 },
};

function setup() {
  const backend = new FakeBackend()
    .on('canvas:get', () => state)
    .on('canvas:layout', () => undefined)
    .on('canvas:preview', ({ changes }) => ({ diff: `+ ${changes.length} change(s)`, changed: true, baseHash: 'b'.repeat(64), warnings: [] }))
    .on('canvas:apply', () => ({ ...state, nodes: [...state.nodes, { id: 'Queue1', kind: 'queue', label: 'Queue1', resourceType: 'AWS::SQS::Queue', location, virtual: false }], history: { undo: 1, redo: 0 } }));
  const { run } = withBackend(backend);
  return { backend, canvas: run(() => useCanvasStore()) };
}

test('a drop adds a pending resource and previews it; nothing is written yet', async () => {
  const { backend, canvas } = setup();
  await canvas.load();
  canvas.drop('queue', { x: 0, y: 300 });
  await flush();
  expect(canvas.nodes.find((n) => n.id === 'Queue1')).toMatchObject({ pending: true, kind: 'queue' });
  expect(backend.callsTo('canvas:preview')).toEqual([{ changes: [{ kind: 'add-node', nodeKind: 'queue', logicalId: 'Queue1' }] }]);
  expect(backend.callsTo('canvas:apply')).toEqual([]);
});

test('a dropped route adds nothing until linked, and its link carries its path', async () => {
  const { backend, canvas } = setup();
  await canvas.load();
  const id = canvas.drop('http-route', { x: 0, y: 0 })!;
  expect(canvas.changes).toEqual([]);
  canvas.setPendingProperty(id, 'Path', '/orders');
  expect(canvas.link(id, 'Hello')).toBe(true);
  await flush();
  expect(backend.callsTo('canvas:preview').at(-1)).toEqual({ changes: [{ kind: 'link', source: id, sourceKind: 'http-route', target: 'Hello', targetKind: 'function', eventProperties: { Path: '/orders', Method: 'GET' } }] });
});

test('a link the engine refuses is not made, and its reason is shown', async () => {
  const { canvas } = setup();
  await canvas.load();
  expect(canvas.link('Hello', 'Other')).toBe(false);
  expect(canvas.notice).toBe('A function cannot link to a function.');
  expect(canvas.changes).toEqual([]);
});

test('save applies the previewed changes against the previewed hash and keeps the dropped position', async () => {
  const { backend, canvas } = setup();
  await canvas.load();
  canvas.drop('queue', { x: 10, y: 300 });
  canvas.link('Queue1', 'Hello');
  await flush();
  expect(await canvas.save()).toBe(true);
  expect(backend.callsTo('canvas:apply')).toEqual([
    { changes: [{ kind: 'add-node', nodeKind: 'queue', logicalId: 'Queue1' }, { kind: 'link', source: 'Queue1', sourceKind: 'queue', target: 'Hello', targetKind: 'function' }], baseHash: 'b'.repeat(64) },
  ]);
  expect(canvas.changes).toEqual([]);
  expect(canvas.positions.Queue1).toEqual({ x: 10, y: 300 });
  expect(canvas.state?.history.undo).toBe(1);
});

test('a newer value for the same field replaces the pending one', async () => {
  const { canvas } = setup();
  await canvas.load();
  canvas.setProperty(['Resources', 'Hello', 'Properties', 'MemorySize'], 256);
  canvas.setProperty(['Resources', 'Hello', 'Properties', 'MemorySize'], 512);
  expect(canvas.changes).toEqual([{ kind: 'set-property', path: ['Resources', 'Hello', 'Properties', 'MemorySize'], value: 512 }]);
});

test('a node placed by the layout does not land on another', () => {
  expect(freeSpot({ x: 0, y: 96 }, { A: { x: 0, y: 96 }, B: { x: 0, y: 192 } })).toEqual({ x: 0, y: 288 });
});
