import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../atomic-write.ts';
import type { Clock } from '../../clock.ts';
import { md5Hex, md5OfMessageAttributes, type MessageAttributeValue } from './message-md5.ts';
import { checkBody, checkGroupOrDedupId, checkMessageAttributes, messageSize } from './message-validation.ts';
import { redrivePolicyOf, secondsOf, type RedrivePolicy } from './queue-attributes.ts';
import { QueueJournal } from './queue-journal.ts';
import { sqsErrors } from './sqs-errors.ts';
import type { QueueRecord, ReceivedMessage, SqsMessage } from './sqs-message.ts';

/** What a queue is, apart from its messages: kept in `queue.json`. */
export interface QueueMeta {
  name: string;
  fifo: boolean;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  /** Epoch ms. */
  createdAt: number;
  modifiedAt: number;
}

export interface SendInput {
  body: unknown;
  attributes?: unknown;
  systemAttributes?: unknown;
  delaySeconds?: number;
  groupId?: unknown;
  dedupId?: unknown;
  senderId: string;
}

export interface SendResult {
  messageId: string;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  md5OfMessageSystemAttributes?: string;
  sequenceNumber?: string;
}

export interface ReceiveOptions {
  /** 1–10. */
  max: number;
  /** Default: the queue's VisibilityTimeout. */
  visibilityTimeoutSeconds?: number;
  /** Long polling: wait up to this long for a first message. */
  waitMs?: number;
  signal?: AbortSignal;
}

export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

export interface SqsQueueDeps {
  clock: Clock;
  arn: string;
  /** Moves a message to the dead-letter queue of a redrive policy; throws when it cannot. */
  deadLetter: (policy: RedrivePolicy, message: SqsMessage) => Promise<void>;
  /** Records the journal may hold beyond twice the live state before it is compacted. */
  compactSlack?: number;
}

const DEDUP_WINDOW_MS = 5 * 60 * 1000;
/** Compact once the journal holds this many records more than the live state needs. */
const COMPACT_SLACK = 2000;

/**
 * One queue with SQS's semantics: at-least-once delivery, visibility timeouts, delays,
 * retention, redrive to a dead-letter queue after `maxReceiveCount` receives, and for FIFO
 * queues order and exclusivity per message group plus five-minute deduplication. Every change is
 * journaled before it is acknowledged, so a crash loses nothing that was acknowledged.
 */
export class SqsQueue {
  private readonly messages = new Map<string, SqsMessage>();
  private readonly dedup = new Map<string, { id: string; seqNo?: string; exp: number }>();
  /** Messages being moved to the dead-letter queue: invisible, not yet gone. */
  private readonly moving = new Set<string>();
  private readonly waiters = new Set<() => void>();
  private nextSeq = 1;
  private closed = false;

  private constructor(
    private meta: QueueMeta,
    readonly dir: string,
    private readonly journal: QueueJournal<QueueRecord>,
    private readonly deps: SqsQueueDeps,
  ) {}

  static metaPath(dir: string): string {
    return join(dir, 'queue.json');
  }

  /** Creates the queue's folder: `queue.json` first, so a half-created queue is never opened as one. */
  static async create(dir: string, meta: QueueMeta, deps: SqsQueueDeps): Promise<SqsQueue> {
    await writeFileAtomic(SqsQueue.metaPath(dir), JSON.stringify(meta, null, 2));
    return SqsQueue.open(dir, deps);
  }

  static async readMeta(dir: string): Promise<QueueMeta> {
    return JSON.parse(await readFile(SqsQueue.metaPath(dir), 'utf8')) as QueueMeta;
  }

  static async open(dir: string, deps: SqsQueueDeps): Promise<SqsQueue> {
    const meta = await SqsQueue.readMeta(dir);
    const { journal, records } = await QueueJournal.open<QueueRecord>(join(dir, 'journal.jsonl'));
    const queue = new SqsQueue(meta, dir, journal, deps);
    for (const record of records) queue.replay(record);
    return queue;
  }

