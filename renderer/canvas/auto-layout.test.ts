import { expect, test } from 'vitest';
import { autoLayout, COLUMN_GAP, ROW_GAP } from './auto-layout.ts';
import { nextNodeId, verdictFor } from './canvas-model.ts';

test('sources left, functions in the middle, used resources right; sources level with their function', () => {
  const nodes = [
    { id: 'A', kind: 'function' },
    { id: 'B', kind: 'function' },
    { id: 'Q', kind: 'queue' },
    { id: 'T', kind: 'table' },
  ];
  const edges = [
    { source: 'Q', target: 'B', relation: 'trigger' as const },
    { source: 'A', target: 'T', relation: 'access' as const },
  ];
  const at = autoLayout(nodes, edges);
  expect(at.A).toEqual({ x: COLUMN_GAP, y: 0 });
  expect(at.B).toEqual({ x: COLUMN_GAP, y: ROW_GAP });
  expect(at.Q).toEqual({ x: 0, y: ROW_GAP });
  expect(at.T).toEqual({ x: COLUMN_GAP * 2, y: 0 });
});

test('nodes in one column never overlap', () => {
  const nodes = [{ id: 'F', kind: 'function' }, ...Array.from({ length: 5 }, (_, i) => ({ id: `R${i}`, kind: 'http-route' }))];
  const edges = nodes.slice(1).map((n) => ({ source: n.id, target: 'F', relation: 'trigger' as const }));
  const ys = Object.entries(autoLayout(nodes, edges)).filter(([id]) => id !== 'F').map(([, p]) => p.y).sort((a, b) => a - b);
  for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(ROW_GAP);
});

test('new ids follow the template\'s naming, skipping ones taken', () => {
  expect(nextNodeId('queue', new Set(['Queue1', 'Queue2']))).toBe('Queue3');
  expect(nextNodeId('event-rule', new Set())).toBe('EventBus1');
});

test('an unknown kind is refused rather than linked', () => {
  expect(verdictFor(undefined, 'queue', 'function')).toEqual({ ok: false, reason: 'Unknown node.' });
});
