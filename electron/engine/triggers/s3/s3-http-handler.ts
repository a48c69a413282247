import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { LambdaDeskError } from '../../errors.ts';
import type { AwsServiceHandler, UnsignedRequestClaim } from '../../http/aws-endpoint.ts';
import { readBody, type AwsRequestContext } from '../../http/aws-request.ts';
import type { BucketStore } from './bucket-store.ts';
import { DEFAULT_CONTENT_TYPE, type ObjectHeaders, type ObjectInfo } from './object-metadata.ts';
import { PayloadReader } from './payload-reader.ts';
import { S3Error, s3Errors } from './s3-errors.ts';
import { elements, elementText, escapeXml, S3_XMLNS, xmlDocument, type XmlObject } from './s3-xml.ts';

/** A change made through the API, reported before the response so its event is durable when the client hears "200". */
export interface S3Change {
  eventName: 'ObjectCreated:Put' | 'ObjectCreated:Copy' | 'ObjectCreated:CompleteMultipartUpload' | 'ObjectRemoved:Delete';
  bucket: string;
  key: string;
  info?: ObjectInfo;
  requestId: string;
  sourceIp: string;
}

export interface S3HttpDeps {
  store: BucketStore;
  region: string;
  now: () => number;
  ready: () => Promise<void>;
  changed: (change: S3Change) => Promise<void>;
}

const OWNER = { ID: '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a', DisplayName: 'lambdadesk' };
const MAX_XML_BODY = 2 * 1024 * 1024;

/** Query keys that name S3 features LambdaDesk does not emulate: answered NotImplemented, never misread as a plain GET/PUT. */
const UNSUPPORTED_SUBRESOURCES = [
  'acl', 'policy', 'policyStatus', 'cors', 'tagging', 'lifecycle', 'notification', 'website', 'encryption', 'logging', 'replication', 'ownershipControls',
  'publicAccessBlock', 'accelerate', 'requestPayment', 'object-lock', 'intelligent-tiering', 'inventory', 'metrics', 'analytics', 'retention', 'legal-hold',
  'attributes', 'torrent', 'restore', 'select', 'versions', 'session', 'renameObject',
];

type Ctx = { req: IncomingMessage; res: ServerResponse; aws: AwsRequestContext; bucket: string; key: string; query: URLSearchParams; sourceIp: string };

/**
 * S3 on the AWS endpoint, path-style (`http://127.0.0.1:3001/bucket/key`, what the SDK uses for an
 * IP endpoint or with `forcePathStyle`) and `bucket.localhost` virtual-hosted style: buckets,
 * objects (Range and conditional reads), copies, multipart uploads and `aws-chunked` streaming
 * uploads, with S3's XML and errors. Each change raises its bucket notifications before the
 * response goes out.
 */
export function createS3HttpHandler(deps: S3HttpDeps): AwsServiceHandler {
  return async (req, res, aws) => {
    let resource = aws.url.pathname;
    try {
      await deps.ready();
      const { bucket, key } = locate(req, aws.url);
      resource = key ? `/${bucket}/${key}` : bucket ? `/${bucket}` : '/';
      const ctx: Ctx = { req, res, aws, bucket, key, query: aws.url.searchParams, sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '') };
      const unsupported = UNSUPPORTED_SUBRESOURCES.find((name) => ctx.query.has(name));
      if (unsupported) throw s3Errors.notImplemented(`?${unsupported}`);
      await route(deps, ctx);
    } catch (err) {
      if (!req.complete) req.resume();
      sendError(res, err, aws.requestId, req.method === 'HEAD', resource);
    }
  };
}

/** Unsigned requests (curl, a browser) are S3's when they name a bucket that exists, path-style or as `bucket.localhost`. */
export function claimsBucketRequest(store: Pick<BucketStore, 'bucketExists'>): UnsignedRequestClaim {
  return async (req, url) => {
    let bucket: string;
    try {
      ({ bucket } = locate(req, url));
    } catch {
      return false;
    }
    return bucket !== '' && (await store.bucketExists(bucket));
  };
}

