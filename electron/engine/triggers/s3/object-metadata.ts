import { extname } from 'node:path';

/** What S3 keeps about an object besides its bytes: the sidecar file beside it. */
export interface ObjectMetadata {
  /** MD5 hex, or `<md5 of part md5s>-<parts>` for multipart uploads; sent quoted as ETag. */
  etag: string;
  size: number;
  /** The data file's mtime when this was written: a different file means the sidecar is stale. */
  mtimeMs: number;
  contentType: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: string;
  /** `x-amz-meta-*`, keys lowercased as S3 returns them. */
  userMetadata: Record<string, string>;
  /** `CRC32`, `SHA256`, … (base64) when the uploader sent them. */
  checksums?: Record<string, string>;
  partsCount?: number;
}

export interface ObjectInfo extends ObjectMetadata {
  bucket: string;
  key: string;
  /** Epoch ms. */
  lastModified: number;
}

/** The part of the metadata an uploader chooses (the rest is computed). */
export type ObjectHeaders = Pick<ObjectMetadata, 'contentType' | 'contentEncoding' | 'contentDisposition' | 'contentLanguage' | 'cacheControl' | 'expires' | 'userMetadata'>;

export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

const CONTENT_TYPES: Record<string, string> = {
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.md': 'text/markdown',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.ico': 'image/vnd.microsoft.icon',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.tar': 'application/x-tar',
  '.mp3': 'audio/mpeg',
  '.mp4': 'video/mp4',
  '.wasm': 'application/wasm',
};

/** For files copied into a bucket folder by hand, which came with no Content-Type: guessed from the name, as the AWS CLI does. */
export function guessContentType(key: string): string {
  return CONTENT_TYPES[extname(key).toLowerCase()] ?? DEFAULT_CONTENT_TYPE;
}
