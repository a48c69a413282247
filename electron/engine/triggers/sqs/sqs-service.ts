import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { ProjectModel, ProjectWarning } from '../../contract.ts';
import type { EngineContext, EngineService, EngineServiceFactory } from '../../engine-context.ts';
import type { MessageAttributeValue } from './message-md5.ts';
import { validateAttributes } from './queue-attributes.ts';
import { QueueRegistry, queueNameOf } from './queue-registry.ts';
import { readSqsEvent } from './sqs-event-config.ts';
import { SqsEventSource, type BatchOutcome } from './sqs-event-source.ts';
import { SqsError } from './sqs-errors.ts';
import { systemAttributesOf, type SqsMessage } from './sqs-message.ts';
import { createSqsHttpHandler } from './sqs-http-handler.ts';
import { createSqsOperations, queueAttributes } from './sqs-operations.ts';
import type { SendResult, SqsQueue } from './sqs-queue.ts';
import { readTemplateResources, type TemplateResourceView } from '../../project/template-resources.ts';

export interface QueueSummary {
  name: string;
  url: string;
  arn: string;
  fifo: boolean;
  /** Every attribute GetQueueAttributes would report, counts included. */
  attributes: Record<string, string>;
  /** Receives waiting on the queue now (long polls and event source pollers). */
  waitingReceivers: number;
}

export interface SendOptions {
  /** String attributes; use `messageAttributes` for other types. */
  attributes?: Record<string, string>;
  messageAttributes?: Record<string, MessageAttributeValue>;
  delaySeconds?: number;
  groupId?: string;
  dedupId?: string;
}

export interface ReceivedForUi {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, MessageAttributeValue>;
}

export interface SqsServiceEvents {
  /** One batch handed to a function, with what failed: for the UI's timeline and for tests. */
  'sqs:batch': [BatchOutcome];
  'sqs:warning': [string];
}

/**
 * Amazon SQS for the project: the queues of the template (and those made by CreateQueue) with
 * their messages under `.lambdadesk/sqs/`, the SQS API on the AWS endpoint, Lambda's SQS event
 * source mappings, and the `sqs` ARN target that destinations, dead-letter queues and SNS
 * subscriptions deliver to. The typed methods are the UI's and the CLI's way in.
 */
export class SqsService implements EngineService {
  readonly name = 'sqs';
  readonly events = new EventEmitter<SqsServiceEvents>();
  private readonly registry: QueueRegistry;
  private readonly sources = new Map<string, { source: SqsEventSource; signature: string }>();
  private templateWarnings: ProjectWarning[] = [];
  private readonly started: Promise<void>;
  private markStarted!: () => void;
  private failStart!: (err: Error) => void;

  constructor(private readonly ctx: EngineContext) {
    this.registry = new QueueRegistry({ dir: join(ctx.stateDir, 'sqs'), clock: ctx.clock, region: ctx.region, accountId: ctx.accountId });
    this.started = new Promise<void>((resolve, reject) => {
      this.markStarted = resolve;
      this.failStart = reject;
    });
    this.started.catch(() => undefined);
    const operations = createSqsOperations({ registry: this.registry, clock: ctx.clock, accountId: ctx.accountId });
    ctx.endpoint.register('sqs', createSqsHttpHandler({ operations, accountId: ctx.accountId, ready: () => this.started }));
    ctx.arnTargets.register('sqs', (arn, message, attributes) => this.deliver(arn, message, attributes));
  }

