import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import type { ProjectModel, ProjectWarning } from '../../contract.ts';
import type { EngineContext, EngineService, EngineServiceFactory } from '../../engine-context.ts';
import { readTemplateResources } from '../../project/template-resources.ts';
import { BucketStore, isValidBucketName, type ListedObject } from './bucket-store.ts';
import { BucketWatcher } from './bucket-watcher.ts';
import { DEFAULT_CONTENT_TYPE, type ObjectInfo } from './object-metadata.ts';
import { s3Errors } from './s3-errors.ts';
import { s3EventRecord } from './s3-event-record.ts';
import { claimsBucketRequest, createS3HttpHandler, type S3Change } from './s3-http-handler.ts';
import { readNotificationRules, ruleMatches, type NotificationRule } from './s3-notification-rules.ts';

export interface PutOptions {
  contentType?: string;
  /** User metadata (`x-amz-meta-*`), keys lowercased as S3 keeps them. */
  metadata?: Record<string, string>;
}

export interface S3Notified {
  eventName: string;
  bucket: string;
  key: string;
  /** Functions (async invokes) and ARNs the event went to; empty when no configuration wanted it. */
  targets: string[];
}

export interface S3ServiceEvents {
  's3:notified': [S3Notified];
  's3:warning': [string];
}

/**
 * Amazon S3 for the project: buckets as folders under `.lambdadesk/buckets/`, the S3 API on the
 * AWS endpoint, and bucket notifications — SAM `S3` events and NotificationConfiguration — raised
 * for uploads through the API, the CLI, the UI, or files copied into a bucket's folder. Events to
 * functions are asynchronous invokes (retried, with destinations), queued durably before the
 * upload is acknowledged.
 */
export class S3Service implements EngineService {
  readonly name = 's3';
  readonly events = new EventEmitter<S3ServiceEvents>();
  private readonly store: BucketStore;
  private readonly watcher: BucketWatcher;
  private rules: NotificationRule[] = [];
  private templateWarnings: ProjectWarning[] = [];
  private readonly started: Promise<void>;
  private markStarted!: () => void;
  private failStart!: (err: Error) => void;

  constructor(private readonly ctx: EngineContext) {
    const root = join(ctx.stateDir, 'buckets');
    this.watcher = new BucketWatcher({ root, clock: ctx.clock, onChange: (change) => this.externalChange(change) });
    this.store = new BucketStore({ root, onCommit: (bucket, key, signature) => this.watcher.acknowledge(bucket, key, signature) });
    this.started = new Promise<void>((resolve, reject) => {
      this.markStarted = resolve;
      this.failStart = reject;
    });
    this.started.catch(() => undefined);
    ctx.endpoint.register('s3', createS3HttpHandler({ store: this.store, region: ctx.region, now: () => ctx.clock.now(), ready: () => this.started, changed: (change) => this.notify(change) }));
    ctx.endpoint.claimUnsigned('s3', claimsBucketRequest(this.store));
    ctx.arnTargets.register('s3', (arn, message) => this.deliver(arn, message));
  }

  async start(): Promise<void> {
    try {
      await mkdir(this.store.root, { recursive: true });
      await this.store.init();
      await this.applyModel(this.ctx.model());
      await this.watcher.start();
      this.markStarted();
    } catch (err) {
      this.failStart(err as Error);
      throw err;
    }
  }

  async reload(model: ProjectModel): Promise<void> {
    await this.applyModel(model);
  }

  async stop(): Promise<void> {
    this.watcher.stop();
  }

  warnings(): ProjectWarning[] {
    return [...this.templateWarnings];
  }

  /** Folder of a bucket, for "open in file manager". */
  bucketDir(bucket: string): string {
    return join(this.store.root, bucket);
  }

  buckets(): Promise<Array<{ name: string; createdAt: number }>> {
    return this.store.listBuckets();
  }

  async createBucket(name: string): Promise<void> {
    await this.store.createBucket(name);
  }

  async deleteBucket(name: string): Promise<void> {
    await this.store.deleteBucket(name);
  }

  /** PutObject: stores the bytes and raises `ObjectCreated:Put`. */
  async put(bucket: string, key: string, body: Buffer | string, options: PutOptions = {}): Promise<ObjectInfo> {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const info = await this.store.put(bucket, key, (async function* () {
      yield bytes;
    })(), { contentType: options.contentType ?? DEFAULT_CONTENT_TYPE, userMetadata: options.metadata ?? {} });
    await this.notify({ eventName: 'ObjectCreated:Put', bucket, key, info, requestId: randomUUID(), sourceIp: '127.0.0.1' });
    return info;
  }

  async get(bucket: string, key: string): Promise<{ info: ObjectInfo; body: Buffer }> {
    const info = await this.head(bucket, key);
    const chunks: Buffer[] = [];
    for await (const chunk of this.store.read(bucket, key) as AsyncIterable<Buffer>) chunks.push(chunk);
    return { info, body: Buffer.concat(chunks) };
  }

  async getText(bucket: string, key: string): Promise<string> {
    await this.head(bucket, key);
    return text(this.store.read(bucket, key));
  }

