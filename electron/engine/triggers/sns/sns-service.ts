import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { ProjectModel } from '../../contract.ts';
import type { EngineContext, EngineService } from '../../engine-context.ts';
import { readTemplateResources } from '../../project/template-resources.ts';
import { matchesFilterPolicy, parseFilterPolicy, type FilterPolicyScope, type MessageAttribute } from './filter-policy.ts';
import { createSnsApi } from './sns-api.ts';
import { isTopicArn, readSnsDefinitions, stableSubscriptionArn, topicNameOf } from './sns-definitions.ts';
import { InvalidParameterError, NotFoundError } from './sns-errors.ts';
import { checkMessageAttributes, lambdaEvent, messageFor, MAX_MESSAGE_BYTES, parseStructuredMessage, sqsEnvelope, sqsSubscriptionEvent, type SnsMessage } from './sns-message.ts';
import { TopicRegistry, type SnsProtocol, type Subscription, type Topic } from './topic-registry.ts';

export interface PublishInput {
  topicArn: string;
  message: string;
  subject?: string;
  attributes?: Record<string, MessageAttribute>;
  messageStructure?: string;
  messageGroupId?: string;
  messageDeduplicationId?: string;
}

export interface Delivery {
  subscriptionArn: string;
  protocol: SnsProtocol;
  endpoint: string;
  /** `queued`: handed to the function's async queue or the SQS queue; `filtered`: the policy said no. */
  outcome: 'queued' | 'filtered' | 'failed';
  error?: string;
  /** The async invoke's request id (lambda). */
  requestId?: string;
}

export interface PublishResult {
  messageId: string;
  sequenceNumber?: string;
  deliveries: Delivery[];
}

export interface SubscriptionInfo {
  arn: string;
  topicArn: string;
  protocol: SnsProtocol;
  endpoint: string;
  filterPolicy?: string;
  filterPolicyScope?: FilterPolicyScope;
  rawMessageDelivery: boolean;
  origin: Subscription['origin'];
  viaQueue?: string;
  declaredAt?: string;
}

const DEDUPLICATION_WINDOW_MS = 5 * 60_000;

/**
 * SNS: the template's topics and subscriptions plus those made through the API, a Publish that
 * fans out to every subscriber whose filter policy matches (functions as asynchronous invokes
 * with the SNS event shape, queues through the engine's ARN targets), and the query-protocol
 * endpoint the AWS CLI and SDK talk to.
 */
export class SnsService implements EngineService {
  readonly name = 'sns';
  readonly events = new EventEmitter<{ 'sns:published': [{ topicArn: string; messageId: string; deliveries: Delivery[] }] }>();
  readonly registry: TopicRegistry;
  private templateProblems: Array<{ message: string; fix?: string }> = [];
  private readonly deduplication = new Map<string, { messageId: string; sequenceNumber: string; at: number }>();
  private sequence = 0n;

  constructor(private readonly ctx: EngineContext) {
    this.registry = new TopicRegistry(join(ctx.stateDir, 'sns', 'state.json'));
    ctx.endpoint.register('sns', createSnsApi(this, ctx));
    // Destinations, DLQs and EventBridge targets publish to topics by ARN; attributes arrive as strings.
    ctx.arnTargets.register('sns', async (arn, message, attributes) => {
      const typed = Object.fromEntries(Object.entries(attributes ?? {}).map(([k, v]) => [k, { dataType: 'String', stringValue: v }]));
      await this.publish({ topicArn: arn, message, attributes: typed });
    });
  }

  async start(): Promise<void> {
    await this.registry.load();
    await this.refresh(this.ctx.model());
  }

  async stop(): Promise<void> {}

  async reload(model: ProjectModel): Promise<void> {
    await this.refresh(model);
  }

  private async refresh(model: ProjectModel): Promise<void> {
    // A template that cannot be read right now (mid-edit, moved) keeps what was running.
    const template = await readTemplateResources(model, this.ctx).catch(() => undefined);
    if (!template) return;
    const definitions = readSnsDefinitions(model, template);
    this.registry.setTemplate(definitions.topics, definitions.subscriptions);
    this.templateProblems = definitions.problems.map((p) => ({ message: p.message, fix: p.fix }));
  }

