import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, deflateRawSync } from 'node:zlib';
import { describe, expect, onTestFinished, test } from 'vitest';
import { readZip } from './zip-reader.ts';
import { writeZip, type ZipInput } from './zip-writer.ts';

const hasUnzip = spawnSync('unzip', ['-v']).status === 0;

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zip-writer-test-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const text = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('writeZip', () => {
  test('entries come back sorted, with their contents and only the modes 0755 and 0644', async () => {
    const zip = await writeZip([
      { path: 'lib/util.js', data: text('module.exports = 1;\n'.repeat(50)), mode: 0o600 },
      { path: 'bootstrap', data: text('#!/bin/sh\n'), mode: 0o700 },
      { path: 'app.js', data: text('exports.handler = async () => 42;\n'), mode: 0o664 },
    ]);
    const entries = readZip(zip.bytes);
    expect(entries.map((e) => [e.path, e.mode.toString(8), e.data.toString()])).toEqual([
      ['app.js', '644', 'exports.handler = async () => 42;\n'],
      ['bootstrap', '755', '#!/bin/sh\n'],
      ['lib/util.js', '644', 'module.exports = 1;\n'.repeat(50)],
    ]);
    expect(zip.entries.find((e) => e.path === 'lib/util.js')!.compressedSize).toBeLessThan(1000);
  });

  test('the bytes depend on the entries only: not on their order, the clock or the time zone', async () => {
    const inputs: ZipInput[] = [
      { path: 'b', data: text('B'), mode: 0o644 },
      { path: 'a', data: text('A'), mode: 0o755 },
    ];
    const first = await writeZip(inputs);
    const second = await writeZip([...inputs].reverse());
    expect(second.bytes.equals(first.bytes)).toBe(true);
    // Pinned: one-byte entries are stored, so zlib's version cannot move this hash; a timestamp,
    // an extra field or a different mode would.
    expect(createHash('sha256').update(first.bytes).digest('hex')).toBe('25aa7b0f6d7e6f1c3343ee4f931499c796d8604593be7f9b7883b3b8954c64b0');
  });

  test('every entry carries the DOS epoch as its time, whatever the local time zone', async () => {
    const zip = await writeZip([{ path: 'x.txt', data: text('x'), mode: 0o644 }]);
    // Local header: time at offset 10, date at 12. Central header (after the 36-byte local entry): 12 and 14.
    expect([zip.bytes.readUInt16LE(10), zip.bytes.readUInt16LE(12)]).toEqual([0, 0x21]);
    expect([zip.bytes.readUInt16LE(36 + 12), zip.bytes.readUInt16LE(36 + 14)]).toEqual([0, 0x21]);
  });

  test('data that deflate cannot shrink is stored', async () => {
    const random = createHash('sha512').update('seed').digest();
    const zip = await writeZip([{ path: 'random.bin', data: random, mode: 0o644 }]);
    expect(zip.entries[0]!.compressedSize).toBe(random.length);
    expect(readZip(zip.bytes)[0]!.data.equals(random)).toBe(true);
  });

  test('unsafe or duplicate paths are refused', async () => {
    for (const path of ['../evil', '/etc/passwd', 'a//b', 'a\\b', './a', '']) {
      await expect(writeZip([{ path, data: text('x'), mode: 0o644 }])).rejects.toThrow(/Unsafe zip entry path/);
    }
    await expect(
      writeZip([
        { path: 'a', data: text('1'), mode: 0o644 },
        { path: 'a', data: text('2'), mode: 0o644 },
      ]),
    ).rejects.toThrow(/share the path a/);
  });

  test('non-ASCII names are flagged UTF-8 and read back unchanged', async () => {
    const zip = await writeZip([{ path: 'données/é.txt', data: text('é'), mode: 0o644 }]);
    expect(zip.bytes.readUInt16LE(6) & (1 << 11)).not.toBe(0);
    expect(readZip(zip.bytes)[0]!.path).toBe('données/é.txt');
  });

  test.skipIf(!hasUnzip)('unzip -t accepts the archive and lists the fixed modes and times', async () => {
    const dir = await tempDir();
    const zip = await writeZip([
      { path: 'bootstrap', data: text('#!/bin/sh\necho hi\n'), mode: 0o755 },
      { path: 'src/app.py', data: text('def handler(e, c):\n    return 1\n'.repeat(20)), mode: 0o644 },
    ]);
    await writeFile(join(dir, 'p.zip'), zip.bytes);
    expect(execFileSync('unzip', ['-t', join(dir, 'p.zip')]).toString()).toContain('No errors detected');
    const listing = execFileSync('zipinfo', [join(dir, 'p.zip')]).toString();
    expect(listing).toMatch(/-rwxr-xr-x .* 80-Jan-01 00:00 bootstrap/);
    expect(listing).toMatch(/-rw-r--r-- .* 80-Jan-01 00:00 src\/app.py/);
  });

  test.skipIf(!hasUnzip)('more entries than 16 bits can count get ZIP64 end records that unzip accepts', async () => {
    const dir = await tempDir();
    const inputs = Array.from({ length: 70_000 }, (_, i) => ({ path: `f/${String(i).padStart(5, '0')}`, data: Buffer.alloc(0), mode: 0o644 }));
    const zip = await writeZip(inputs);
    expect(readZip(zip.bytes)).toHaveLength(70_000);
    await writeFile(join(dir, 'many.zip'), zip.bytes);
    expect(execFileSync('unzip', ['-tq', join(dir, 'many.zip')]).toString()).toContain('No errors detected');
  });

  test('progress counts uncompressed bytes up to the total', async () => {
    const seen: [number, number][] = [];
    await writeZip(
      [
        { path: 'a', data: Buffer.alloc(1000), mode: 0o644 },
        { path: 'b', data: Buffer.alloc(3000), mode: 0o644 },
      ],
      { onProgress: (done, total) => seen.push([done, total]) },
    );
    expect(seen).toHaveLength(2);
    expect(seen.at(-1)).toEqual([4000, 4000]);
  });

  test('a big entry reports progress as it is deflated, and deflates exactly as in one piece', async () => {
    const data = Buffer.alloc(10 * 1024 * 1024, 'lambda desk ');
    const seen: number[] = [];
    const zip = await writeZip([{ path: 'big.txt', data, mode: 0o644 }], { onProgress: (done) => seen.push(done) });
    expect(seen).toEqual([4194304, 8388608, 10485760]);
    const oneShot = deflateRawSync(data, { level: 9, memLevel: 8, windowBits: 15, strategy: constants.Z_DEFAULT_STRATEGY });
    expect(zip.entries[0]!.compressedSize).toBe(oneShot.length);
    expect(zip.bytes.subarray(30 + 'big.txt'.length, 30 + 'big.txt'.length + oneShot.length).equals(oneShot)).toBe(true);
    expect(readZip(zip.bytes)[0]!.data.equals(data)).toBe(true);
  });
});