  get name(): string {
    return this.meta.name;
  }
  get arn(): string {
    return this.deps.arn;
  }
  get fifo(): boolean {
    return this.meta.fifo;
  }
  get attributes(): Readonly<Record<string, string>> {
    return this.meta.attributes;
  }
  get tags(): Readonly<Record<string, string>> {
    return this.meta.tags;
  }
  get createdAt(): number {
    return this.meta.createdAt;
  }
  get modifiedAt(): number {
    return this.meta.modifiedAt;
  }
  get redrivePolicy(): RedrivePolicy | undefined {
    return redrivePolicyOf(this.meta.attributes);
  }

  async setAttributes(attributes: Record<string, string>): Promise<void> {
    const next = { ...this.meta.attributes };
    for (const [name, value] of Object.entries(attributes)) {
      if (value === '' && ['RedrivePolicy', 'RedriveAllowPolicy', 'Policy', 'KmsMasterKeyId'].includes(name)) delete next[name];
      else next[name] = value;
    }
    await this.writeMeta({ ...this.meta, attributes: next, modifiedAt: this.deps.clock.now() });
    this.notify();
  }

  async setTags(tags: Record<string, string>, remove: string[] = []): Promise<void> {
    const next = { ...this.meta.tags, ...tags };
    for (const key of remove) delete next[key];
    await this.writeMeta({ ...this.meta, tags: next });
  }

  private async writeMeta(meta: QueueMeta): Promise<void> {
    await writeFileAtomic(SqsQueue.metaPath(this.dir), JSON.stringify(meta, null, 2));
    this.meta = meta;
  }