  /** Template mistakes in topics, subscriptions and SNS events (file:line:column field: problem). */
  problems(): Array<{ message: string; fix?: string }> {
    return this.templateProblems;
  }

  topics(): Topic[] {
    return this.registry.topics();
  }

  subscriptions(topicArn?: string): SubscriptionInfo[] {
    return this.registry.subscriptions(topicArn).map((s) => ({
      arn: s.arn,
      topicArn: s.topicArn,
      protocol: s.protocol,
      endpoint: s.endpoint,
      filterPolicy: s.filterPolicy?.text,
      filterPolicyScope: s.filterPolicy?.scope,
      rawMessageDelivery: s.rawMessageDelivery,
      origin: s.origin,
      viaQueue: s.viaQueue?.queueArn,
      declaredAt: s.declaredAt,
    }));
  }

  /** A topic by ARN or name (the UI and CLI let users type the name). */
  findTopic(arnOrName: string): Topic {
    const topic = this.registry.topic(arnOrName) ?? this.registry.topics().find((t) => t.name === arnOrName);
    if (!topic) throw new NotFoundError('Topic does not exist', `Topics here: ${this.registry.topics().map((t) => t.name).join(', ') || 'none'}.`);
    return topic;
  }

  async createTopic(name: string, attributes: Record<string, string> = {}): Promise<Topic> {
    if (!/^[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(name) || (name.endsWith('.fifo') && name.length > 256)) {
      throw new InvalidParameterError('Invalid parameter: Topic Name', 'Topic names have 1 to 256 letters, digits, hyphens and underscores (FIFO topics end in .fifo).');
    }
    const fifo = attributes.FifoTopic === 'true';
    if (fifo !== name.endsWith('.fifo')) {
      throw new InvalidParameterError(fifo ? 'Invalid parameter: Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.' : 'Invalid parameter: Topic Name', fifo ? undefined : 'A name ending in .fifo needs the attribute FifoTopic=true.');
    }
    const arn = `arn:aws:sns:${this.ctx.region}:${this.ctx.accountId}:${name}`;
    const existing = this.registry.topic(arn);
    if (existing) return existing; // CreateTopic is idempotent
    const topic: Topic = { arn, name, fifo, attributes, origin: 'api' };
    await this.registry.putTopic(topic);
    return topic;
  }

  async deleteTopic(arn: string): Promise<void> {
    if (!this.registry.topic(arn)) return; // DeleteTopic of a missing topic succeeds on AWS
    if (this.registry.isFromTemplate(arn)) {
      throw new InvalidParameterError(`Invalid parameter: TopicArn: ${arn} is defined in ${this.ctx.model().templatePath}`, 'Remove it from the template to delete it.');
    }
    await this.registry.deleteTopic(arn);
  }

  async subscribe(topicArn: string, protocol: string, endpoint: string, attributes: Record<string, string> = {}): Promise<SubscriptionInfo> {
    const topic = this.findTopic(topicArn);
    if (protocol !== 'lambda' && protocol !== 'sqs') {
      throw new InvalidParameterError(`Invalid parameter: Protocol: LambdaDesk delivers to lambda and sqs subscriptions, not '${protocol}'`, 'Subscribe a function (lambda) or a queue (sqs).');
    }
    if (topic.fifo && protocol === 'lambda') throw new InvalidParameterError('Invalid parameter: Invalid protocol type: lambda', 'FIFO topics deliver to SQS queues only.');
    const pattern = protocol === 'lambda' ? /^arn:aws[\w-]*:lambda:[a-z0-9-]+:\d{12}:function:[^:]+(:[^:]+)?$/ : /^arn:aws[\w-]*:sqs:[a-z0-9-]+:\d{12}:[\w.-]+$/;
    if (!pattern.test(endpoint)) throw new InvalidParameterError(`Invalid parameter: ${protocol === 'lambda' ? 'Lambda' : 'SQS'} endpoint ARN`, `Endpoint must be a ${protocol === 'lambda' ? 'function' : 'queue'} ARN.`);
    const filterPolicy = attributes.FilterPolicy ? parseFilterPolicy(attributes.FilterPolicy, (attributes.FilterPolicyScope ?? 'MessageAttributes') as FilterPolicyScope) : undefined;
    const existing = this.registry.subscriptions(topic.arn).find((s) => s.protocol === protocol && s.endpoint === endpoint);
    if (existing) {
      if ((existing.filterPolicy?.text ?? '') !== (filterPolicy?.text ?? '') && Object.keys(attributes).length > 0) {
        throw new InvalidParameterError('Invalid parameter: Attributes Reason: Subscription already exists with different attributes');
      }
      return this.subscriptions().find((s) => s.arn === existing.arn)!;
    }
    const subscription: Subscription = {
      arn: stableSubscriptionArn(topic.arn, `api/${protocol}/${endpoint}/${randomUUID()}`),
      topicArn: topic.arn,
      protocol,
      endpoint,
      filterPolicy,
      rawMessageDelivery: attributes.RawMessageDelivery === 'true',
      origin: 'api',
    };
    await this.registry.putSubscription(subscription);
    return this.subscriptions().find((s) => s.arn === subscription.arn)!;
  }

  async unsubscribe(arn: string): Promise<void> {
    const s = this.registry.subscription(arn);
    if (!s) throw new NotFoundError('Subscription does not exist');
    if (s.origin === 'template') throw new InvalidParameterError(`Invalid parameter: SubscriptionArn: ${arn} comes from ${s.declaredAt ?? 'the template'}`, 'Remove it from the template to unsubscribe.');
    await this.registry.deleteSubscription(arn);
  }

  async setSubscriptionAttribute(arn: string, name: string, value: string): Promise<void> {
    const s = this.registry.subscription(arn);
    if (!s) throw new NotFoundError('Subscription does not exist');
    if (s.origin === 'template') throw new InvalidParameterError(`Invalid parameter: SubscriptionArn: ${arn} comes from ${s.declaredAt ?? 'the template'}`, 'Change its properties in the template.');
    const next: Subscription = { ...s };
    if (name === 'FilterPolicy') next.filterPolicy = value ? parseFilterPolicy(value, s.filterPolicy?.scope ?? 'MessageAttributes') : undefined;
    else if (name === 'FilterPolicyScope') next.filterPolicy = s.filterPolicy ? parseFilterPolicy(s.filterPolicy.text, value as FilterPolicyScope) : undefined;
    else if (name === 'RawMessageDelivery') next.rawMessageDelivery = value === 'true';
    else throw new InvalidParameterError(`Invalid parameter: AttributeName: ${name} is not supported`, 'LambdaDesk supports FilterPolicy, FilterPolicyScope and RawMessageDelivery.');
    await this.registry.putSubscription(next);
  }

  /** Publish: checks the message as SNS does, then fans it out; a failed delivery never fails the publish. */
  async publish(input: PublishInput): Promise<PublishResult> {
    if (!input.topicArn) throw new InvalidParameterError('Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
    if (!input.message) throw new InvalidParameterError('Invalid parameter: Empty message');
    if (!isTopicArn(input.topicArn) && !this.registry.topic(input.topicArn)) throw new InvalidParameterError('Invalid parameter: TopicArn', 'TopicArn must be a topic ARN such as arn:aws:sns:us-east-1:123456789012:orders.');
    const topic = this.registry.topic(input.topicArn);
    if (!topic) throw new NotFoundError('Topic does not exist', `Topics here: ${this.registry.topics().map((t) => t.name).join(', ') || 'none'}.`);
    if (Buffer.byteLength(input.message) > MAX_MESSAGE_BYTES) throw new InvalidParameterError('Invalid parameter: Message too long', 'SNS messages are at most 256 KB; put larger payloads in S3 and publish a pointer.');
    if (input.subject !== undefined && (input.subject.length === 0 || input.subject.length > 100 || /[\r\n]/.test(input.subject) || !/^[\x20-\x7e]*$/.test(input.subject))) {
      throw new InvalidParameterError('Invalid parameter: Subject', 'A subject is 1 to 100 printable ASCII characters on one line.');
    }
    if (input.messageStructure !== undefined && input.messageStructure !== 'json') throw new InvalidParameterError(`Invalid parameter: MessageStructure: only 'json' is allowed, not '${input.messageStructure}'`);
    const structured = input.messageStructure === 'json' ? parseStructuredMessage(input.message) : undefined;
    const attributes = input.attributes ?? {};
    checkMessageAttributes(attributes);
    const now = this.ctx.clock.now();
    let sequenceNumber: string | undefined;
    if (topic.fifo) {
      if (!input.messageGroupId) throw new InvalidParameterError('Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
      const dedupId = input.messageDeduplicationId ?? (topic.attributes.ContentBasedDeduplication === 'true' ? contentHash(input.message) : undefined);
      if (!dedupId) throw new InvalidParameterError('Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
      for (const [key, seen] of this.deduplication) if (now - seen.at > DEDUPLICATION_WINDOW_MS) this.deduplication.delete(key);
      const seen = this.deduplication.get(`${topic.arn}|${dedupId}`);
      if (seen) return { messageId: seen.messageId, sequenceNumber: seen.sequenceNumber, deliveries: [] };
      this.sequence += 1n;
      sequenceNumber = String(10_000_000_000_000_000_000n + this.sequence);
      input = { ...input, messageDeduplicationId: dedupId };
    } else if (input.messageGroupId !== undefined || input.messageDeduplicationId !== undefined) {
      throw new InvalidParameterError('Invalid parameter: The request includes MessageGroupId or MessageDeduplicationId parameter that is not valid for this topic type');
    }
    const message: SnsMessage = {
      messageId: randomUUID(),
      topicArn: topic.arn,
      subject: input.subject,
      message: input.message,
      structured,
      attributes,
      timestamp: now,
      messageGroupId: input.messageGroupId,
      messageDeduplicationId: input.messageDeduplicationId,
      sequenceNumber,
    };
    if (sequenceNumber && input.messageDeduplicationId) this.deduplication.set(`${topic.arn}|${input.messageDeduplicationId}`, { messageId: message.messageId, sequenceNumber, at: now });
    const deliveries = await Promise.all(this.registry.subscriptions(topic.arn).map((s) => this.deliver(s, message)));
    this.events.emit('sns:published', { topicArn: topic.arn, messageId: message.messageId, deliveries });
    return { messageId: message.messageId, sequenceNumber, deliveries };
  }

  private async deliver(s: Subscription, message: SnsMessage): Promise<Delivery> {
    const base = { subscriptionArn: s.arn, protocol: s.protocol, endpoint: s.endpoint };
    const body = messageFor(message, s.protocol);
    if (s.filterPolicy && !matchesFilterPolicy(s.filterPolicy, { body, attributes: message.attributes })) return { ...base, outcome: 'filtered' };
    try {
      if (s.protocol === 'sqs') {
        const attributes = s.rawMessageDelivery ? Object.fromEntries(Object.entries(message.attributes).map(([k, a]) => [k, a.stringValue ?? a.binaryValue ?? ''])) : undefined;
        await this.ctx.arnTargets.deliver(s.endpoint, s.rawMessageDelivery ? body : sqsEnvelope(message, s.arn, this.ctx.region), attributes);
        return { ...base, outcome: 'queued' };
      }
      const target = this.ctx.invoker.target(s.endpoint);
      const requestId = randomUUID();
      const payload = s.viaQueue
        ? sqsSubscriptionEvent(message, s.arn, s.viaQueue.queueArn, this.ctx.region, this.ctx.accountId, this.ctx.clock.now())
        : lambdaEvent(message, s.arn, this.ctx.region);
      await this.ctx.asyncQueue.enqueue({ requestId, functionName: target.fn.functionName, qualifier: target.qualifier, payload, trigger: `sns:${topicNameOf(s.topicArn)}` });
      return { ...base, outcome: 'queued', requestId };
    } catch (err) {
      return { ...base, outcome: 'failed', error: err instanceof Error ? err.message : String(err) };
    }
  }
}

function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export const createSnsService = (ctx: EngineContext): SnsService => new SnsService(ctx);
