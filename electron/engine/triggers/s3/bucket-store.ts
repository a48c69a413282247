import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { writeFileAtomic } from '../../atomic-write.ts';
import { guessContentType, type ObjectHeaders, type ObjectInfo, type ObjectMetadata } from './object-metadata.ts';
import { s3Errors, type S3Error } from './s3-errors.ts';

const MIN_PART_BYTES = 5 * 1024 * 1024;
const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

export interface BucketStoreOptions {
  /** `.lambdadesk/buckets`: each bucket a folder of its objects. */
  root: string;
  /**
   * Called just before an object's file appears, changes or goes, with its new `size:mtime`
   * signature (undefined when removed): lets the folder watcher tell our writes from the user's.
   */
  onCommit?: (bucket: string, key: string, signature: string | undefined) => void;
}

export interface ListedObject {
  key: string;
  size: number;
  etag: string;
  lastModified: number;
}

export interface UploadInfo {
  uploadId: string;
  bucket: string;
  key: string;
  headers: ObjectHeaders;
  initiatedAt: number;
}

export function signatureOf(size: number, mtimeMs: number): string {
  return `${size}:${mtimeMs}`;
}

/** Bucket names as S3 allows them today: 3–63 lowercase letters, digits, dots and hyphens. */
export function isValidBucketName(name: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) && !name.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(name) && !name.startsWith('xn--') && !name.endsWith('-s3alias');
}

/**
 * Buckets as folders under `.lambdadesk/buckets/NAME/`, an object as a file at its key, so a user
 * can look at them and drop files in. Metadata (ETag, Content-Type, user metadata) lives in a
 * sidecar tree `.meta/NAME/<key>`; bucket names never start with a dot, so `.meta`, `.staging`
 * and `.uploads` cannot clash with a bucket. Every write goes to `.staging` first, is synced, then
 * renamed into place: a crash leaves the old object or the new one, never half of one.
 */
