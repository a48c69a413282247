import { createHash, type Hash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { crc32 } from 'node:zlib';
import { s3Errors } from './s3-errors.ts';

const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'sha1', 'sha256'] as const;
type Algorithm = (typeof CHECKSUM_ALGORITHMS)[number];

interface Digest {
  update(chunk: Buffer): void;
  base64(): string;
}

function hashDigest(name: string): Digest {
  const hash: Hash = createHash(name);
  return { update: (c) => void hash.update(c), base64: () => hash.digest('base64') };
}

function crcDigest(step: (chunk: Buffer, crc: number) => number): Digest {
  let value = 0;
  return {
    update: (c) => void (value = step(c, value)),
    base64: () => {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(value >>> 0);
      return out.toString('base64');
    },
  };
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
})();

function crc32c(chunk: Buffer, previous: number): number {
  let crc = ~previous >>> 0;
  for (let i = 0; i < chunk.length; i++) crc = CRC32C_TABLE[(crc ^ chunk[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

function newDigest(algorithm: Algorithm): Digest {
  switch (algorithm) {
    case 'crc32':
      return crcDigest((c, v) => crc32(c, v));
    case 'crc32c':
      return crcDigest(crc32c);
    case 'sha1':
      return hashDigest('sha1');
    case 'sha256':
      return hashDigest('sha256');
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A PutObject/UploadPart body as S3 reads it: plain, or `aws-chunked` (what SDKs stream with
 * `x-amz-content-sha256: STREAMING-…`, checksums in a trailer), with every integrity check S3
 * makes — Content-MD5, a hex `x-amz-content-sha256`, `x-amz-checksum-*` headers or trailers
 * (CRC64NVME is accepted unchecked) and the decoded length.
 */
export class PayloadReader {
  private readonly chunked: boolean;
  private readonly digests = new Map<Algorithm, Digest>();
  private readonly md5?: Hash;
  private readonly sha256Hex?: Hash;
  private readonly trailers = new Map<string, string>();
  private size = 0;

  constructor(private readonly req: IncomingMessage) {
    const contentSha = header(req, 'x-amz-content-sha256') ?? '';
    const encoding = header(req, 'content-encoding') ?? '';
    this.chunked = contentSha.startsWith('STREAMING-') || encoding.split(',').map((s) => s.trim()).includes('aws-chunked');
    const declared = [...(header(req, 'x-amz-trailer') ?? '').split(','), ...Object.keys(req.headers)]
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name.startsWith('x-amz-checksum-'))
      .map((name) => name.slice('x-amz-checksum-'.length))
      .filter((name): name is Algorithm => (CHECKSUM_ALGORITHMS as readonly string[]).includes(name));
    for (const algorithm of declared) this.digests.set(algorithm, newDigest(algorithm));
    if (header(req, 'content-md5')) this.md5 = createHash('md5');
    if (/^[0-9a-f]{64}$/i.test(contentSha)) this.sha256Hex = createHash('sha256');
  }

  /** Content-Encoding to store: what the client set, without the transfer's `aws-chunked`. */
  contentEncoding(): string | undefined {
    const kept = (header(this.req, 'content-encoding') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s && s !== 'aws-chunked');
    return kept.length ? kept.join(',') : undefined;
  }

  /** The object's bytes, decoded; read it to the end before calling `verify`. */
  async *body(): AsyncGenerator<Buffer> {
    const source = this.chunked ? this.decodeChunks() : (this.req as AsyncIterable<Buffer>);
    for await (const chunk of source) {
      this.size += chunk.length;
      for (const digest of this.digests.values()) digest.update(chunk);
      this.md5?.update(chunk);
      this.sha256Hex?.update(chunk);
      yield chunk;
    }
  }

  /** Throws S3's error for the first check that fails; returns the checksums to keep with the object. */
  verify(): Record<string, string> {
    const decoded = header(this.req, 'x-amz-decoded-content-length');
    if (this.chunked && decoded !== undefined && Number(decoded) !== this.size) throw s3Errors.incompleteBody();
    const contentMd5 = header(this.req, 'content-md5');
    if (contentMd5 && this.md5) {
      if (Buffer.from(contentMd5, 'base64').length !== 16) throw s3Errors.invalidDigest();
      if (this.md5.digest('base64') !== contentMd5) throw s3Errors.badDigest('Content-MD5');
    }
    const contentSha = header(this.req, 'x-amz-content-sha256');
    if (this.sha256Hex && contentSha && this.sha256Hex.digest('hex') !== contentSha.toLowerCase()) throw s3Errors.sha256Mismatch();
    const checksums: Record<string, string> = {};
    for (const [algorithm, digest] of this.digests) {
      const name = `x-amz-checksum-${algorithm}`;
      const expected = this.trailers.get(name) ?? header(this.req, name);
      const actual = digest.base64();
      if (expected !== undefined && expected !== actual) throw s3Errors.badDigest(algorithm.toUpperCase());
      checksums[algorithm.toUpperCase()] = actual;
    }
    return checksums;
  }

  /** `hex-size[;chunk-signature=…]\r\n data \r\n … 0\r\n trailers \r\n\r\n`. */
  private async *decodeChunks(): AsyncGenerator<Buffer> {
    let pending: Buffer = Buffer.alloc(0);
    let remaining = -1; // bytes of the current chunk's data still to come; -1 while reading a size line
    let skipCrlf = false;
    let inTrailer = false;
    for await (const incoming of this.req as AsyncIterable<Buffer>) {
      pending = pending.length ? Buffer.concat([pending, incoming]) : incoming;
      for (;;) {
        if (skipCrlf) {
          if (pending.length < 2) break;
          pending = pending.subarray(2);
          skipCrlf = false;
        }
        if (remaining > 0) {
          if (pending.length === 0) break;
          const take = Math.min(remaining, pending.length);
          yield pending.subarray(0, take);
          pending = pending.subarray(take);
          remaining -= take;
          if (remaining === 0) {
            remaining = -1;
            skipCrlf = true;
          }
          continue;
        }
        const end = pending.indexOf('\r\n');
        if (end < 0) break;
        const line = pending.subarray(0, end).toString('latin1');
        pending = pending.subarray(end + 2);
        if (inTrailer) {
          const colon = line.indexOf(':');
          if (colon > 0) this.trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
          continue;
        }
        const size = parseInt(line.split(';')[0] ?? '', 16);
        if (!Number.isInteger(size) || size < 0) throw s3Errors.invalidRequest('The aws-chunked body is malformed: a chunk size line is not hexadecimal.');
        if (size === 0) inTrailer = true;
        else remaining = size;
      }
    }
    if (remaining > 0 || !inTrailer) throw s3Errors.incompleteBody();
    if (pending.length) {
      for (const line of pending.toString('latin1').split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) this.trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
    }
  }
}