  /** Validates and stores one message; resolves once it is durable. */
  async send(input: SendInput): Promise<SendResult> {
    const body = checkBody(input.body);
    const attributes = checkMessageAttributes(input.attributes);
    const systemAttributes = checkMessageAttributes(input.systemAttributes, 'system');
    const limit = secondsOf(this.meta.attributes, 'MaximumMessageSize');
    const size = messageSize(body, attributes);
    if (size > limit) throw sqsErrors.invalidParameterValue(`One or more parameters are invalid. Reason: Message must be shorter than ${limit} bytes.`);
    const groupId = checkGroupOrDedupId('MessageGroupId', input.groupId);
    let dedupId = checkGroupOrDedupId('MessageDeduplicationId', input.dedupId);
    const now = this.deps.clock.now();
    let delaySeconds = secondsOf(this.meta.attributes, 'DelaySeconds');
    if (input.delaySeconds !== undefined) {
      if (!Number.isInteger(input.delaySeconds) || input.delaySeconds < 0 || input.delaySeconds > 900) {
        throw sqsErrors.invalidParameterValue(`Value ${input.delaySeconds} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.`);
      }
      if (this.fifo) throw sqsErrors.invalidParameterValue(`Value ${input.delaySeconds} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`);
      delaySeconds = input.delaySeconds;
    }

    const md5OfBody = md5Hex(body);
    const result: SendResult = { messageId: '', md5OfBody, md5OfMessageAttributes: md5OfMessageAttributes(attributes), md5OfMessageSystemAttributes: md5OfMessageAttributes(systemAttributes) };
    const records: QueueRecord[] = [];
    if (this.fifo) {
      if (!groupId) throw sqsErrors.missingParameter('MessageGroupId');
      if (!dedupId) {
        if (this.meta.attributes.ContentBasedDeduplication !== 'true') {
          throw sqsErrors.invalidParameterValue('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
        }
        dedupId = createHash('sha256').update(body).digest('hex');
      }
      const key = this.meta.attributes.DeduplicationScope === 'messageGroup' ? `${groupId}\u0000${dedupId}` : dedupId;
      const seen = this.dedup.get(key);
      if (seen && seen.exp > now) return { ...result, messageId: seen.id, sequenceNumber: seen.seqNo };
    } else if (dedupId) {
      throw sqsErrors.invalidParameterValue(`Value ${dedupId} for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is not valid for this queue type.`);
    }

    // Order is fixed here, before any await, so a batch keeps its order in a FIFO queue.
    const seq = this.nextSeq++;
    const message: SqsMessage = {
      id: randomUUID(),
      body,
      md5OfBody,
      attributes,
      md5OfMessageAttributes: result.md5OfMessageAttributes,
      systemAttributes: Object.keys(systemAttributes).length ? systemAttributes : undefined,
      md5OfMessageSystemAttributes: result.md5OfMessageSystemAttributes,
      sentAt: now,
      senderId: input.senderId,
      seq,
      sequenceNumber: this.fifo ? (10n ** 19n + BigInt(seq)).toString() : undefined,
      groupId,
      dedupId: this.fifo ? dedupId : undefined,
      visibleAt: now + delaySeconds * 1000,
      receiveCount: 0,
    };
    records.push({ t: 'send', m: message });
    if (this.fifo && dedupId) {
      const key = this.meta.attributes.DeduplicationScope === 'messageGroup' ? `${groupId}\u0000${dedupId}` : dedupId;
      const entry = { id: message.id, seqNo: message.sequenceNumber, exp: now + DEDUP_WINDOW_MS };
      this.dedup.set(key, entry);
      records.push({ t: 'dedup', key, ...entry });
    }
    this.messages.set(message.id, message);
    try {
      await this.journal.append(...records);
    } catch (err) {
      this.messages.delete(message.id);
      throw err;
    }
    this.notify();
    await this.compactIfWorthIt();
    return { ...result, messageId: message.id, sequenceNumber: message.sequenceNumber };
  }

  /** Puts a message moved from another queue's redrive here, keeping its id, body and sent time. */
  async acceptDeadLetter(message: SqsMessage, sourceArn: string): Promise<void> {
    if (this.messages.has(message.id)) return;
    const now = this.deps.clock.now();
    const moved: SqsMessage = {
      ...message,
      seq: this.nextSeq++,
      visibleAt: now,
      receiveCount: 0,
      firstReceiveAt: undefined,
      receipt: undefined,
      deadLetterSourceArn: sourceArn,
      sequenceNumber: this.fifo ? (10n ** 19n + BigInt(this.nextSeq - 1)).toString() : undefined,
    };
    this.messages.set(moved.id, moved);
    await this.journal.append({ t: 'send', m: moved });
    this.notify();
  }

  /**
   * Receives up to `max` messages, long-polling up to `waitMs` for the first one. Each received
   * message is invisible for the visibility timeout; one received `maxReceiveCount` times already
   * goes to the dead-letter queue instead.
   */
  async receive(options: ReceiveOptions): Promise<ReceivedMessage[]> {
    const deadline = this.deps.clock.now() + (options.waitMs ?? 0);
    for (;;) {
      if (this.closed || options.signal?.aborted) return [];
      const got = await this.receiveNow(options.max, options.visibilityTimeoutSeconds ?? secondsOf(this.meta.attributes, 'VisibilityTimeout'));
      if (got.length > 0 || this.deps.clock.now() >= deadline) return got;
      await this.waitForChange(deadline, options.signal);
    }
  }

  private async receiveNow(max: number, visibilitySeconds: number): Promise<ReceivedMessage[]> {
    const now = this.deps.clock.now();
    await this.expire(now);
    const policy = this.redrivePolicy;
    const out: ReceivedMessage[] = [];
    const records: QueueRecord[] = [];
    const toMove: SqsMessage[] = [];
    for (const message of this.candidates(now)) {
      if (out.length >= max) break;
      if (policy && message.receiveCount >= policy.maxReceiveCount) {
        this.moving.add(message.id);
        toMove.push(message);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceiveAt ??= now;
      message.visibleAt = now + visibilitySeconds * 1000;
      message.receipt = randomBytes(12).toString('hex');
      records.push({ t: 'recv', id: message.id, rc: message.receiveCount, vis: message.visibleAt, frt: message.firstReceiveAt, rh: message.receipt });
      out.push({ message: { ...message }, receiptHandle: encodeReceiptHandle(this.name, message.id, message.receipt) });
    }
    if (records.length) await this.journal.append(...records);
    if (policy) for (const message of toMove) await this.moveToDeadLetter(policy, message);
    if (records.length) await this.compactIfWorthIt();
    return out;
  }

  /** Receivable messages in order; for FIFO only the head of each group without messages in flight. */
  private *candidates(now: number): Generator<SqsMessage> {
    const blockedGroups = new Set<string>();
    if (this.fifo) {
      for (const message of this.messages.values()) {
        if (message.groupId && message.receipt && message.visibleAt > now && !this.moving.has(message.id)) blockedGroups.add(message.groupId);
      }
    }
    for (const message of this.messages.values()) {
      if (this.moving.has(message.id)) continue;
      if (this.fifo) {
        const group = message.groupId ?? '';
        if (blockedGroups.has(group)) continue;
        if (message.visibleAt > now) {
          blockedGroups.add(group);
          continue;
        }
        // Several of a group's messages may go out together, in order; a later receive then
        // skips the group until they are deleted or visible again.
        yield message;
        continue;
      }
      if (message.visibleAt <= now) yield message;
    }
  }

  private async moveToDeadLetter(policy: RedrivePolicy, message: SqsMessage): Promise<void> {
    try {
      await this.deps.deadLetter(policy, { ...message });
      this.messages.delete(message.id);
      await this.journal.append({ t: 'del', id: message.id });
    } catch {
      // No dead-letter queue to take it (yet): it stays here, as on AWS.
    } finally {
      this.moving.delete(message.id);
    }
  }

  /** Deletes the message a receipt handle was given for; an outdated handle deletes nothing, as on AWS. */
  async delete(receiptHandle: string): Promise<void> {
    const handle = this.decodeHandle(receiptHandle);
    const message = this.messages.get(handle.id);
    if (!message || message.receipt !== handle.receipt) return;
    this.messages.delete(message.id);
    await this.journal.append({ t: 'del', id: message.id });
    this.notify();
    await this.compactIfWorthIt();
  }

  async changeVisibility(receiptHandle: string, timeoutSeconds: number): Promise<void> {
    const handle = this.decodeHandle(receiptHandle);
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 0 || timeoutSeconds > 43_200) {
      throw sqsErrors.invalidParameterValue(`Value ${timeoutSeconds} for parameter VisibilityTimeout is invalid. Reason: VisibilityTimeout must be an integer between 0 and 43200.`);
    }
    const now = this.deps.clock.now();
    const message = this.messages.get(handle.id);
    if (!message || message.receipt !== handle.receipt || message.visibleAt <= now || this.moving.has(message.id)) throw sqsErrors.messageNotInflight();
    message.visibleAt = now + timeoutSeconds * 1000;
    await this.journal.append({ t: 'vis', id: message.id, vis: message.visibleAt });
    this.notify();
  }

  async purge(): Promise<number> {
    const count = this.messages.size;
    this.messages.clear();
    await this.journal.append({ t: 'purge', upTo: this.nextSeq - 1 });
    this.notify();
    return count;
  }

  counts(): QueueCounts {
    const now = this.deps.clock.now();
    const counts: QueueCounts = { visible: 0, inFlight: 0, delayed: 0 };
    for (const message of this.messages.values()) {
      if (this.moving.has(message.id) || (message.receipt && message.visibleAt > now)) counts.inFlight++;
      else if (message.visibleAt > now) counts.delayed++;
      else counts.visible++;
    }
    return counts;
  }

  /** Receives waiting (long polls, event source pollers): lets the UI and tests see who is idle. */
  get waitingReceivers(): number {
    return this.waiters.size;
  }

  /** Every message with its state, oldest first, without receiving any: for the UI and the CLI. */
  peek(): SqsMessage[] {
    return [...this.messages.values()].map((m) => ({ ...m }));
  }

  /** Stops long polls (they return empty) and closes the journal. */
  async close(): Promise<void> {
    this.closed = true;
    this.notify();
    await this.journal.close();
  }

  private decodeHandle(receiptHandle: string): { id: string; receipt: string } {
    const decoded = decodeReceiptHandle(receiptHandle);
    if (!decoded || decoded.queue !== this.name) throw sqsErrors.receiptHandleIsInvalid(receiptHandle);
    return decoded;
  }

  private async expire(now: number): Promise<void> {
    const retentionMs = secondsOf(this.meta.attributes, 'MessageRetentionPeriod') * 1000;
    const expired: QueueRecord[] = [];
    for (const message of this.messages.values()) {
      if (message.sentAt + retentionMs <= now && !this.moving.has(message.id)) {
        this.messages.delete(message.id);
        expired.push({ t: 'del', id: message.id });
      }
    }
    for (const [key, entry] of this.dedup) if (entry.exp <= now) this.dedup.delete(key);
    if (expired.length) await this.journal.append(...expired);
  }

  private nextChangeAt(now: number): number {
    let next = Infinity;
    for (const message of this.messages.values()) if (message.visibleAt > now && message.visibleAt < next) next = message.visibleAt;
    return next;
  }

  private waitForChange(deadline: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const now = this.deps.clock.now();
      const wakeAt = Math.min(deadline, this.nextChangeAt(now));
      const done = (): void => {
        this.deps.clock.clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = this.deps.clock.setTimeout(done, Math.max(0, wakeAt - now));
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private notify(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private replay(record: QueueRecord): void {
    switch (record.t) {
      case 'send':
        this.messages.set(record.m.id, record.m);
        this.nextSeq = Math.max(this.nextSeq, record.m.seq + 1);
        break;
      case 'recv': {
        const message = this.messages.get(record.id);
        if (message) Object.assign(message, { receiveCount: record.rc, visibleAt: record.vis, firstReceiveAt: record.frt, receipt: record.rh });
        break;
      }
      case 'vis': {
        const message = this.messages.get(record.id);
        if (message) message.visibleAt = record.vis;
        break;
      }
      case 'del':
        this.messages.delete(record.id);
        break;
      case 'purge':
        for (const [id, message] of this.messages) if (message.seq <= record.upTo) this.messages.delete(id);
        this.nextSeq = Math.max(this.nextSeq, record.upTo + 1);
        break;
      case 'dedup':
        this.dedup.set(record.key, { id: record.id, seqNo: record.seqNo, exp: record.exp });
        break;
    }
  }

  /** Rewrites the journal as the live state once deleted and superseded records dominate it. */
  private async compactIfWorthIt(): Promise<void> {
    const live = this.messages.size + this.dedup.size;
    if (this.journal.recordCount < live * 2 + (this.deps.compactSlack ?? COMPACT_SLACK)) return;
    const records: QueueRecord[] = [...this.messages.values()].map((m) => ({ t: 'send', m: { ...m } }));
    for (const [key, entry] of this.dedup) records.push({ t: 'dedup', key, ...entry });
    await this.journal.rewrite(records);
  }
}

export function encodeReceiptHandle(queue: string, id: string, receipt: string): string {
  return Buffer.from(JSON.stringify({ q: queue, m: id, r: receipt })).toString('base64');
}

export function decodeReceiptHandle(handle: string): { queue: string; id: string; receipt: string } | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as { q?: unknown; m?: unknown; r?: unknown };
    if (typeof parsed.q === 'string' && typeof parsed.m === 'string' && typeof parsed.r === 'string') return { queue: parsed.q, id: parsed.m, receipt: parsed.r };
  } catch {
    // not one of ours
  }
  return undefined;
}

export type { MessageAttributeValue };
