import { createHash } from 'node:crypto';
import type { ProjectModel, SourceLocation } from '../../contract.ts';
import { LambdaDeskError, TemplateError } from '../../errors.ts';
import type { TemplateResources } from '../../project/template-resources.ts';
import { parseFilterPolicy, type FilterPolicy, type FilterPolicyScope } from './filter-policy.ts';
import type { Subscription, Topic } from './topic-registry.ts';

/** Subscription ARNs end in a UUID; template ones derive it from where they are declared, so they stay put. */
export function stableSubscriptionArn(topicArn: string, key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${topicArn}:${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function topicNameOf(arn: string): string {
  return arn.split(':').at(-1) ?? arn;
}

const TOPIC_ARN = /^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

export function isTopicArn(text: string): boolean {
  return TOPIC_ARN.test(text);
}

interface Definitions {
  topics: Topic[];
  subscriptions: Subscription[];
  problems: TemplateError[];
}

class Invalid extends Error {
  constructor(
    readonly field: string,
    problem: string,
    readonly fix?: string,
  ) {
    super(problem);
  }
}

function truthy(v: unknown): boolean {
  return v === true || v === 'true';
}

function readPolicy(policy: unknown, scope: unknown, field: string): FilterPolicy | undefined {
  if (policy === undefined) return undefined;
  try {
    return parseFilterPolicy(policy, (scope ?? 'MessageAttributes') as FilterPolicyScope);
  } catch (err) {
    if (err instanceof LambdaDeskError) throw new Invalid(scope !== undefined && String(err.message).includes('FilterPolicyScope') ? `${field}Scope` : field, err.message, err.fix);
    throw err;
  }
}

/**
 * The template's topics and subscriptions: `AWS::SNS::Topic` (with its `Subscription` list),
 * `AWS::SNS::Subscription`, and the functions' `SNS` events (FilterPolicy, FilterPolicyScope,
 * SqsSubscription). A topic an event names but the template does not define is created too, so
 * publishing to it works. Every mistake is a TemplateError; the subscription is then left out
 * rather than delivered unfiltered.
 */
export function readSnsDefinitions(model: ProjectModel, template: TemplateResources): Definitions {
  const out: Definitions = { topics: [], subscriptions: [], problems: [] };
  const { stack } = template;
  const fail = (at: SourceLocation, err: Invalid) => out.problems.push(new TemplateError({ ...at, field: err.field }, err.message, err.fix));

  for (const r of template.ofType('AWS::SNS::Topic')) {
    const arn = r.ref;
    const fifo = truthy(r.properties.FifoTopic);
    const attributes: Record<string, string> = {};
    if (typeof r.properties.DisplayName === 'string') attributes.DisplayName = r.properties.DisplayName;
    if (fifo) attributes.FifoTopic = 'true';
    if (truthy(r.properties.ContentBasedDeduplication)) attributes.ContentBasedDeduplication = 'true';
    out.topics.push({ arn, name: topicNameOf(arn), fifo, attributes, origin: 'template', logicalId: r.logicalId, location: r.location });
    const list = r.properties.Subscription;
    if (!Array.isArray(list)) continue;
    list.forEach((item, i) => {
      const field = `Resources.${r.logicalId}.Properties.Subscription[${i}]`;
      try {
        const { Protocol: protocol, Endpoint: endpoint } = (item ?? {}) as Record<string, unknown>;
        out.subscriptions.push(subscription(arn, protocol, endpoint, field, `${r.logicalId}/Subscription/${i}`, r.location));
      } catch (err) {
        if (err instanceof Invalid) fail(r.location, err);
        else throw err;
      }
    });
  }

  for (const r of template.ofType('AWS::SNS::Subscription')) {
    const field = `Resources.${r.logicalId}.Properties`;
    try {
      const p = r.properties;
      if (typeof p.TopicArn !== 'string' || !isTopicArn(p.TopicArn)) throw new Invalid(`${field}.TopicArn`, `TopicArn must be a topic ARN, not ${JSON.stringify(p.TopicArn)}.`, 'Write TopicArn: !Ref MyTopic.');
      const s = subscription(p.TopicArn, p.Protocol, p.Endpoint, field, r.logicalId, r.location);
      s.filterPolicy = readPolicy(p.FilterPolicy, p.FilterPolicyScope, `${field}.FilterPolicy`);
      s.rawMessageDelivery = truthy(p.RawMessageDelivery);
      out.subscriptions.push(s);
    } catch (err) {
      if (err instanceof Invalid) fail(r.location, err);
      else throw err;
    }
  }

  for (const fn of model.functions) {
    for (const event of fn.events.filter((e) => e.type === 'SNS')) {
      const field = `Resources.${fn.logicalId}.Properties.Events.${event.name}.Properties`;
      try {
        const p = event.properties;
        const topicArn = p.Topic;
        if (typeof topicArn !== 'string' || !isTopicArn(topicArn)) {
          throw new Invalid(`${field}.Topic`, `Topic must be a topic ARN, not ${JSON.stringify(topicArn)}.`, 'Write Topic: !Ref MyTopic (the ARN of an AWS::SNS::Topic).');
        }
        const functionArn = `arn:${stack.partition}:lambda:${stack.region}:${stack.accountId}:function:${fn.functionName}`;
        const s = subscription(topicArn, 'lambda', functionArn, field, `${fn.logicalId}/${event.name}`, event.location);
        s.filterPolicy = readPolicy(p.FilterPolicy, p.FilterPolicyScope, `${field}.FilterPolicy`);
        s.declaredAt = `Resources.${fn.logicalId}.Properties.Events.${event.name}`;
        const sqs = p.SqsSubscription;
        if (sqs !== undefined && sqs !== false && sqs !== 'false') {
          // SAM creates `<Function><Event>Queue` unless QueueArn names one.
          const queueArn =
            typeof sqs === 'object' && sqs !== null && typeof (sqs as Record<string, unknown>).QueueArn === 'string'
              ? ((sqs as Record<string, unknown>).QueueArn as string)
              : `arn:${stack.partition}:sqs:${stack.region}:${stack.accountId}:${stack.stackName}-${fn.logicalId}${event.name}Queue`;
          s.viaQueue = { queueArn };
        }
        out.subscriptions.push(s);
        if (!out.topics.some((t) => t.arn === topicArn)) {
          out.topics.push({ arn: topicArn, name: topicNameOf(topicArn), fifo: topicArn.endsWith('.fifo'), attributes: {}, origin: 'event-source', location: event.location });
        }
      } catch (err) {
        if (err instanceof Invalid) fail(event.location, err);
        else throw err;
      }
    }
  }
  return out;
}

function subscription(topicArn: string, protocol: unknown, endpoint: unknown, field: string, key: string, location: SourceLocation): Subscription {
  if (protocol !== 'lambda' && protocol !== 'sqs') {
    throw new Invalid(`${field}.Protocol`, `LambdaDesk delivers to lambda and sqs subscriptions, not ${JSON.stringify(protocol)}; this subscription gets nothing locally.`, 'Use Protocol: lambda or sqs, or test this subscriber another way.');
  }
  const pattern = protocol === 'lambda' ? /^arn:aws[\w-]*:lambda:[a-z0-9-]+:\d{12}:function:[^:]+(:[^:]+)?$/ : /^arn:aws[\w-]*:sqs:[a-z0-9-]+:\d{12}:[\w.-]+$/;
  if (typeof endpoint !== 'string' || !pattern.test(endpoint)) {
    throw new Invalid(`${field}.Endpoint`, `Endpoint must be ${protocol === 'lambda' ? 'a function ARN' : 'a queue ARN'}, not ${JSON.stringify(endpoint)}.`, protocol === 'lambda' ? 'Write Endpoint: !GetAtt MyFunction.Arn.' : 'Write Endpoint: !GetAtt MyQueue.Arn.');
  }
  return { arn: stableSubscriptionArn(topicArn, key), topicArn, protocol, endpoint, rawMessageDelivery: false, origin: 'template', declaredAt: field, location };
}