  async start(): Promise<void> {
    try {
      await this.registry.open();
      await this.applyModel(this.ctx.model());
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
    for (const { source } of this.sources.values()) source.stop();
    this.sources.clear();
    await this.registry.close();
  }

  /** Problems found in the template's queues and SQS events (the event is not polled). */
  warnings(): ProjectWarning[] {
    return [...this.templateWarnings];
  }

  queues(): QueueSummary[] {
    return this.registry.list().map((queue) => this.describeQueue(queue));
  }

  queue(reference: string): QueueSummary {
    return this.describeQueue(this.registry.require(reference));
  }

  async createQueue(name: string, attributes: Record<string, string> = {}): Promise<QueueSummary> {
    return this.describeQueue(await this.registry.create(name, { attributes }));
  }

  async deleteQueue(reference: string): Promise<void> {
    await this.registry.delete(reference);
  }

  /** SendMessage: by name, URL or ARN. */
  async send(reference: string, body: string, options: SendOptions = {}): Promise<SendResult> {
    const attributes: Record<string, MessageAttributeValue> = { ...options.messageAttributes };
    for (const [name, value] of Object.entries(options.attributes ?? {})) attributes[name] = { DataType: 'String', StringValue: value };
    return this.registry.require(reference).send({ body, attributes, delaySeconds: options.delaySeconds, groupId: options.groupId, dedupId: options.dedupId, senderId: this.ctx.accountId });
  }

  /** ReceiveMessage: the messages become invisible for the visibility timeout, as for any consumer. */
  async receive(reference: string, options: { max?: number; waitSeconds?: number; visibilityTimeoutSeconds?: number } = {}): Promise<ReceivedForUi[]> {
    const received = await this.registry.require(reference).receive({ max: options.max ?? 10, waitMs: (options.waitSeconds ?? 0) * 1000, visibilityTimeoutSeconds: options.visibilityTimeoutSeconds });
    return received.map(({ message, receiptHandle }) => ({ messageId: message.id, receiptHandle, body: message.body, attributes: systemAttributesOf(message), messageAttributes: message.attributes }));
  }

  async deleteMessage(reference: string, receiptHandle: string): Promise<void> {
    await this.registry.require(reference).delete(receiptHandle);
  }

  async purge(reference: string): Promise<number> {
    return this.registry.require(reference).purge();
  }

  /** Every message with its state (in flight, delayed, receive count), without receiving any. */
  messages(reference: string): SqsMessage[] {
    return this.registry.require(reference).peek();
  }

  private describeQueue(queue: SqsQueue): QueueSummary {
    const base = this.ctx.endpoint.url;
    return { name: queue.name, url: `${base}/${this.ctx.accountId}/${encodeURIComponent(queue.name)}`, arn: queue.arn, fifo: queue.fifo, attributes: queueAttributes(queue), waitingReceivers: queue.waitingReceivers };
  }

  /**
   * The `sqs` ARN target. `MessageGroupId` and `MessageDeduplicationId` in `attributes` become
   * the FIFO parameters; every other attribute is a String message attribute. A queue the template
   * names without declaring it is created on first delivery, with a warning.
   */
  private async deliver(arn: string, message: string, attributes: Record<string, string> = {}): Promise<void> {
    const name = queueNameOf(arn);
    let queue = this.registry.get(name);
    if (!queue) {
      await this.started;
      queue = await this.registry.ensure(name, name.endsWith('.fifo') ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : {});
      this.warn(`Created queue ${name} on first delivery to ${arn}: declare it as an AWS::SQS::Queue in template.yaml to set its attributes.`);
    }
    const { MessageGroupId, MessageDeduplicationId, ...rest } = attributes;
    const messageAttributes = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]));
    await queue.send({ body: message, attributes: messageAttributes, groupId: MessageGroupId ?? (queue.fifo ? 'default' : undefined), dedupId: MessageDeduplicationId, senderId: this.ctx.accountId });
  }

  private warn(message: string): void {
    this.events.emit('sqs:warning', message);
  }

  /** Creates and updates the template's queues, then starts, keeps or stops event source mappings. */
  private async applyModel(model: ProjectModel): Promise<void> {
    const warnings: ProjectWarning[] = [];
    const template = await readTemplateResources(model, { region: this.ctx.region, accountId: this.ctx.accountId });
    await this.syncQueues(template.ofType('AWS::SQS::Queue'), warnings);

    const wanted = new Map<string, SqsEventSource['config']>();
    for (const fn of model.functions) {
      for (const event of fn.events.filter((e) => e.type === 'SQS')) {
        const { config, warnings: eventWarnings } = readSqsEvent(fn, event);
        warnings.push(...eventWarnings);
        if (!config) continue;
        // SAM lets an event name a queue of another stack; locally it is created so the mapping runs.
        const queue = await this.registry.ensure(config.queueName, config.queueName.endsWith('.fifo') ? { FifoQueue: 'true' } : {});
        const visibility = Number(queue.attributes.VisibilityTimeout ?? 30);
        if (visibility < fn.timeoutSeconds) {
          warnings.push({ at: event.location, field: `Resources.${fn.logicalId}.Properties.Events.${event.name}`, message: `Queue visibility timeout: ${visibility} seconds is less than Function timeout: ${fn.timeoutSeconds} seconds. AWS refuses this mapping; set the queue's VisibilityTimeout to at least ${fn.timeoutSeconds} (6 times the function timeout is advised).` });
        }
        wanted.set(`${config.functionName}/${config.eventName}`, config);
      }
    }
    for (const [key, entry] of this.sources) {
      const config = wanted.get(key);
      if (!config || JSON.stringify(config) !== entry.signature) {
        entry.source.stop();
        this.sources.delete(key);
      }
    }
    for (const [key, config] of wanted) {
      if (this.sources.has(key)) continue;
      const source = new SqsEventSource(config, {
        queue: (name) => this.registry.get(name),
        invoke: (request) => this.ctx.invoker.invoke(request),
        clock: this.ctx.clock,
        region: this.ctx.region,
        report: (message) => this.warn(message),
      });
      source.onBatch = (outcome) => this.events.emit('sqs:batch', outcome);
      source.start();
      this.sources.set(key, { source, signature: JSON.stringify(config) });
    }
    this.templateWarnings = warnings;
    for (const warning of warnings) this.warn(`${warning.at.file}:${warning.at.line}:${warning.at.column} ${warning.field}: ${warning.message}`);
  }

  private async syncQueues(resources: TemplateResourceView[], warnings: ProjectWarning[]): Promise<void> {
    const redrives: Array<{ queue: SqsQueue; policy: string; resource: TemplateResourceView }> = [];
    for (const resource of resources) {
      const name = resource.attributes.QueueName ?? resource.ref;
      const { attributes, tags } = templateQueueAttributes(resource, warnings);
      const { RedrivePolicy: policy, ...rest } = attributes;
      try {
        const queue = await this.registry.create(name, { attributes: rest, tags, replace: true });
        if (policy !== undefined) redrives.push({ queue, policy, resource });
        else if (queue.attributes.RedrivePolicy) await queue.setAttributes({ RedrivePolicy: '' });
      } catch (err) {
        if (!(err instanceof SqsError)) throw err;
        warnings.push({ at: resource.location, field: `Resources.${resource.logicalId}`, message: `${err.message} The queue is not created.` });
      }
    }
    // Dead-letter queues may be declared after the queues that use them.
    for (const { queue, policy, resource } of redrives) {
      const target = this.registry.get(JSON.parse(policy).deadLetterTargetArn as string);
      if (!target) {
        warnings.push({ at: resource.location, field: `Resources.${resource.logicalId}.Properties.RedrivePolicy`, message: 'Dead-letter target does not exist: deadLetterTargetArn must name a queue (e.g. !GetAtt MyDLQ.Arn).' });
        continue;
      }
      await queue.setAttributes({ RedrivePolicy: policy });
    }
  }
}

