import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { extractZip } from './extract-zip.ts';
import { readZip } from './zip-reader.ts';
import { writeZip } from './zip-writer.ts';

const hasZip = spawnSync('zip', ['-v']).status === 0;

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'extract-zip-test-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function zipFile(dir: string, entries: { path: string; data: string; mode: number }[]): Promise<string> {
  const zip = await writeZip(entries.map((e) => ({ ...e, data: Buffer.from(e.data) })));
  const path = join(dir, 'package.zip');
  await writeFile(path, zip.bytes);
  return path;
}

describe('extractZip', () => {
  test('unpacks every file with its contents and mode, as Lambda would', async () => {
    const dir = await tempDir();
    const zip = await zipFile(dir, [
      { path: 'bootstrap', data: '#!/bin/sh\n', mode: 0o755 },
      { path: 'node_modules/a/index.js', data: 'module.exports = "a";', mode: 0o644 },
    ]);
    const result = await extractZip(zip, join(dir, 'task'));
    expect(result).toEqual({ files: 2, bytes: 10 + 21 });
    expect(await readFile(join(dir, 'task/node_modules/a/index.js'), 'utf8')).toBe('module.exports = "a";');
    expect((await stat(join(dir, 'task/bootstrap'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(dir, 'task/node_modules/a/index.js'))).mode & 0o777).toBe(0o644);
  });

  test('replaces the destination as a whole, so files of an older package do not linger', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'task'));
    await writeFile(join(dir, 'task/stale.js'), 'old');
    await extractZip(await zipFile(dir, [{ path: 'app.js', data: 'new', mode: 0o644 }]), join(dir, 'task'));
    expect(await readdir(join(dir, 'task'))).toEqual(['app.js']);
  });

  test('an entry that climbs out of the destination is refused and nothing is written', async () => {
    const dir = await tempDir();
    const zip = await writeZip([{ path: 'aa/evil', data: Buffer.from('x'), mode: 0o644 }]);
    // Same length, so offsets stay valid: rename the entry in the local and central headers.
    const evil = Buffer.from(zip.bytes.toString('latin1').replaceAll('aa/evil', '../evil'), 'latin1');
    await writeFile(join(dir, 'evil.zip'), evil);
    await expect(extractZip(join(dir, 'evil.zip'), join(dir, 'out/task'))).rejects.toThrow(/outside the destination/);
    expect(await readdir(join(dir, 'out'))).toEqual([]);
    expect(await readdir(dir)).toEqual(['evil.zip', 'out']);
  });

  test('a damaged archive is reported and leaves the old destination untouched', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'task'));
    await writeFile(join(dir, 'task/keep.js'), 'keep');
    const zip = await writeZip([{ path: 'a.txt', data: Buffer.from('abc'), mode: 0o644 }]);
    const at = 30 + 'a.txt'.length; // the first stored byte
    zip.bytes[at] = zip.bytes[at]! ^ 0xff;
    await writeFile(join(dir, 'bad.zip'), zip.bytes);
    await expect(extractZip(join(dir, 'bad.zip'), join(dir, 'task'))).rejects.toThrow(/CRC/);
    expect(await readFile(join(dir, 'task/keep.js'), 'utf8')).toBe('keep');
  });

  test.skipIf(!hasZip)('reads archives made by Info-ZIP, with folders, extra fields and modes', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'src/lib'), { recursive: true });
    await writeFile(join(dir, 'src/lib/mod.py'), 'X = 1\n'.repeat(100));
    await writeFile(join(dir, 'src/run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    execFileSync('zip', ['-qr', '../foreign.zip', '.'], { cwd: join(dir, 'src') });
    const entries = readZip(await readFile(join(dir, 'foreign.zip')));
    expect(entries.filter((e) => e.kind === 'file').map((e) => [e.path, e.mode.toString(8)])).toEqual(
      expect.arrayContaining([['lib/mod.py', '644'], ['run.sh', '755']]),
    );
    await extractZip(join(dir, 'foreign.zip'), join(dir, 'task'));
    expect(await readFile(join(dir, 'task/lib/mod.py'), 'utf8')).toBe('X = 1\n'.repeat(100));
  });
});
