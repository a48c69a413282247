import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../clock.ts';
import { checkQueueName, defaultAttributes, validateAttributes, type RedrivePolicy } from './queue-attributes.ts';
import { sqsErrors } from './sqs-errors.ts';
import type { SqsMessage } from './sqs-message.ts';
import { SqsQueue, type QueueMeta } from './sqs-queue.ts';

export interface QueueRegistryOptions {
  /** `.lambdadesk/sqs`: one folder per queue. */
  dir: string;
  clock: Clock;
  region: string;
  accountId: string;
  /** Journal compaction threshold (tests make it small). */
  compactSlack?: number;
}

const RECREATE_AFTER_DELETE_MS = 60_000;

/** Queue names from a URL (`…/123456789012/Name`) or its path, an ARN (`arn:aws:sqs:…:Name`) or a bare name. */
export function queueNameOf(reference: string): string {
  if (reference.startsWith('arn:')) return reference.split(':').slice(5).join(':');
  // A queue URL, or its path alone: the query protocol may name the queue by posting to it.
  if (/^https?:\/\//.test(reference) || reference.startsWith('/')) {
    try {
      const segments = new URL(reference, 'http://localhost').pathname.split('/').filter(Boolean);
      return decodeURIComponent(segments.at(-1) ?? '');
    } catch {
      return reference;
    }
  }
  return reference;
}

/**
 * Every queue of the project, each in its own folder under `.lambdadesk/sqs/`: created from
 * the template, by CreateQueue or on first use, found by name, URL or ARN, and wired to each
 * other's dead-letter queues.
 */
export class QueueRegistry {
  private readonly queues = new Map<string, SqsQueue>();
  private readonly deletedAt = new Map<string, number>();
  private pendingCreate = Promise.resolve();

  constructor(private readonly options: QueueRegistryOptions) {}

  async open(): Promise<void> {
    await mkdir(this.options.dir, { recursive: true });
    for (const entry of await readdir(this.options.dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = join(this.options.dir, entry.name);
      if (entry.name.startsWith('.')) {
        // A queue whose deletion a crash interrupted.
        await rm(dir, { recursive: true, force: true });
        continue;
      }
      try {
        const queue = await SqsQueue.open(dir, this.depsFor(entry.name));
        this.queues.set(queue.name, queue);
      } catch {
        // No queue.json: the creation never finished, so the queue was never acknowledged.
      }
    }
  }

  arnOf(name: string): string {
    return `arn:aws:sqs:${this.options.region}:${this.options.accountId}:${name}`;
  }

  get(reference: string): SqsQueue | undefined {
    return this.queues.get(queueNameOf(reference));
  }

  /** The queue, or AWS's QueueDoesNotExist. */
  require(reference: string): SqsQueue {
    const queue = this.get(reference);
    if (!queue) throw sqsErrors.queueDoesNotExist(queueNameOf(reference));
    return queue;
  }

  list(): SqsQueue[] {
    return [...this.queues.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * CreateQueue: a new queue, or the existing one when every given attribute matches it (AWS
   * answers QueueAlreadyExists otherwise). `replace` (the template) sets the attributes instead.
   */
  create(name: string, input: { attributes?: Record<string, unknown>; tags?: Record<string, string>; replace?: boolean }): Promise<SqsQueue> {
    const run = this.pendingCreate.then(() => this.createNow(name, input));
    this.pendingCreate = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async createNow(name: string, input: { attributes?: Record<string, unknown>; tags?: Record<string, string>; replace?: boolean }): Promise<SqsQueue> {
    const raw = input.attributes ?? {};
    const fifo = String(raw.FifoQueue ?? 'false').toLowerCase() === 'true';
    checkQueueName(name, fifo);
    const attributes = validateAttributes(raw, { fifo, creating: true });
    const existing = this.queues.get(name);
    if (existing) {
      if (input.replace) {
        // The template is the source of truth: what it no longer sets goes back to the default.
        const { FifoQueue: _ignored, ...settable } = { ...defaultAttributes(existing.fifo), ...attributes };
        await existing.setAttributes(settable);
        if (input.tags) await existing.setTags(input.tags);
        return existing;
      }
      const current = existing.attributes;
      for (const [key, value] of Object.entries(attributes)) {
        if ((current[key] ?? (key === 'FifoQueue' ? 'false' : undefined)) !== value) throw sqsErrors.queueNameExists(key);
      }
      return existing;
    }
    const deletedAt = this.deletedAt.get(name);
    if (deletedAt !== undefined && this.options.clock.now() - deletedAt < RECREATE_AFTER_DELETE_MS && !input.replace) throw sqsErrors.queueDeletedRecently();
    const now = this.options.clock.now();
    const meta: QueueMeta = { name, fifo, attributes: { ...defaultAttributes(fifo), ...attributes }, tags: input.tags ?? {}, createdAt: now, modifiedAt: now };
    if (!fifo) delete meta.attributes.FifoQueue;
    const queue = await SqsQueue.create(join(this.options.dir, name), meta, this.depsFor(name));
    this.queues.set(name, queue);
    return queue;
  }

  /** The queue if it exists, else a new one with these attributes (never changes an existing queue). */
  async ensure(name: string, attributes: Record<string, string> = {}): Promise<SqsQueue> {
    const existing = this.queues.get(name);
    if (existing) return existing;
    const run = this.pendingCreate.then(() => this.queues.get(name) ?? this.createNow(name, { attributes, replace: true }));
    this.pendingCreate = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Removes the queue and its messages; a crash midway leaves a folder `open()` removes. */
  async delete(reference: string): Promise<void> {
    const queue = this.require(reference);
    this.queues.delete(queue.name);
    this.deletedAt.set(queue.name, this.options.clock.now());
    await queue.close();
    const trash = join(this.options.dir, `.deleted-${queue.name}-${randomBytes(4).toString('hex')}`);
    await rename(queue.dir, trash);
    await rm(trash, { recursive: true, force: true });
  }

  /** Queues whose redrive policy points at this one (ListDeadLetterSourceQueues). */
  sourcesOf(deadLetter: SqsQueue): SqsQueue[] {
    return this.list().filter((queue) => queue.redrivePolicy?.deadLetterTargetArn && queueNameOf(queue.redrivePolicy.deadLetterTargetArn) === deadLetter.name);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
  }

  private depsFor(name: string) {
    return {
      clock: this.options.clock,
      arn: this.arnOf(name),
      compactSlack: this.options.compactSlack,
      deadLetter: async (policy: RedrivePolicy, message: SqsMessage): Promise<void> => {
        const target = this.get(policy.deadLetterTargetArn);
        if (!target) throw sqsErrors.queueDoesNotExist(queueNameOf(policy.deadLetterTargetArn));
        await target.acceptDeadLetter(message, this.arnOf(name));
      },
    };
  }
}