const TEMPLATE_ATTRIBUTES = [
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'DelaySeconds',
  'FifoQueue',
  'FifoThroughputLimit',
  'KmsDataKeyReusePeriodSeconds',
  'KmsMasterKeyId',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'RedriveAllowPolicy',
  'RedrivePolicy',
  'SqsManagedSseEnabled',
  'VisibilityTimeout',
];

/** An AWS::SQS::Queue's properties as queue attributes; a bad one is a warning and is left out. */
function templateQueueAttributes(resource: TemplateResourceView, warnings: ProjectWarning[]): { attributes: Record<string, string>; tags: Record<string, string> } {
  const p = resource.properties;
  const fifo = p.FifoQueue === true || p.FifoQueue === 'true';
  const attributes: Record<string, string> = {};
  for (const name of TEMPLATE_ATTRIBUTES) {
    const value = p[name];
    if (value === undefined) continue;
    try {
      Object.assign(attributes, validateAttributes({ [name]: typeof value === 'object' ? JSON.stringify(value) : value }, { fifo, creating: true }));
    } catch (err) {
      if (!(err instanceof SqsError)) throw err;
      warnings.push({ at: resource.location, field: `Resources.${resource.logicalId}.Properties.${name}`, message: `${err.message} The queue's default is used.` });
    }
  }
  const tags: Record<string, string> = {};
  if (Array.isArray(p.Tags)) for (const tag of p.Tags as Array<{ Key?: unknown; Value?: unknown }>) if (typeof tag?.Key === 'string') tags[tag.Key] = String(tag.Value ?? '');
  return { attributes, tags };
}

export const createSqsService: EngineServiceFactory = (ctx) => new SqsService(ctx);
