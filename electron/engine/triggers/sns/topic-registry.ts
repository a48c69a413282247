import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../atomic-write.ts';
import type { SourceLocation } from '../../contract.ts';
import { parseFilterPolicy, type FilterPolicy, type FilterPolicyScope } from './filter-policy.ts';

export type SnsProtocol = 'lambda' | 'sqs';

export interface Topic {
  arn: string;
  name: string;
  fifo: boolean;
  /** DisplayName, FifoTopic, ContentBasedDeduplication…, as GetTopicAttributes shows them. */
  attributes: Record<string, string>;
  /** `template`: an AWS::SNS::Topic; `event-source`: only named by an SNS event's Topic; `api`: CreateTopic. */
  origin: 'template' | 'event-source' | 'api';
  logicalId?: string;
  location?: SourceLocation;
}

export interface Subscription {
  arn: string;
  topicArn: string;
  protocol: SnsProtocol;
  /** A function ARN (lambda) or a queue ARN (sqs). */
  endpoint: string;
  filterPolicy?: FilterPolicy;
  rawMessageDelivery: boolean;
  origin: 'template' | 'api';
  /** SAM `SqsSubscription`: through a queue the function polls; the function gets an SQS event. */
  viaQueue?: { queueArn: string };
  /** Where the template declares it, e.g. `Resources.Fn.Properties.Events.Orders`. */
  declaredAt?: string;
  location?: SourceLocation;
}

interface PersistedState {
  topics: Topic[];
  subscriptions: Array<Omit<Subscription, 'filterPolicy'> & { filterPolicy?: string; filterPolicyScope?: FilterPolicyScope }>;
}

/**
 * Topics and subscriptions: the template's (replaced on every reload) and those created through
 * the API (CreateTopic, Subscribe), which are kept in `.lambdadesk/sns/state.json`, written
 * atomically, so they survive a restart as they would on AWS.
 */
export class TopicRegistry {
  private templateTopics = new Map<string, Topic>();
  private templateSubscriptions = new Map<string, Subscription>();
  private readonly apiTopics = new Map<string, Topic>();
  private readonly apiSubscriptions = new Map<string, Subscription>();
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  async load(): Promise<void> {
    let state: PersistedState;
    try {
      state = JSON.parse(await readFile(this.file, 'utf8')) as PersistedState;
    } catch {
      return; // first run, or a file a human broke: start empty rather than refuse to run
    }
    for (const topic of state.topics ?? []) this.apiTopics.set(topic.arn, topic);
    for (const s of state.subscriptions ?? []) {
      let filterPolicy: FilterPolicy | undefined;
      try {
        filterPolicy = s.filterPolicy ? parseFilterPolicy(s.filterPolicy, s.filterPolicyScope) : undefined;
      } catch {
        continue; // a policy that no longer parses would let everything through: drop the subscription
      }
      this.apiSubscriptions.set(s.arn, { ...s, filterPolicy });
    }
  }

  setTemplate(topics: Topic[], subscriptions: Subscription[]): void {
    this.templateTopics = new Map(topics.map((t) => [t.arn, t]));
    this.templateSubscriptions = new Map(subscriptions.map((s) => [s.arn, s]));
  }

  topics(): Topic[] {
    const out = new Map(this.apiTopics);
    for (const [arn, topic] of this.templateTopics) out.set(arn, topic);
    return [...out.values()].sort((a, b) => a.arn.localeCompare(b.arn));
  }

  topic(arn: string): Topic | undefined {
    return this.templateTopics.get(arn) ?? this.apiTopics.get(arn);
  }

  subscriptions(topicArn?: string): Subscription[] {
    const all = [...this.templateSubscriptions.values(), ...this.apiSubscriptions.values()];
    return topicArn === undefined ? all : all.filter((s) => s.topicArn === topicArn);
  }

  subscription(arn: string): Subscription | undefined {
    return this.templateSubscriptions.get(arn) ?? this.apiSubscriptions.get(arn);
  }

  isFromTemplate(arn: string): boolean {
    return this.templateTopics.has(arn) || this.templateSubscriptions.has(arn);
  }

  async putTopic(topic: Topic): Promise<void> {
    this.apiTopics.set(topic.arn, topic);
    await this.save();
  }

  async deleteTopic(arn: string): Promise<void> {
    this.apiTopics.delete(arn);
    for (const s of [...this.apiSubscriptions.values()]) if (s.topicArn === arn) this.apiSubscriptions.delete(s.arn);
    await this.save();
  }

  async putSubscription(subscription: Subscription): Promise<void> {
    this.apiSubscriptions.set(subscription.arn, subscription);
    await this.save();
  }

  async deleteSubscription(arn: string): Promise<void> {
    this.apiSubscriptions.delete(arn);
    await this.save();
  }

  private save(): Promise<void> {
    const state: PersistedState = {
      topics: [...this.apiTopics.values()],
      subscriptions: [...this.apiSubscriptions.values()].map(({ filterPolicy, ...rest }) => ({
        ...rest,
        ...(filterPolicy ? { filterPolicy: filterPolicy.text, filterPolicyScope: filterPolicy.scope } : {}),
      })),
    };
    const text = JSON.stringify(state, null, 2);
    // One write at a time, in call order: the last state always wins.
    this.saving = this.saving.catch(() => undefined).then(() => writeFileAtomic(this.file, text));
    return this.saving;
  }
}