function locate(req: IncomingMessage, url: URL): { bucket: string; key: string } {
  const decode = (text: string): string => {
    try {
      return decodeURIComponent(text);
    } catch {
      throw new S3Error('InvalidURI', 400, "Couldn't parse the specified URI.");
    }
  };
  const path = url.pathname.replace(/^\//, '');
  const host = /^([a-z0-9][a-z0-9.-]*[a-z0-9])\.localhost(:\d+)?$/i.exec(req.headers.host ?? '');
  if (host) return { bucket: host[1]!.toLowerCase(), key: decode(path) };
  const slash = path.indexOf('/');
  if (slash < 0) return { bucket: decode(path), key: '' };
  return { bucket: decode(path.slice(0, slash)), key: decode(path.slice(slash + 1)) };
}

async function route(deps: S3HttpDeps, ctx: Ctx): Promise<void> {
  const { req, bucket, key, query } = ctx;
  const method = req.method ?? 'GET';
  if (!bucket) {
    if (method === 'GET') return listBuckets(deps, ctx);
    throw s3Errors.methodNotAllowed(method);
  }
  if (!key) {
    switch (method) {
      case 'PUT':
        if (query.has('versioning')) throw s3Errors.notImplemented('?versioning');
        return createBucket(deps, ctx);
      case 'HEAD':
        await deps.store.requireBucket(bucket);
        return send(ctx.res, 200, undefined, { 'x-amz-bucket-region': deps.region, 'x-amz-access-point-alias': 'false' }, ctx.aws.requestId);
      case 'DELETE':
        await deps.store.deleteBucket(bucket);
        return send(ctx.res, 204, undefined, {}, ctx.aws.requestId);
      case 'POST':
        if (query.has('delete')) return deleteObjects(deps, ctx);
        throw s3Errors.methodNotAllowed(method);
      case 'GET':
        await deps.store.requireBucket(bucket);
        if (query.has('location')) return sendXml(ctx, `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${S3_XMLNS}">${deps.region === 'us-east-1' ? '' : escapeXml(deps.region)}</LocationConstraint>`);
        if (query.has('versioning')) return sendXml(ctx, xmlDocument('VersioningConfiguration', {}));
        if (query.has('uploads')) throw s3Errors.notImplemented('ListMultipartUploads');
        return query.get('list-type') === '2' ? listObjectsV2(deps, ctx) : listObjectsV1(deps, ctx);
      default:
        throw s3Errors.methodNotAllowed(method);
    }
  }
  switch (method) {
    case 'PUT':
      if (query.has('uploadId')) return uploadPart(deps, ctx);
      if (req.headers['x-amz-copy-source']) return copyObject(deps, ctx);
      return putObject(deps, ctx);
    case 'GET':
      if (query.has('uploadId')) throw s3Errors.notImplemented('ListParts');
      return getObject(deps, ctx, false);
    case 'HEAD':
      return getObject(deps, ctx, true);
    case 'DELETE':
      if (query.has('uploadId')) {
        await deps.store.abortUpload(query.get('uploadId') ?? '', bucket, key);
        return send(ctx.res, 204, undefined, {}, ctx.aws.requestId);
      }
      return deleteObject(deps, ctx);
    case 'POST':
      if (query.has('uploads')) return createUpload(deps, ctx);
      if (query.has('uploadId')) return completeUpload(deps, ctx);
      throw s3Errors.notImplemented('POST object uploads (browser forms)');
    default:
      throw s3Errors.methodNotAllowed(method);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function uploadHeaders(req: IncomingMessage, payload?: PayloadReader): ObjectHeaders {
  const userMetadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined) userMetadata[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
  }
  return {
    contentType: header(req, 'content-type') || DEFAULT_CONTENT_TYPE,
    contentEncoding: payload ? payload.contentEncoding() : header(req, 'content-encoding'),
    contentDisposition: header(req, 'content-disposition'),
    contentLanguage: header(req, 'content-language'),
    cacheControl: header(req, 'cache-control'),
    expires: header(req, 'expires'),
    userMetadata,
  };
}

function objectHeaders(info: ObjectInfo): Record<string, string> {
  const out: Record<string, string> = {
    'last-modified': new Date(info.lastModified).toUTCString(),
    etag: `"${info.etag}"`,
    'content-type': info.contentType,
    'accept-ranges': 'bytes',
  };
  if (info.contentEncoding) out['content-encoding'] = info.contentEncoding;
  if (info.contentDisposition) out['content-disposition'] = info.contentDisposition;
  if (info.contentLanguage) out['content-language'] = info.contentLanguage;
  if (info.cacheControl) out['cache-control'] = info.cacheControl;
  if (info.expires) out.expires = info.expires;
  for (const [name, value] of Object.entries(info.userMetadata)) out[`x-amz-meta-${name}`] = value;
  return out;
}

async function putObject(deps: S3HttpDeps, ctx: Ctx): Promise<void> {
  const { req, bucket, key } = ctx;
  await deps.store.requireBucket(bucket);
  if (header(req, 'if-none-match') === '*' && (await deps.store.head(bucket, key))) throw s3Errors.preconditionFailed('If-None-Match');
  const payload = new PayloadReader(req);
  let checksums: Record<string, string> = {};
  const info = await deps.store.put(bucket, key, payload.body(), uploadHeaders(req, payload), () => (checksums = payload.verify()));
  await deps.changed({ eventName: 'ObjectCreated:Put', bucket, key, info, requestId: ctx.aws.requestId, sourceIp: ctx.sourceIp });
  const headers: Record<string, string> = { etag: `"${info.etag}"` };
  for (const [name, value] of Object.entries(checksums)) headers[`x-amz-checksum-${name.toLowerCase()}`] = value;
  send(ctx.res, 200, undefined, headers, ctx.aws.requestId);
}

function copySource(req: IncomingMessage): { bucket: string; key: string } {
  const raw = (header(req, 'x-amz-copy-source') ?? '').split('?')[0]!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw).replace(/^\//, '');
  } catch {
    throw s3Errors.invalidArgument('Invalid copy source encoding', 'x-amz-copy-source', raw);
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) throw s3Errors.invalidArgument('Invalid copy source object key', 'x-amz-copy-source', raw);
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
}

async function copyObject(deps: S3HttpDeps, ctx: Ctx): Promise<void> {
  const { req, bucket, key } = ctx;
  const source = copySource(req);
  await deps.store.requireBucket(source.bucket);
  await deps.store.requireBucket(bucket);
  const directive = (header(req, 'x-amz-metadata-directive') ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') throw s3Errors.invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
  if (source.bucket === bucket && source.key === key && directive === 'COPY') {
    throw s3Errors.invalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
  }
  const info = await deps.store.copy(source, { bucket, key }, directive === 'REPLACE' ? uploadHeaders(req) : undefined);
  await deps.changed({ eventName: 'ObjectCreated:Copy', bucket, key, info, requestId: ctx.aws.requestId, sourceIp: ctx.sourceIp });
  sendXml(ctx, xmlDocument('CopyObjectResult', { LastModified: new Date(info.lastModified).toISOString(), ETag: `"${info.etag}"` }));
}

function parseRange(value: string | undefined, size: number): { start: number; end: number } | undefined {
  const match = value ? /^bytes=(\d*)-(\d*)$/.exec(value.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return undefined; // S3 ignores a Range it cannot read
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) throw s3Errors.invalidRange(size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) throw s3Errors.invalidRange(size);
  if (end < start) return undefined;
  return { start, end };
}

function etagMatches(list: string, etag: string): boolean {
  return list.split(',').some((item) => {
    const tag = item.trim().replace(/^W\//, '').replace(/"/g, '');
    return tag === '*' || tag === etag;
  });
}

async function getObject(deps: S3HttpDeps, ctx: Ctx, headOnly: boolean): Promise<void> {
  const { req, res, bucket, key, query } = ctx;
  await deps.store.requireBucket(bucket);
  const info = await deps.store.head(bucket, key);
  if (!info) throw s3Errors.noSuchKey(key);
  const modifiedSeconds = Math.floor(info.lastModified / 1000);
  const ifMatch = header(req, 'if-match');
  const ifUnmodified = header(req, 'if-unmodified-since');
  if (ifMatch ? !etagMatches(ifMatch, info.etag) : ifUnmodified && modifiedSeconds > Date.parse(ifUnmodified) / 1000) throw s3Errors.preconditionFailed(ifMatch ? 'If-Match' : 'If-Unmodified-Since');
  const ifNoneMatch = header(req, 'if-none-match');
  const ifModified = header(req, 'if-modified-since');
  const headers = objectHeaders(info);
  if (ifNoneMatch ? etagMatches(ifNoneMatch, info.etag) : ifModified && modifiedSeconds <= Date.parse(ifModified) / 1000) {
    return send(res, 304, undefined, { etag: headers.etag!, 'last-modified': headers['last-modified']! }, ctx.aws.requestId);
  }
  for (const name of ['content-type', 'content-language', 'expires', 'cache-control', 'content-disposition', 'content-encoding']) {
    const override = query.get(`response-${name}`);
    if (override) headers[name] = override;
  }
  const range = parseRange(header(req, 'range'), info.size);
  const length = range ? range.end - range.start + 1 : info.size;
  headers['content-length'] = String(length);
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${info.size}`;
  writeHead(res, range ? 206 : 200, headers, ctx.aws.requestId);
  if (headOnly || length === 0 || key.endsWith('/')) {
    res.end();
    return;
  }
  await pipeline(deps.store.read(bucket, key, range), res);
}

async function deleteObject(deps: S3HttpDeps, ctx: Ctx): Promise<void> {
  const removed = await deps.store.delete(ctx.bucket, ctx.key);
  if (removed) await deps.changed({ eventName: 'ObjectRemoved:Delete', bucket: ctx.bucket, key: ctx.key, requestId: ctx.aws.requestId, sourceIp: ctx.sourceIp });
  send(ctx.res, 204, undefined, {}, ctx.aws.requestId);
}

async function deleteObjects(deps: S3HttpDeps, ctx: Ctx): Promise<void> {
  await deps.store.requireBucket(ctx.bucket);
  const xml = (await readBody(ctx.req, MAX_XML_BODY, () => s3Errors.malformedXml())).toString('utf8');
  const quiet = elementText(xml, 'Quiet') === 'true';
  const keys = elements(xml, 'Object').map((object) => elementText(object, 'Key'));
  if (keys.length === 0 || keys.length > 1000 || keys.some((k) => k === undefined)) throw s3Errors.malformedXml();
  const deleted: XmlObject[] = [];
  const errors: XmlObject[] = [];
  for (const key of keys as string[]) {
    try {
      const removed = await deps.store.delete(ctx.bucket, key);
      if (removed) await deps.changed({ eventName: 'ObjectRemoved:Delete', bucket: ctx.bucket, key, requestId: ctx.aws.requestId, sourceIp: ctx.sourceIp });
      if (!quiet) deleted.push({ Key: key });
    } catch (err) {
      const e = err instanceof S3Error ? err : s3Errors.internal((err as Error).message);
      errors.push({ Key: key, Code: e.awsName, Message: e.message });
    }
  }
  sendXml(ctx, xmlDocument('DeleteResult', { Deleted: deleted, Error: errors }));
}

async function createBucket(deps: S3HttpDeps, ctx: Ctx): Promise<void> {
  await readBody(ctx.req, MAX_XML_BODY, () => s3Errors.malformedXml());
  const created = await deps.store.createBucket(ctx.bucket);
  // us-east-1 answers 200 to a bucket you already own, for historical reasons; other regions 409.
  if (!created && deps.region !== 'us-east-1') throw s3Errors.bucketAlreadyOwnedByYou(ctx.bucket);
  send(ctx.res, 200, undefined, { location: `/${ctx.bucket}` }, ctx.aws.requestId);
}

async function listBuckets(deps: S3HttpDeps, ctx: Ctx): Promise<void> {
  const prefix = ctx.query.get('prefix') ?? '';
  const buckets = (await deps.store.listBuckets()).filter((b) => b.name.startsWith(prefix));
  sendXml(
    ctx,
    xmlDocument('ListAllMyBucketsResult', {
      Owner: OWNER,
      Buckets: { Bucket: buckets.map((b) => ({ Name: b.name, CreationDate: new Date(b.createdAt).toISOString(), BucketRegion: deps.region })) },
      ...(prefix ? { Prefix: prefix } : {}),
    }),
  );
}

function maxKeysOf(query: URLSearchParams): number {
  const raw = query.get('max-keys');
  if (raw === null) return 1000;
  if (!/^\d+$/.test(raw)) throw s3Errors.invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', raw);
  return Math.min(1000, Number(raw));
}

/** The page of keys and common prefixes after `after`, as both List APIs cut it. */
async function listPage(deps: S3HttpDeps, ctx: Ctx, after: string | undefined) {
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const maxKeys = maxKeysOf(ctx.query);
  const encodingType = ctx.query.get('encoding-type') ?? undefined;
  if (encodingType !== undefined && encodingType !== 'url') throw s3Errors.invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
  const objects = await deps.store.list(ctx.bucket, prefix);
  const contents: typeof objects = [];
  const prefixes: string[] = [];
  let truncated = false;
  let last = '';
  for (const object of objects) {
    if (after !== undefined && Buffer.compare(Buffer.from(object.key), Buffer.from(after)) <= 0) continue;
    if (after !== undefined && delimiter && after.endsWith(delimiter) && object.key.startsWith(after)) continue;
    const rest = object.key.slice(prefix.length);
    const cut = delimiter ? rest.indexOf(delimiter) : -1;
    const common = cut >= 0 ? prefix + rest.slice(0, cut + delimiter.length) : undefined;
    if (common !== undefined && prefixes.at(-1) === common) continue;
    if (contents.length + prefixes.length >= maxKeys) {
      truncated = true;
      break;
    }
    if (common !== undefined) {
      prefixes.push(common);
      last = common;
    } else {
      contents.push(object);
      last = object.key;
    }
  }
  const encode = (text: string): string => (encodingType === 'url' ? encodeURIComponent(text).replace(/%2F/g, '/') : text);
  return { prefix, delimiter, maxKeys, encodingType, contents, prefixes, truncated, last, encode };
}

async function listObjectsV2(deps: S3HttpDeps, ctx: Ctx): Promise<void> {
  const token = ctx.query.get('continuation-token') ?? undefined;
  let after = ctx.query.get('start-after') ?? undefined;
  if (token !== undefined) {
    after = Buffer.from(token, 'base64').toString('utf8');
    if (!token) throw s3Errors.invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  }
  const page = await listPage(deps, ctx, after);
  const fetchOwner = ctx.query.get('fetch-owner') === 'true';
  sendXml(
    ctx,
    xmlDocument('ListBucketResult', {
      Name: ctx.bucket,
      Prefix: page.encode(page.prefix),
      ...(page.delimiter ? { Delimiter: page.encode(page.delimiter) } : {}),
      MaxKeys: page.maxKeys,
      ...(page.encodingType ? { EncodingType: page.encodingType } : {}),
      KeyCount: page.contents.length + page.prefixes.length,
      IsTruncated: page.truncated,
      ...(token !== undefined ? { ContinuationToken: token } : {}),
      ...(page.truncated ? { NextContinuationToken: Buffer.from(page.last).toString('base64') } : {}),
      ...(ctx.query.get('start-after') ? { StartAfter: page.encode(ctx.query.get('start-after')!) } : {}),
      Contents: page.contents.map((o) => ({ Key: page.encode(o.key), LastModified: new Date(o.lastModified).toISOString(), ETag: `"${o.etag}"`, Size: o.size, ...(fetchOwner ? { Owner: OWNER } : {}), StorageClass: 'STANDARD' })),
      CommonPrefixes: page.prefixes.map((p) => ({ Prefix: page.encode(p) })),
    }),
  );
}

async function listObjectsV1(deps: S3HttpDeps, ctx: Ctx): Promise<void> {
  const marker = ctx.query.get('marker') ?? '';
  const page = await listPage(deps, ctx, marker || undefined);
  sendXml(
    ctx,
    xmlDocument('ListBucketResult', {
      Name: ctx.bucket,
      Prefix: page.encode(page.prefix),
      Marker: page.encode(marker),
      ...(page.truncated && page.delimiter ? { NextMarker: page.encode(page.last) } : {}),
      MaxKeys: page.maxKeys,
      ...(page.delimiter ? { Delimiter: page.encode(page.delimiter) } : {}),
      ...(page.encodingType ? { EncodingType: page.encodingType } : {}),
      IsTruncated: page.truncated,
      Contents: page.contents.map((o) => ({ Key: page.encode(o.key), LastModified: new Date(o.lastModified).toISOString(), ETag: `"${o.etag}"`, Size: o.size, Owner: OWNER, StorageClass: 'STANDARD' })),
      CommonPrefixes: page.prefixes.map((p) => ({ Prefix: page.encode(p) })),
    }),
  );
}

async function createUpload(deps: S3HttpDeps, ctx: Ctx): Promise<void> {
  await readBody(ctx.req, MAX_XML_BODY);
  const uploadId = await deps.store.createUpload(ctx.bucket, ctx.key, uploadHeaders(ctx.req), deps.now());
  sendXml(ctx, xmlDocument('InitiateMultipartUploadResult', { Bucket: ctx.bucket, Key: ctx.key, UploadId: uploadId }));
}

function partNumberOf(query: URLSearchParams): number {
  const raw = query.get('partNumber') ?? '';
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 10_000) throw s3Errors.invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', raw);
  return n;
}

async function uploadPart(deps: S3HttpDeps, ctx: Ctx): Promise<void> {
  const uploadId = ctx.query.get('uploadId') ?? '';
  const partNumber = partNumberOf(ctx.query);
  await deps.store.upload(uploadId, ctx.bucket, ctx.key);
  if (ctx.req.headers['x-amz-copy-source']) {
    const source = copySource(ctx.req);
    const info = await deps.store.head(source.bucket, source.key);
    if (!info) throw s3Errors.noSuchKey(source.key);
    const rangeHeader = header(ctx.req, 'x-amz-copy-source-range');
    const range = rangeHeader ? parseRange(rangeHeader, info.size) : undefined;
    if (rangeHeader && !range) throw s3Errors.invalidArgument('The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy', 'x-amz-copy-source-range', rangeHeader);
    const part = await deps.store.uploadPart(uploadId, partNumber, deps.store.read(source.bucket, source.key, range) as AsyncIterable<Buffer>);
    return sendXml(ctx, xmlDocument('CopyPartResult', { LastModified: new Date(deps.now()).toISOString(), ETag: `"${part.etag}"` }));
  }
  const payload = new PayloadReader(ctx.req);
  const part = await deps.store.uploadPart(uploadId, partNumber, payload.body(), () => payload.verify());
  send(ctx.res, 200, undefined, { etag: `"${part.etag}"` }, ctx.aws.requestId);
}

async function completeUpload(deps: S3HttpDeps, ctx: Ctx): Promise<void> {
  const uploadId = ctx.query.get('uploadId') ?? '';
  await deps.store.upload(uploadId, ctx.bucket, ctx.key);
  const xml = (await readBody(ctx.req, MAX_XML_BODY, () => s3Errors.malformedXml())).toString('utf8');
  const parts = elements(xml, 'Part').map((part) => ({ partNumber: Number(elementText(part, 'PartNumber')), etag: elementText(part, 'ETag') ?? '' }));
  if (parts.some((p) => !Number.isInteger(p.partNumber) || !p.etag)) throw s3Errors.malformedXml();
  const info = await deps.store.completeUpload(uploadId, parts);
  await deps.changed({ eventName: 'ObjectCreated:CompleteMultipartUpload', bucket: ctx.bucket, key: ctx.key, info, requestId: ctx.aws.requestId, sourceIp: ctx.sourceIp });
  const location = `http://${ctx.req.headers.host ?? 'localhost'}/${ctx.bucket}/${ctx.key.split('/').map(encodeURIComponent).join('/')}`;
  sendXml(ctx, xmlDocument('CompleteMultipartUploadResult', { Location: location, Bucket: ctx.bucket, Key: ctx.key, ETag: `"${info.etag}"` }));
}

function requestHeaders(requestId: string): Record<string, string> {
  return { 'x-amz-request-id': requestId.replace(/-/g, '').slice(0, 16).toUpperCase(), 'x-amz-id-2': randomBytes(24).toString('base64'), server: 'AmazonS3' };
}

function writeHead(res: ServerResponse, status: number, headers: Record<string, string>, requestId: string): void {
  res.writeHead(status, { ...requestHeaders(requestId), ...headers });
}

function send(res: ServerResponse, status: number, body: string | undefined, headers: Record<string, string>, requestId: string): void {
  writeHead(res, status, { ...headers, 'content-length': String(body ? Buffer.byteLength(body) : 0) }, requestId);
  res.end(body);
}

function sendXml(ctx: Ctx, xml: string): void {
  send(ctx.res, 200, xml, { 'content-type': 'application/xml' }, ctx.aws.requestId);
}

function sendError(res: ServerResponse, err: unknown, requestId: string, headOnly: boolean, resource: string): void {
  const e = err instanceof S3Error ? err : err instanceof LambdaDeskError ? new S3Error(err.awsName, err.status, err.message) : s3Errors.internal(err instanceof Error ? err.message : String(err));
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (headOnly) return send(res, e.status, undefined, {}, requestId);
  const details = Object.entries(e.details)
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join('');
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(e.awsName)}</Code><Message>${escapeXml(e.message)}</Message>${details}<Resource>${escapeXml(resource)}</Resource><RequestId>${requestHeaders(requestId)['x-amz-request-id']}</RequestId></Error>`;
  send(res, e.status, body, { 'content-type': 'application/xml' }, requestId);
}
