import { promisify } from 'node:util';
import { once } from 'node:events';
import { constants, createDeflateRaw, deflateRaw } from 'node:zlib';
import { crc32 } from './crc32.ts';

/**
 * A deterministic ZIP writer: the same entries give the same bytes on every machine, run and
 * time zone. Entries are sorted by path, every timestamp is the DOS epoch (1980-01-01 00:00, no
 * extended-time fields), permissions are 0755 or 0644 only, and deflate runs with fixed settings.
 * Lambda extracts with these modes, so `bootstrap` must leave here executable.
 */

const deflateRawAsync = promisify(deflateRaw);

/** Fixed so that output never depends on zlib's defaults or on who calls us. */
const DEFLATE_OPTIONS = { level: 9, memLevel: 8, windowBits: 15, strategy: constants.Z_DEFAULT_STRATEGY };
const DOS_TIME = 0; // 00:00:00
const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01: the earliest a DOS date can say
const MADE_BY_UNIX = (3 << 8) | 20; // "Unix, spec 2.0": tells unzip and Lambda to honour the modes
const FLAG_UTF8 = 1 << 11;
const MAX_U16 = 0xffff;
const MAX_U32 = 0xffffffff;
/** How many entries are deflated at once; zlib runs them on libuv's thread pool. */
const PARALLEL_DEFLATES = 4;
/** Bigger entries are fed to zlib in slices, so progress moves inside them (zlib's output is the same). */
const SLICE_BYTES = 4 * 1024 * 1024;

export interface ZipInput {
  /** Path inside the archive: forward slashes, relative, no `.` or `..` segments. */
  path: string;
  data: Uint8Array;
  /** Any execute bit makes the entry 0755; everything else is written 0644. */
  mode: number;
}

export interface ZipEntryInfo {
  path: string;
  mode: 0o755 | 0o644;
  size: number;
  compressedSize: number;
}

export interface WrittenZip {
  bytes: Buffer;
  /** In archive order, so callers can name the entries that make a package too big. */
  entries: ZipEntryInfo[];
}

export interface ZipWriteOptions {
  /** Called after each entry with the uncompressed bytes done so far and in total. */
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

export async function writeZip(inputs: readonly ZipInput[], options: ZipWriteOptions = {}): Promise<WrittenZip> {
  const sorted = [...inputs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (let i = 0; i < sorted.length; i++) {
    assertEntryPath(sorted[i]!.path);
    if (i > 0 && sorted[i]!.path === sorted[i - 1]!.path) throw new Error(`Two zip entries share the path ${sorted[i]!.path}`);
  }
  const bytesTotal = sorted.reduce((sum, input) => sum + input.data.length, 0);
  let bytesDone = 0;
  const compressed = await mapInOrder(sorted, PARALLEL_DEFLATES, (input) =>
    compress(input.data, (bytes) => {
      bytesDone += bytes;
      options.onProgress?.(bytesDone, bytesTotal);
    }),
  );

  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  const entries: ZipEntryInfo[] = [];
  let offset = 0;
  sorted.forEach((input, i) => {
    const { method, data } = compressed[i]!;
    const name = Buffer.from(input.path, 'utf8');
    const mode = input.mode & 0o111 ? 0o755 : 0o644;
    const crc = crc32(input.data);
    if (input.data.length > MAX_U32 || offset > MAX_U32) throw new Error(`${input.path}: ZIP64 sizes are not written; Lambda packages stay far below 4 GB`);
    const flags = /^[\x20-\x7e]*$/.test(input.path) ? 0 : FLAG_UTF8;
    const needed = method === 8 ? 20 : 10;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(needed, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(input.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    chunks.push(local, name, data);

    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(MADE_BY_UNIX, 4);
    header.writeUInt16LE(needed, 6);
    header.writeUInt16LE(flags, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt16LE(DOS_TIME, 12);
    header.writeUInt16LE(DOS_DATE, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt32LE(input.data.length, 24);
    header.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk number start and internal attributes stay 0
    header.writeUInt32LE(((0o100000 | mode) << 16) >>> 0, 38);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);

    offset += local.length + name.length + data.length;
    entries.push({ path: input.path, mode, size: input.data.length, compressedSize: data.length });
  });

  const centralBytes = Buffer.concat(central);
  chunks.push(centralBytes, ...endOfCentralDirectory(sorted.length, centralBytes.length, offset));
  return { bytes: Buffer.concat(chunks), entries };
}

async function compress(data: Uint8Array, onBytes: (bytes: number) => void): Promise<{ method: 0 | 8; data: Uint8Array }> {
  let deflated: Uint8Array;
  if (data.length <= SLICE_BYTES) {
    deflated = data.length === 0 ? data : await deflateRawAsync(data, DEFLATE_OPTIONS);
    onBytes(data.length);
  } else {
    deflated = await deflateInSlices(data, onBytes);
  }
  // Already-compressed files (images, zips, .so) only grow when deflated: store them.
  return data.length > 0 && deflated.length < data.length ? { method: 8, data: deflated } : { method: 0, data };
}

async function deflateInSlices(data: Uint8Array, onBytes: (bytes: number) => void): Promise<Buffer> {
  const stream = createDeflateRaw(DEFLATE_OPTIONS);
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = once(stream, 'end');
  for (let at = 0; at < data.length; at += SLICE_BYTES) {
    const slice = data.subarray(at, at + SLICE_BYTES);
    if (!stream.write(slice)) await once(stream, 'drain');
    onBytes(slice.length);
  }
  stream.end();
  await ended;
  return Buffer.concat(chunks);
}

/** ZIP64 end records only when there are more entries than 16 bits can count (big node_modules). */
function endOfCentralDirectory(count: number, centralSize: number, centralOffset: number): Buffer[] {
  const records: Buffer[] = [];
  if (count > MAX_U16) {
    const zip64 = Buffer.alloc(56);
    zip64.writeUInt32LE(0x06064b50, 0);
    zip64.writeBigUInt64LE(44n, 4);
    zip64.writeUInt16LE(MADE_BY_UNIX, 12);
    zip64.writeUInt16LE(45, 14);
    zip64.writeBigUInt64LE(BigInt(count), 24);
    zip64.writeBigUInt64LE(BigInt(count), 32);
    zip64.writeBigUInt64LE(BigInt(centralSize), 40);
    zip64.writeBigUInt64LE(BigInt(centralOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(centralOffset + centralSize), 8);
    locator.writeUInt32LE(1, 16);
    records.push(zip64, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(count, MAX_U16), 8);
  end.writeUInt16LE(Math.min(count, MAX_U16), 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(centralOffset, 16);
  records.push(end);
  return records;
}

export function assertEntryPath(path: string): void {
  const segments = path.split('/');
  if (!path || path.startsWith('/') || path.includes('\\') || path.includes('\0') || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`Unsafe zip entry path: ${JSON.stringify(path)}`);
  }
}

async function mapInOrder<T, R>(items: readonly T[], parallel: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
  return results;
}