  async head(bucket: string, key: string): Promise<ObjectInfo> {
    await this.store.requireBucket(bucket);
    const info = await this.store.head(bucket, key);
    if (!info) throw s3Errors.noSuchKey(key);
    return info;
  }

  list(bucket: string, prefix = ''): Promise<ListedObject[]> {
    return this.store.list(bucket, prefix);
  }

  /** DeleteObject: raises `ObjectRemoved:Delete` when there was an object. */
  async remove(bucket: string, key: string): Promise<boolean> {
    const removed = await this.store.delete(bucket, key);
    if (removed) await this.notify({ eventName: 'ObjectRemoved:Delete', bucket, key, requestId: randomUUID(), sourceIp: '127.0.0.1' });
    return removed !== undefined;
  }

  /** Looks for files copied into or deleted from bucket folders now, instead of at the next change notice. */
  rescan(): Promise<void> {
    return this.watcher.scan();
  }

  /** The notification rules in force (for the canvas: which bucket feeds which function). */
  notificationRules(): NotificationRule[] {
    return [...this.rules];
  }

  private async externalChange(change: { bucket: string; key: string; kind: 'created' | 'removed' }): Promise<void> {
    if (change.kind === 'removed') {
      await this.notify({ eventName: 'ObjectRemoved:Delete', bucket: change.bucket, key: change.key, requestId: randomUUID(), sourceIp: '127.0.0.1' });
      return;
    }
    const info = await this.store.head(change.bucket, change.key);
    if (info) await this.notify({ eventName: 'ObjectCreated:Put', bucket: change.bucket, key: change.key, info, requestId: randomUUID(), sourceIp: '127.0.0.1' });
  }

  /** Raises the bucket's notifications for one change; function targets are durable async invokes. */
  private async notify(change: S3Change): Promise<void> {
    const matching = this.rules.filter((rule) => rule.bucket === change.bucket && ruleMatches(rule, change.eventName, change.key));
    const partition = this.ctx.region.startsWith('cn-') ? 'aws-cn' : this.ctx.region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
    const targets: string[] = [];
    for (const rule of matching) {
      const record = s3EventRecord({
        eventName: change.eventName,
        region: this.ctx.region,
        accountId: this.ctx.accountId,
        partition,
        bucket: change.bucket,
        key: change.key,
        size: change.info?.size,
        etag: change.info?.etag,
        eventTime: this.ctx.clock.now(),
        requestId: change.requestId,
        sourceIp: change.sourceIp,
        configurationId: rule.configurationId,
      });
      const payload = JSON.stringify({ Records: [record] });
      try {
        if (rule.target.kind === 'function') {
          await this.ctx.asyncQueue.enqueue({ requestId: randomUUID(), functionName: rule.target.functionName, payload, trigger: `s3:${change.bucket}` });
          targets.push(rule.target.functionName);
        } else {
          await this.ctx.arnTargets.deliver(rule.target.arn, payload);
          targets.push(rule.target.arn);
        }
      } catch (err) {
        this.warn(`S3 could not deliver ${change.eventName} for s3://${change.bucket}/${change.key} to ${rule.target.kind === 'function' ? rule.target.functionName : rule.target.arn}: ${(err as Error).message}`);
      }
    }
    this.events.emit('s3:notified', { eventName: change.eventName, bucket: change.bucket, key: change.key, targets });
  }

  /** The `s3` ARN target: a record delivered to a bucket becomes an object, as Lambda's S3 on-failure destinations write. */
  private async deliver(arn: string, message: string): Promise<void> {
    const bucket = arn.split(':').slice(5).join(':').split('/')[0] ?? '';
    const now = new Date(this.ctx.clock.now());
    const stamp = now.toISOString().replace(/:/g, '.').replace(/\.\d+Z$/, '');
    const key = `aws/lambda/${now.toISOString().slice(0, 10).replace(/-/g, '/')}/${stamp}-${randomUUID()}`;
    await this.put(bucket, key, message, { contentType: 'application/json' });
  }

  private warn(message: string): void {
    this.events.emit('s3:warning', message);
  }

  private async applyModel(model: ProjectModel): Promise<void> {
    const template = await readTemplateResources(model, { region: this.ctx.region, accountId: this.ctx.accountId });
    const buckets = template.ofType('AWS::S3::Bucket');
    const warnings: ProjectWarning[] = [];
    for (const bucket of buckets) {
      if (!isValidBucketName(bucket.ref)) {
        warnings.push({ at: bucket.location, field: `Resources.${bucket.logicalId}.Properties.BucketName`, message: `"${bucket.ref}" is not a valid bucket name: use 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.` });
        continue;
      }
      await this.store.createBucket(bucket.ref);
    }
    const { rules, warnings: ruleWarnings } = readNotificationRules(model, buckets);
    this.rules = rules;
    this.templateWarnings = [...warnings, ...ruleWarnings];
    for (const warning of this.templateWarnings) this.warn(`${warning.at.file}:${warning.at.line}:${warning.at.column} ${warning.field}: ${warning.message}`);
  }
}

export const createS3Service: EngineServiceFactory = (ctx) => new S3Service(ctx);
