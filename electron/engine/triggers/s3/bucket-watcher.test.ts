import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { ManualClock } from '../../clock.ts';
import { BucketWatcher } from './bucket-watcher.ts';
import { signatureOf } from './bucket-store.ts';
import { statSync } from 'node:fs';

async function setup() {
  const root = mkdtempSync(join(tmpdir(), 'lambdadesk-watch-'));
  mkdirSync(join(root, 'photos'));
  writeFileSync(join(root, 'photos', 'old.txt'), 'was here before');
  const changes: string[] = [];
  const watcher = new BucketWatcher({ root, clock: new ManualClock(), onChange: async (c) => void changes.push(`${c.kind} ${c.bucket}/${c.key}`) });
  await watcher.start();
  onTestFinished(() => watcher.stop());
  return { root, watcher, changes };
}

test('a file copied in is reported once it has held still for a scan; what was there at start is not', async () => {
  const { root, watcher, changes } = await setup();
  mkdirSync(join(root, 'photos', 'new'));
  writeFileSync(join(root, 'photos', 'new', 'a.txt'), 'partial');
  await watcher.scan();
  expect(changes).toEqual([]);
  await watcher.scan();
  expect(changes).toEqual(['created photos/new/a.txt']);
  await watcher.scan();
  expect(changes).toHaveLength(1);
  rmSync(join(root, 'photos', 'old.txt'));
  await watcher.scan();
  expect(changes).toEqual(['created photos/new/a.txt', 'removed photos/old.txt']);
});

test('LambdaDesk’s own writes, acknowledged first, are not reported; LambdaDesk’s bookkeeping folders are ignored', async () => {
  const { root, watcher, changes } = await setup();
  const path = join(root, 'photos', 'api.txt');
  writeFileSync(path, 'from the API');
  const info = statSync(path);
  watcher.acknowledge('photos', 'api.txt', signatureOf(info.size, info.mtimeMs));
  mkdirSync(join(root, '.meta', 'photos'), { recursive: true });
  writeFileSync(join(root, '.meta', 'photos', 'api.txt'), '{}');
  await watcher.scan();
  await watcher.scan();
  expect(changes).toEqual([]);
  watcher.acknowledge('photos', 'api.txt', undefined);
  rmSync(path);
  await watcher.scan();
  expect(changes).toEqual([]);
});
