import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { CanvasLayoutStore } from './canvas-layout-store.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'canvas-layout-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test('positions are saved to .lambdadesk/canvas-layout.json and loaded back', async () => {
  const stateDir = path.join(scratch, 'a', '.lambdadesk');
  const store = new CanvasLayoutStore(stateDir);
  expect(await store.load()).toEqual({});
  await store.save({ OrdersApi: { x: 120, y: 40.5 }, 'OrdersApi.PostOrder': { x: -80, y: 40 } });
  expect(await new CanvasLayoutStore(stateDir).load()).toEqual({ OrdersApi: { x: 120, y: 40.5 }, 'OrdersApi.PostOrder': { x: -80, y: 40 } });
  expect(JSON.parse(readFileSync(path.join(stateDir, 'canvas-layout.json'), 'utf8'))).toMatchObject({ version: 1 });
});

test('the last of several quick saves wins', async () => {
  const store = new CanvasLayoutStore(path.join(scratch, 'b'));
  await Promise.all([1, 2, 3, 4, 5].map((x) => store.save({ Fn: { x, y: 0 } })));
  expect(await store.load()).toEqual({ Fn: { x: 5, y: 0 } });
});

test('a damaged file reads as an empty layout, and bad entries are skipped', async () => {
  const stateDir = path.join(scratch, 'c');
  mkdirSync(stateDir, { recursive: true });
  const file = path.join(stateDir, 'canvas-layout.json');
  writeFileSync(file, '{ not json');
  expect(await new CanvasLayoutStore(stateDir).load()).toEqual({});
  writeFileSync(file, JSON.stringify({ version: 1, positions: { Good: { x: 1, y: 2 }, Bad: { x: 'a', y: 2 }, Worse: null } }));
  expect(await new CanvasLayoutStore(stateDir).load()).toEqual({ Good: { x: 1, y: 2 } });
});

test('a position that is not a finite number is refused', async () => {
  await expect(new CanvasLayoutStore(path.join(scratch, 'd')).save({ Fn: { x: Number.NaN, y: 0 } })).rejects.toThrow('The canvas position of Fn must be { x, y } with finite numbers.');
});
