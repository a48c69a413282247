import { readFile } from 'node:fs/promises';

/** One file of a deploy package, read only when it is zipped, so limits are checked first. */
export interface PackageFile {
  /** Path inside the zip: forward slashes, relative. */
  path: string;
  size: number;
  /** Known to be executable before reading: an execute bit on disk, or named `bootstrap`. */
  executable: boolean;
  read(): Promise<Buffer>;
}

export function fileOnDisk(path: string, absPath: string, size: number, diskMode: number): PackageFile {
  return { path, size, executable: (diskMode & 0o111) !== 0 || isBootstrap(path), read: () => readFile(absPath) };
}

export function fileInMemory(path: string, data: Uint8Array, executable = false): PackageFile {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return { path, size: bytes.length, executable: executable || isBootstrap(path), read: () => Promise.resolve(bytes) };
}

/**
 * The mode a file gets in the zip: 0755 for `bootstrap`, programs and scripts, 0644 otherwise.
 * Content decides too, because a checkout on Windows or from a zip loses execute bits, and the
 * same project must give the same package everywhere.
 */
export function zipModeOf(file: PackageFile, data: Uint8Array): 0o755 | 0o644 {
  if (file.executable) return 0o755;
  const elf = data.length >= 4 && data[0] === 0x7f && data[1] === 0x45 && data[2] === 0x4c && data[3] === 0x46;
  const script = data.length >= 2 && data[0] === 0x23 && data[1] === 0x21; // "#!"
  return elf || script ? 0o755 : 0o644;
}

function isBootstrap(path: string): boolean {
  return path === 'bootstrap' || path.endsWith('/bootstrap');
}

/** Packages merged into one zip: a later list wins on the same path (code over dependencies). */
export function mergeFiles(...lists: PackageFile[][]): PackageFile[] {
  const byPath = new Map<string, PackageFile>();
  for (const list of lists) for (const file of list) byPath.set(file.path, file);
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function prefixFiles(prefix: string, files: PackageFile[]): PackageFile[] {
  return prefix ? files.map((file) => ({ ...file, path: `${prefix}/${file.path}` })) : files;
}