export class BucketStore {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly options: BucketStoreOptions) {}

  get root(): string {
    return this.options.root;
  }

  private get staging(): string {
    return join(this.root, '.staging');
  }

  private get uploads(): string {
    return join(this.root, '.uploads');
  }

  async init(): Promise<void> {
    // Whatever is in staging belongs to a write that never finished, so it was never acknowledged.
    await rm(this.staging, { recursive: true, force: true });
    await mkdir(this.staging, { recursive: true });
    await mkdir(join(this.root, '.meta'), { recursive: true });
    await mkdir(this.uploads, { recursive: true });
  }

  dataPath(bucket: string, key: string): string {
    return join(this.root, bucket, ...key.split('/'));
  }

  private metaPath(bucket: string, key: string): string {
    return join(this.root, '.meta', bucket, ...key.split('/'));
  }

  async listBuckets(): Promise<Array<{ name: string; createdAt: number }>> {
    const entries = await readdir(this.root, { withFileTypes: true });
    const out: Array<{ name: string; createdAt: number }> = [];
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const info = await stat(join(this.root, entry.name));
      out.push({ name: entry.name, createdAt: Math.floor(info.birthtimeMs || info.mtimeMs) });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async bucketExists(name: string): Promise<boolean> {
    if (!isValidBucketName(name)) return false;
    return stat(join(this.root, name)).then(
      (s) => s.isDirectory(),
      () => false,
    );
  }

  async requireBucket(name: string): Promise<void> {
    if (!(await this.bucketExists(name))) throw s3Errors.noSuchBucket(name);
  }

  /** Creates the bucket's folder; false when it was there already. */
  async createBucket(name: string): Promise<boolean> {
    if (!isValidBucketName(name)) throw s3Errors.invalidBucketName(name);
    if (await this.bucketExists(name)) return false;
    await mkdir(join(this.root, name), { recursive: true });
    return true;
  }

  async deleteBucket(name: string): Promise<void> {
    await this.requireBucket(name);
    if ((await readdir(join(this.root, name))).length > 0) throw s3Errors.bucketNotEmpty(name);
    await rmdir(join(this.root, name));
    await rm(join(this.root, '.meta', name), { recursive: true, force: true });
  }

  /**
   * Stores an object from a stream; `verify` runs once the bytes are in (the request's checksums)
   * and may throw, in which case nothing changes. A key ending in `/` is a folder marker.
   */
  async put(bucket: string, key: string, source: AsyncIterable<Buffer>, headers: ObjectHeaders, verify?: () => Record<string, string> | void): Promise<ObjectInfo> {
    await this.requireBucket(bucket);
    checkKey(key);
    const staged = join(this.staging, randomUUID());
    const md5 = createHash('md5');
    try {
      const file = createWriteStream(staged, { flags: 'wx' });
      await pipeline(
        (async function* () {
          for await (const chunk of source) {
            md5.update(chunk);
            yield chunk;
          }
        })(),
        file,
      );
      const checksums = verify?.() ?? undefined;
      const meta = { ...headers, etag: md5.digest('hex'), checksums: checksums && Object.keys(checksums).length ? checksums : undefined };
      if (key.endsWith('/')) return await this.putFolderMarker(bucket, key, staged);
      return await this.commit(bucket, key, staged, meta);
    } finally {
      await rm(staged, { force: true });
    }
  }

  private async putFolderMarker(bucket: string, key: string, staged: string): Promise<ObjectInfo> {
    if ((await stat(staged)).size > 0) throw s3Errors.invalidRequest(`LambdaDesk keeps "${key}" as a folder, so an object whose key ends in "/" must be empty.`);
    const dir = this.dataPath(bucket, key);
    await mkdir(dir, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
      throw conflict(bucket, key, err);
    });
    return (await this.head(bucket, key)) ?? folderInfo(bucket, key, Date.now());
  }

  /** Moves a fully written, synced staging file into place with its sidecar. */
  private async commit(bucket: string, key: string, staged: string, meta: Omit<ObjectMetadata, 'size' | 'mtimeMs'>): Promise<ObjectInfo> {
    return this.withLock(bucket, key, async () => {
      const handle = await open(staged, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      const info = await stat(staged);
      const data = this.dataPath(bucket, key);
      const existing = await stat(data).catch(() => undefined);
      if (existing?.isDirectory()) throw conflict(bucket, key);
      await mkdir(dirname(data), { recursive: true }).catch((err: NodeJS.ErrnoException) => {
        throw conflict(bucket, key, err);
      });
      const full: ObjectMetadata = { ...meta, size: info.size, mtimeMs: info.mtimeMs };
      await writeFileAtomic(this.metaPath(bucket, key), JSON.stringify(full));
      this.options.onCommit?.(bucket, key, signatureOf(info.size, info.mtimeMs));
      await rename(staged, data).catch((err: NodeJS.ErrnoException) => {
        throw conflict(bucket, key, err);
      });
      await syncDir(dirname(data));
      return { ...full, bucket, key, lastModified: Math.floor(info.mtimeMs) };
    });
  }

  /** The object's metadata; a file without a current sidecar (dropped in by hand) gets one now. */
  async head(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    if (!isValidKey(key) || !(await this.bucketExists(bucket))) return undefined;
    const path = this.dataPath(bucket, key);
    const info = await stat(path).catch(() => undefined);
    if (!info) return undefined;
    if (info.isDirectory()) {
      if (!key.endsWith('/') || (await readdir(path)).length > 0) return undefined;
      return folderInfo(bucket, key, info.mtimeMs);
    }
    if (key.endsWith('/') || !info.isFile()) return undefined;
    const sidecar = await readFile(this.metaPath(bucket, key), 'utf8')
      .then((text) => JSON.parse(text) as ObjectMetadata)
      .catch(() => undefined);
    if (sidecar && sidecar.size === info.size && sidecar.mtimeMs === info.mtimeMs) return { ...sidecar, bucket, key, lastModified: Math.floor(info.mtimeMs) };
    const md5 = createHash('md5');
    for await (const chunk of createReadStream(path)) md5.update(chunk as Buffer);
    const again = await stat(path).catch(() => undefined);
    const meta: ObjectMetadata = { etag: md5.digest('hex'), size: info.size, mtimeMs: info.mtimeMs, contentType: sidecar?.contentType ?? guessContentType(key), userMetadata: sidecar?.userMetadata ?? {} };
    // Only a file that held still while it was read gets a sidecar; one being written is read again later.
    if (again && again.size === info.size && again.mtimeMs === info.mtimeMs) await writeFileAtomic(this.metaPath(bucket, key), JSON.stringify(meta)).catch(() => undefined);
    return { ...meta, bucket, key, lastModified: Math.floor(info.mtimeMs) };
  }

  /** The object's bytes, or the inclusive byte range `start`–`end`. */
  read(bucket: string, key: string, range?: { start: number; end: number }): NodeJS.ReadableStream {
    return createReadStream(this.dataPath(bucket, key), range ? { start: range.start, end: range.end } : {});
  }

  /** Removes the object (and folders it leaves empty); returns what was there, if anything. */
  async delete(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    await this.requireBucket(bucket);
    if (!isValidKey(key)) return undefined;
    return this.withLock(bucket, key, async () => {
      const existing = await this.head(bucket, key);
      if (!existing) return undefined;
      this.options.onCommit?.(bucket, key, undefined);
      const path = this.dataPath(bucket, key);
      if (key.endsWith('/')) await rmdir(path).catch(() => undefined);
      else await rm(path, { force: true });
      await rm(this.metaPath(bucket, key), { force: true, recursive: key.endsWith('/') });
      await this.pruneEmptyFolders(bucket, key);
      return existing;
    });
  }

  private async pruneEmptyFolders(bucket: string, key: string): Promise<void> {
    for (const root of [join(this.root, bucket), join(this.root, '.meta', bucket)]) {
      let dir = dirname(join(root, ...key.replace(/\/$/, '').split('/')));
      while (dir.startsWith(root + sep)) {
        const removed = await rmdir(dir).then(
          () => true,
          () => false,
        );
        if (!removed) break;
        dir = dirname(dir);
      }
    }
  }

  /** Every object whose key starts with `prefix`, in S3's order (UTF-8 bytes). */
  async list(bucket: string, prefix = ''): Promise<ListedObject[]> {
    await this.requireBucket(bucket);
    const slash = prefix.lastIndexOf('/');
    const base = slash >= 0 ? prefix.slice(0, slash + 1) : '';
    if (base && !isValidKey(base)) return [];
    const keys: string[] = [];
    await this.walk(join(this.root, bucket, ...base.split('/').filter(Boolean)), base, keys);
    const matching = keys.filter((key) => key.startsWith(prefix)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const out: ListedObject[] = [];
    for (const key of matching) {
      const info = await this.head(bucket, key);
      if (info) out.push({ key, size: info.size, etag: info.etag, lastModified: info.lastModified });
    }
    return out;
  }

  private async walk(dir: string, keyPrefix: string, out: string[]): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const key = keyPrefix + entry.name;
      if (entry.isDirectory()) {
        const before = out.length;
        await this.walk(join(dir, entry.name), `${key}/`, out);
        if (out.length === before && (await readdir(join(dir, entry.name))).length === 0) out.push(`${key}/`);
      } else if (entry.isFile()) {
        out.push(key);
      }
    }
  }

  /** CopyObject: the source's bytes under a new key, with its metadata or the new headers. */
  async copy(source: { bucket: string; key: string }, target: { bucket: string; key: string }, headers?: ObjectHeaders): Promise<ObjectInfo> {
    const info = await this.head(source.bucket, source.key);
    if (!info) throw s3Errors.noSuchKey(source.key);
    const kept: ObjectHeaders = headers ?? { contentType: info.contentType, contentEncoding: info.contentEncoding, contentDisposition: info.contentDisposition, contentLanguage: info.contentLanguage, cacheControl: info.cacheControl, expires: info.expires, userMetadata: info.userMetadata };
    return this.put(target.bucket, target.key, this.read(source.bucket, source.key) as AsyncIterable<Buffer>, kept);
  }

  async createUpload(bucket: string, key: string, headers: ObjectHeaders, now: number): Promise<string> {
    await this.requireBucket(bucket);
    checkKey(key);
    const uploadId = randomBytes(24).toString('base64url');
    const upload: UploadInfo = { uploadId, bucket, key, headers, initiatedAt: now };
    await writeFileAtomic(join(this.uploads, uploadId, 'upload.json'), JSON.stringify(upload));
    return uploadId;
  }

  async upload(uploadId: string, bucket?: string, key?: string): Promise<UploadInfo> {
    if (!/^[A-Za-z0-9_-]+$/.test(uploadId)) throw s3Errors.noSuchUpload(uploadId);
    const upload = await readFile(join(this.uploads, uploadId, 'upload.json'), 'utf8')
      .then((t) => JSON.parse(t) as UploadInfo)
      .catch(() => undefined);
    if (!upload || (bucket !== undefined && upload.bucket !== bucket) || (key !== undefined && upload.key !== key)) throw s3Errors.noSuchUpload(uploadId);
    return upload;
  }

  async uploadPart(uploadId: string, partNumber: number, source: AsyncIterable<Buffer>, verify?: () => unknown): Promise<{ etag: string; size: number }> {
    const dir = join(this.uploads, uploadId);
    const staged = join(this.staging, randomUUID());
    const md5 = createHash('md5');
    try {
      await pipeline(
        (async function* () {
          for await (const chunk of source) {
            md5.update(chunk);
            yield chunk;
          }
        })(),
        createWriteStream(staged, { flags: 'wx' }),
      );
      verify?.();
      const handle = await open(staged, 'r+');
      await handle.sync().finally(() => handle.close());
      const part = { etag: md5.digest('hex'), size: (await stat(staged)).size };
      const name = `part-${String(partNumber).padStart(5, '0')}`;
      await writeFileAtomic(join(dir, `${name}.json`), JSON.stringify(part));
      await rename(staged, join(dir, name));
      return part;
    } finally {
      await rm(staged, { force: true });
    }
  }

  /** Joins the listed parts into the object; ETag `md5(part md5s)-N`, as S3 computes it. */
  async completeUpload(uploadId: string, parts: Array<{ partNumber: number; etag: string }>): Promise<ObjectInfo> {
    const upload = await this.upload(uploadId);
    const dir = join(this.uploads, uploadId);
    if (parts.length === 0) throw s3Errors.malformedXml();
    const files: string[] = [];
    const digests: Buffer[] = [];
    if (parts.some((part, index) => index > 0 && part.partNumber <= parts[index - 1]!.partNumber)) throw s3Errors.invalidPartOrder();
    for (const [index, part] of parts.entries()) {
      const name = `part-${String(part.partNumber).padStart(5, '0')}`;
      const stored = await readFile(join(dir, `${name}.json`), 'utf8')
        .then((t) => JSON.parse(t) as { etag: string; size: number })
        .catch(() => undefined);
      if (!stored || stored.etag !== part.etag.replace(/"/g, '')) throw s3Errors.invalidPart(part.partNumber);
      if (index < parts.length - 1 && stored.size < MIN_PART_BYTES) throw s3Errors.entityTooSmall(part.partNumber);
      files.push(join(dir, name));
      digests.push(Buffer.from(stored.etag, 'hex'));
    }
    const staged = join(this.staging, randomUUID());
    try {
      await pipeline(
        (async function* () {
          for (const file of files) for await (const chunk of createReadStream(file)) yield chunk as Buffer;
        })(),
        createWriteStream(staged, { flags: 'wx' }),
      );
      const etag = `${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${parts.length}`;
      const info = await this.commit(upload.bucket, upload.key, staged, { ...upload.headers, etag, partsCount: parts.length });
      await rm(dir, { recursive: true, force: true });
      return info;
    } finally {
      await rm(staged, { force: true });
    }
  }

  async abortUpload(uploadId: string, bucket: string, key: string): Promise<void> {
    await this.upload(uploadId, bucket, key);
    await rm(join(this.uploads, uploadId), { recursive: true, force: true });
  }

  /** One write at a time per key, so a sidecar always describes the file beside it. */
  private async withLock<T>(bucket: string, key: string, work: () => Promise<T>): Promise<T> {
    const id = `${bucket}/${key}`;
    const previous = this.locks.get(id) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    this.locks.set(id, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(id) === tail) this.locks.delete(id);
    }
  }
}

