import { expect, test } from 'vitest';
import type { InvocationRecord, SandboxChange, SandboxState } from '../../electron/engine/contract.ts';
import { buildLanes, timeWindow } from './timeline-lanes.ts';

const change = (id: string, state: SandboxState, at: number, functionName = 'Resize'): SandboxChange => ({
  sandbox: { id, functionName, kind: 'docker', state, createdAt: 0, initializationType: 'on-demand' },
  at,
});
const record = (sandboxId: string, startedAt: number, endedAt: number, cold: boolean, functionName = 'Resize'): InvocationRecord => ({
  requestId: `r${startedAt}`, functionName, qualifier: '$LATEST', sandboxId, cold, durationMs: endedAt - startedAt, billedMs: endedAt - startedAt,
  memorySizeMb: 128, maxMemoryUsedMb: 40, outcome: 'success', trigger: 'console', startedAt, endedAt, sandboxKind: 'docker',
});

test('one lane per sandbox, each state lasting until the next transition', () => {
  const changes = [change('a', 'initializing', 1000), change('a', 'busy', 1300), change('a', 'idle', 1400), change('a', 'stopped', 5000)];
  const [group] = buildLanes(changes, [record('a', 1000, 1400, true)], 9000);
  expect(group!.lanes).toHaveLength(1);
  const lane = group!.lanes[0]!;
  expect(lane.segments).toEqual([
    { state: 'initializing', from: 1000, to: 1300 },
    { state: 'busy', from: 1300, to: 1400 },
    { state: 'idle', from: 1400, to: 5000 },
  ]);
  expect(lane.stoppedAt).toBe(5000);
  expect(lane.coldStarts).toEqual([1000]);
});

test('a live sandbox is drawn up to now; two sandboxes of a function get two lanes', () => {
  const changes = [change('a', 'initializing', 0), change('a', 'idle', 100), change('b', 'initializing', 50), change('b', 'busy', 80)];
  const [group] = buildLanes(changes, [record('a', 0, 100, true), record('b', 50, 90, true), record('a', 200, 210, false)], 1000);
  expect(group!.lanes.map((l) => l.sandboxId)).toEqual(['a', 'b']);
  expect(group!.lanes[0]!.segments.at(-1)).toEqual({ state: 'idle', from: 100, to: 1000 });
  expect(group!.invocations).toBe(3);
  expect(group!.coldStarts).toBe(2);
});

test('records whose transitions were trimmed still show as busy spans, grouped by function', () => {
  const groups = buildLanes([], [record('x', 10, 20, false, 'B'), record('y', 30, 40, true, 'A')], 100);
  expect(groups.map((g) => g.functionName)).toEqual(['A', 'B']);
  expect(groups[1]!.lanes[0]!.segments).toEqual([{ state: 'busy', from: 10, to: 20 }]);
});

test('the window spans everything seen and at least ten seconds', () => {
  const groups = buildLanes([change('a', 'initializing', 50_000)], [], 55_000);
  expect(timeWindow(groups, 55_000)).toEqual({ from: 45_000, to: 55_000 });
  expect(timeWindow(buildLanes([change('a', 'initializing', 1000)], [], 60_000), 60_000)).toEqual({ from: 1000, to: 60_000 });
});
