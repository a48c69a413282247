import { appendFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { SnapshotJournal } from './snapshot-journal.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'lambdadesk-journal-'));

test('entries appended are there after reopening, in order', async () => {
  const d = dir();
  const { store } = await SnapshotJournal.load<number[], number>(d);
  await Promise.all([store.append(1), store.append(2, 3)]);
  await store.close();
  const again = await SnapshotJournal.load<number[], number>(d);
  expect(again.snapshot).toBeUndefined();
  expect(again.entries).toEqual([1, 2, 3]);
});

test('a line torn by a crash is dropped and cut off, so later appends are whole', async () => {
  const d = dir();
  const { store } = await SnapshotJournal.load<number[], number>(d);
  await store.append(1);
  await store.close();
  appendFileSync(join(d, 'journal-0.jsonl'), '{"half');
  const reopened = await SnapshotJournal.load<number[], number>(d);
  expect(reopened.entries).toEqual([1]);
  await reopened.store.append(2);
  await reopened.store.close();
  expect((await SnapshotJournal.load<number[], number>(d)).entries).toEqual([1, 2]);
});

test('compaction replaces the journal with a snapshot; appends made meanwhile are kept', async () => {
  const d = dir();
  const { store } = await SnapshotJournal.load<number[], number>(d);
  await store.append(1, 2);
  const compacting = store.compact([1, 2]);
  const during = store.append(3);
  await Promise.all([compacting, during]);
  await store.close();
  const again = await SnapshotJournal.load<number[], number>(d);
  expect(again.snapshot).toEqual([1, 2]);
  expect(again.entries).toEqual([3]);
  expect(readdirSync(d).sort()).toEqual(['journal-1.jsonl', 'snapshot.json']);
});

test('a crash between writing the snapshot and removing the old journal does not apply it twice', async () => {
  const d = dir();
  writeFileSync(join(d, 'journal-0.jsonl'), '1\n2\n');
  writeFileSync(join(d, 'snapshot.json'), JSON.stringify({ generation: 1, state: [1, 2] }));
  writeFileSync(join(d, 'journal-1.jsonl'), '3\n');
  const loaded = await SnapshotJournal.load<number[], number>(d);
  expect(loaded.snapshot).toEqual([1, 2]);
  expect(loaded.entries).toEqual([3]);
  expect(readdirSync(d)).not.toContain('journal-0.jsonl');
});