function folderInfo(bucket: string, key: string, mtimeMs: number): ObjectInfo {
  return { bucket, key, etag: EMPTY_MD5, size: 0, mtimeMs, lastModified: Math.floor(mtimeMs), contentType: 'application/x-directory', userMetadata: {} };
}

export function isValidKey(key: string): boolean {
  if (key.length === 0 || Buffer.byteLength(key) > 1024 || key.includes('\u0000')) return false;
  const segments = key.split('/');
  return segments.every((segment, index) => (index === segments.length - 1 ? segment !== '.' && segment !== '..' : segment !== '' && segment !== '.' && segment !== '..') && Buffer.byteLength(segment) <= 255);
}

function checkKey(key: string): void {
  if (Buffer.byteLength(key) > 1024) throw s3Errors.keyTooLong();
  if (!isValidKey(key)) {
    throw s3Errors.invalidArgument(
      `LambdaDesk stores objects as files, so a key cannot be empty, contain an empty, "." or ".." path segment, a NUL character, or a segment longer than 255 bytes: "${key}".`,
      'key',
      key,
    );
  }
}

function conflict(bucket: string, key: string, cause?: NodeJS.ErrnoException): S3Error {
  if (cause && !['ENOTDIR', 'EISDIR', 'EEXIST', 'ENOTEMPTY'].includes(cause.code ?? '')) return s3Errors.internal(cause.message);
  return s3Errors.invalidRequest(
    `LambdaDesk keeps objects as files under .lambdadesk/buckets/${bucket}/, so "${key}" cannot be stored: a key is either an object or a folder of other keys (e.g. "a" and "a/b" cannot both exist). Rename one of them.`,
  );
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}
