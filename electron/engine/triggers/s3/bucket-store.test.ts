import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { expect, test } from 'vitest';
import { BucketStore } from './bucket-store.ts';

async function setup() {
  const root = mkdtempSync(join(tmpdir(), 'lambdadesk-s3-'));
  const commits: Array<[string, string, string | undefined]> = [];
  const store = new BucketStore({ root, onCommit: (b, k, s) => commits.push([b, k, s]) });
  await store.init();
  await store.createBucket('photos');
  return { root, store, commits };
}

const bytes = (value: string) => (async function* () {
  yield Buffer.from(value);
})();
const headers = { contentType: 'text/plain', userMetadata: { owner: 'me' } };

test('an object is a file at its key, with its metadata in a sidecar; the ETag is the MD5', async () => {
  const { root, store, commits } = await setup();
  const info = await store.put('photos', 'albums/2024/a.txt', bytes('hello'), headers);
  expect(info).toMatchObject({ bucket: 'photos', key: 'albums/2024/a.txt', size: 5, etag: createHash('md5').update('hello').digest('hex'), contentType: 'text/plain', userMetadata: { owner: 'me' } });
  expect(existsSync(join(root, 'photos/albums/2024/a.txt'))).toBe(true);
  expect(readdirSync(join(root, '.staging'))).toEqual([]);
  expect(commits).toEqual([['photos', 'albums/2024/a.txt', `${info.size}:${info.mtimeMs}`]]);
  expect(await store.head('photos', 'albums/2024/a.txt')).toMatchObject({ contentType: 'text/plain', userMetadata: { owner: 'me' } });
  expect(await text(store.read('photos', 'albums/2024/a.txt', { start: 1, end: 3 }))).toBe('ell');
});

test('a file dropped into the folder by hand gets its ETag and a content type from its name', async () => {
  const { root, store } = await setup();
  writeFileSync(join(root, 'photos', 'dropped.json'), '{"a":1}');
  expect(await store.head('photos', 'dropped.json')).toMatchObject({ size: 7, etag: createHash('md5').update('{"a":1}').digest('hex'), contentType: 'application/json', userMetadata: {} });
  // Replaced by hand later: the old sidecar no longer describes the file, so it is recomputed.
  await store.put('photos', 'notes.txt', bytes('v1'), headers);
  writeFileSync(join(root, 'photos', 'notes.txt'), 'version two');
  expect(await store.head('photos', 'notes.txt')).toMatchObject({ size: 11, etag: createHash('md5').update('version two').digest('hex'), contentType: 'text/plain' });
});

test('listing is in UTF-8 byte order, with folder markers; deleting prunes folders left empty', async () => {
  const { root, store } = await setup();
  for (const key of ['b.txt', 'a/z.txt', 'a/b/c.txt', 'é.txt', 'z.txt']) await store.put('photos', key, bytes(key), headers);
  await store.put('photos', 'empty/', bytes(''), headers);
  expect((await store.list('photos')).map((o) => o.key)).toEqual(['a/b/c.txt', 'a/z.txt', 'b.txt', 'empty/', 'z.txt', 'é.txt']);
  expect((await store.list('photos', 'a/b')).map((o) => o.key)).toEqual(['a/b/c.txt']);
  await store.delete('photos', 'a/b/c.txt');
  expect(existsSync(join(root, 'photos/a/b'))).toBe(false);
  expect(existsSync(join(root, 'photos/a'))).toBe(true);
  expect(await store.delete('photos', 'missing.txt')).toBeUndefined();
});

test('a key that would need to be both a file and a folder is refused with a clear error', async () => {
  const { store } = await setup();
  await store.put('photos', 'report', bytes('x'), headers);
  await expect(store.put('photos', 'report/2024.csv', bytes('y'), headers)).rejects.toThrow('a key is either an object or a folder of other keys');
  await expect(store.put('photos', 'a/../b', bytes('y'), headers)).rejects.toThrow('"." or ".." path segment');
  await expect(store.put('nope', 'k', bytes('y'), headers)).rejects.toThrow('The specified bucket does not exist');
});

test('a failed check leaves nothing behind', async () => {
  const { root, store } = await setup();
  await expect(store.put('photos', 'k.txt', bytes('data'), headers, () => {
    throw new Error('bad digest');
  })).rejects.toThrow('bad digest');
  expect(await store.head('photos', 'k.txt')).toBeUndefined();
  expect(readdirSync(join(root, '.staging'))).toEqual([]);
});

test('multipart uploads join their parts; the ETag is the MD5 of the part MD5s with the part count', async () => {
  const { store } = await setup();
  const uploadId = await store.createUpload('photos', 'big.bin', { contentType: 'application/octet-stream', userMetadata: {} }, 0);
  const first = Buffer.alloc(5 * 1024 * 1024, 'a');
  const p1 = await store.uploadPart(uploadId, 1, (async function* () {
    yield first;
  })());
  const p2 = await store.uploadPart(uploadId, 2, bytes('tail'));
  await expect(store.completeUpload(uploadId, [{ partNumber: 2, etag: p2.etag }, { partNumber: 1, etag: p1.etag }])).rejects.toThrow('ascending order');
  await expect(store.completeUpload(uploadId, [{ partNumber: 1, etag: 'wrong' }])).rejects.toThrow('could not be found');
  const info = await store.completeUpload(uploadId, [{ partNumber: 1, etag: `"${p1.etag}"` }, { partNumber: 2, etag: p2.etag }]);
  const expected = createHash('md5').update(Buffer.concat([Buffer.from(p1.etag, 'hex'), Buffer.from(p2.etag, 'hex')])).digest('hex');
  expect(info).toMatchObject({ size: first.length + 4, etag: `${expected}-2`, partsCount: 2 });
  await expect(store.upload(uploadId)).rejects.toThrow('The specified upload does not exist');
});

test('a part smaller than 5 MiB may only be the last one', async () => {
  const { store } = await setup();
  const uploadId = await store.createUpload('photos', 'small-parts', { contentType: 'x', userMetadata: {} }, 0);
  const a = await store.uploadPart(uploadId, 1, bytes('a'));
  const b = await store.uploadPart(uploadId, 2, bytes('b'));
  await expect(store.completeUpload(uploadId, [{ partNumber: 1, etag: a.etag }, { partNumber: 2, etag: b.etag }])).rejects.toThrow('smaller than the minimum allowed object size');
});
