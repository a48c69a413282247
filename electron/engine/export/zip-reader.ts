import { inflateRawSync } from 'node:zlib';
import { crc32 } from './crc32.ts';

/**
 * Reads a ZIP archive from memory through its central directory, as Lambda does, so that an
 * exported package can be run, compared or re-exported. Stored and deflated entries only; every
 * entry's CRC is checked.
 */

export interface ZipEntry {
  path: string;
  kind: 'file' | 'directory' | 'symlink';
  /** Permission bits (e.g. 0o755); 0o644/0o755 defaults when the archive was not made on Unix. */
  mode: number;
  /** File contents; for a symlink, its target. Empty for directories. */
  data: Buffer;
}

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

export class ZipFormatError extends Error {}

export function readZip(zip: Buffer): ZipEntry[] {
  const { count, offset } = findCentralDirectory(zip);
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new ZipFormatError(`Central directory entry ${i} is damaged`);
    const madeBy = zip.readUInt16LE(at + 4) >> 8;
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    let compressedSize = zip.readUInt32LE(at + 20);
    let size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const external = zip.readUInt32LE(at + 38);
    let localOffset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString(flags & (1 << 11) ? 'utf8' : 'latin1');
    const zip64 = readZip64Extra(zip.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), {
      size: size === 0xffffffff,
      compressedSize: compressedSize === 0xffffffff,
      offset: localOffset === 0xffffffff,
    });
    size = zip64.size ?? size;
    compressedSize = zip64.compressedSize ?? compressedSize;
    localOffset = zip64.offset ?? localOffset;
    at += 46 + nameLength + extraLength + commentLength;

    if (flags & 1) throw new ZipFormatError(`${name}: encrypted entries are not supported`);
    if (zip.readUInt32LE(localOffset) !== 0x04034b50) throw new ZipFormatError(`${name}: local header is damaged`);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) data = inflateRawSync(raw);
    else throw new ZipFormatError(`${name}: compression method ${method} is not supported (only stored and deflate)`);
    if (data.length !== size || crc32(data) !== crc) throw new ZipFormatError(`${name}: contents do not match their CRC`);

    const unixMode = madeBy === 3 ? external >>> 16 : 0;
    const isDir = name.endsWith('/') || (unixMode & S_IFMT) === S_IFDIR;
    const kind = isDir ? 'directory' : (unixMode & S_IFMT) === S_IFLNK ? 'symlink' : 'file';
    const mode = unixMode & 0o777 || (isDir ? 0o755 : 0o644);
    entries.push({ path: isDir ? name.replace(/\/+$/, '') : name, kind, mode, data });
  }
  return entries;
}

function findCentralDirectory(zip: Buffer): { count: number; offset: number } {
  // The end record is 22 bytes plus a comment of at most 65,535 bytes.
  const lowest = Math.max(0, zip.length - 22 - 0xffff);
  for (let at = zip.length - 22; at >= lowest; at--) {
    if (zip.readUInt32LE(at) !== 0x06054b50) continue;
    let count = zip.readUInt16LE(at + 10);
    let offset = zip.readUInt32LE(at + 16);
    const locator = at - 20;
    if (locator >= 0 && zip.readUInt32LE(locator) === 0x07064b50) {
      const zip64At = Number(zip.readBigUInt64LE(locator + 8));
      if (zip.readUInt32LE(zip64At) !== 0x06064b50) throw new ZipFormatError('ZIP64 end record is damaged');
      count = Number(zip.readBigUInt64LE(zip64At + 32));
      offset = Number(zip.readBigUInt64LE(zip64At + 48));
    }
    return { count, offset };
  }
  throw new ZipFormatError('Not a ZIP archive: no end of central directory record');
}

function readZip64Extra(
  extra: Buffer,
  wanted: { size: boolean; compressedSize: boolean; offset: boolean },
): { size?: number; compressedSize?: number; offset?: number } {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      // Only the fields whose 32-bit value overflowed are present, in this order.
      let field = at + 4;
      const next = (): number => {
        const value = Number(extra.readBigUInt64LE(field));
        field += 8;
        return value;
      };
      const size = wanted.size ? next() : undefined;
      const compressedSize = wanted.compressedSize ? next() : undefined;
      const offset = wanted.offset ? next() : undefined;
      return { size, compressedSize, offset };
    }
    at += 4 + length;
  }
  return {};
}
