import type { AwsServiceHandler } from '../../http/aws-endpoint.ts';
import type { EngineContext } from '../../engine-context.ts';
import { toLambdaDeskError } from '../../errors.ts';
import type { MessageAttribute } from './filter-policy.ts';
import { el, numbered, readQueryParams, sendQueryError, sendQueryResult, stringMap, xmlMap, type QueryParams } from './query-protocol.ts';
import { BatchRequestError, InvalidActionError, InvalidParameterError, NotFoundError } from './sns-errors.ts';
import type { PublishInput, SnsService, SubscriptionInfo } from './sns-service.ts';
import type { Topic } from './topic-registry.ts';

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
/** Room for a 256 KB message, form-encoded (up to three bytes per byte), in a batch of ten. */
const MAX_REQUEST_BYTES = 8 * 1024 * 1024;
const PAGE_SIZE = 100;

function required(params: QueryParams, name: string): string {
  const value = params.get(name);
  if (value === undefined || value === '') throw new InvalidParameterError(`Invalid parameter: ${name} Reason: no value for required parameter`);
  return value;
}

function messageAttributes(params: QueryParams): Record<string, MessageAttribute> {
  const out: Record<string, MessageAttribute> = {};
  for (const entry of numbered(params, 'MessageAttributes', 'entry')) {
    const name = entry.get('Name');
    if (!name) throw new InvalidParameterError('Invalid parameter: MessageAttributes: an entry has no Name');
    const dataType = entry.get('Value.DataType');
    if (!dataType) throw new InvalidParameterError(`Invalid parameter: The message attribute '${name}' must contain non-empty message attribute type.`);
    out[name] = { dataType, stringValue: entry.get('Value.StringValue'), binaryValue: entry.get('Value.BinaryValue') };
  }
  return out;
}

function publishInput(params: QueryParams, topicArn: string): PublishInput {
  return {
    topicArn,
    message: params.get('Message') ?? '',
    subject: params.get('Subject'),
    attributes: messageAttributes(params),
    messageStructure: params.get('MessageStructure'),
    messageGroupId: params.get('MessageGroupId'),
    messageDeduplicationId: params.get('MessageDeduplicationId'),
  };
}

function page<T>(items: T[], token: string | undefined): { items: T[]; next?: string } {
  const start = token ? Number(Buffer.from(token, 'base64').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0) throw new InvalidParameterError('Invalid parameter: NextToken');
  const next = start + PAGE_SIZE < items.length ? Buffer.from(String(start + PAGE_SIZE)).toString('base64') : undefined;
  return { items: items.slice(start, start + PAGE_SIZE), next };
}

function subscriptionMember(s: SubscriptionInfo, owner: string): string {
  return `<member>${el('SubscriptionArn', s.arn)}${el('Owner', owner)}${el('Protocol', s.protocol)}${el('Endpoint', s.endpoint)}${el('TopicArn', s.topicArn)}</member>`;
}

function topicAttributes(topic: Topic, service: SnsService, accountId: string): Record<string, string> {
  const subscriptions = service.subscriptions(topic.arn);
  return {
    TopicArn: topic.arn,
    Owner: accountId,
    Policy: JSON.stringify({
      Version: '2008-10-17',
      Id: '__default_policy_ID',
      Statement: [{ Sid: '__default_statement_ID', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['SNS:Publish', 'SNS:Subscribe'], Resource: topic.arn, Condition: { StringEquals: { 'AWS:SourceOwner': accountId } } }],
    }),
    DisplayName: topic.attributes.DisplayName ?? '',
    SubscriptionsConfirmed: String(subscriptions.length),
    SubscriptionsPending: '0',
    SubscriptionsDeleted: '0',
    EffectiveDeliveryPolicy: JSON.stringify({ http: { defaultHealthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' }, disableSubscriptionOverrides: false } }),
    ...(topic.fifo ? { FifoTopic: 'true', ContentBasedDeduplication: topic.attributes.ContentBasedDeduplication ?? 'false' } : {}),
    ...Object.fromEntries(Object.entries(topic.attributes).filter(([k]) => !['DisplayName', 'FifoTopic', 'ContentBasedDeduplication'].includes(k))),
  };
}

/** SNS's query-protocol API on the engine's AWS endpoint. */
export function createSnsApi(service: SnsService, ctx: EngineContext): AwsServiceHandler {
  const owner = ctx.accountId;
  const actions: Record<string, (params: QueryParams) => Promise<string | undefined>> = {
    async Publish(params) {
      if (params.get('PhoneNumber')) throw new InvalidParameterError('Invalid parameter: PhoneNumber: LambdaDesk does not send SMS', 'Publish to a topic (TopicArn) instead.');
      const topicArn = params.get('TopicArn') ?? params.get('TargetArn') ?? '';
      const result = await service.publish(publishInput(params, topicArn));
      return `${el('MessageId', result.messageId)}${el('SequenceNumber', result.sequenceNumber)}`;
    },
    async PublishBatch(params) {
      const topicArn = required(params, 'TopicArn');
      service.findTopic(topicArn);
      const entries = numbered(params, 'PublishBatchRequestEntries', 'member');
      if (entries.length === 0) throw new BatchRequestError('EmptyBatchRequest', "The batch request doesn't contain any entries.");
      if (entries.length > 10) throw new BatchRequestError('TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.');
      const ids = entries.map((e) => e.get('Id') ?? '');
      if (new Set(ids).size !== ids.length) throw new BatchRequestError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
      const badId = ids.find((id) => !/^[A-Za-z0-9_-]{1,80}$/.test(id));
      if (badId !== undefined) throw new BatchRequestError('InvalidBatchEntryId', `The Id of a batch entry in a batch request doesn't abide by the specification: '${badId}'.`);
      let successful = '';
      let failed = '';
      for (const [i, entry] of entries.entries()) {
        try {
          const result = await service.publish(publishInput(entry, topicArn));
          successful += `<member>${el('Id', ids[i])}${el('MessageId', result.messageId)}${el('SequenceNumber', result.sequenceNumber)}</member>`;
        } catch (err) {
          const e = toLambdaDeskError(err);
          failed += `<member>${el('Id', ids[i])}${el('Code', e.awsName)}${el('Message', e.message)}${el('SenderFault', e.status < 500)}</member>`;
        }
      }
      return `<Successful>${successful}</Successful><Failed>${failed}</Failed>`;
    },
    async CreateTopic(params) {
      const topic = await service.createTopic(required(params, 'Name'), stringMap(params, 'Attributes'));
      return el('TopicArn', topic.arn);
    },
    async DeleteTopic(params) {
      await service.deleteTopic(required(params, 'TopicArn'));
      return undefined;
    },
    async ListTopics(params) {
      const { items, next } = page(service.topics(), params.get('NextToken'));
      return `<Topics>${items.map((t) => `<member>${el('TopicArn', t.arn)}</member>`).join('')}</Topics>${el('NextToken', next)}`;
    },
    async GetTopicAttributes(params) {
      const topic = service.findTopic(required(params, 'TopicArn'));
      return `<Attributes>${xmlMap(topicAttributes(topic, service, owner))}</Attributes>`;
    },
    async Subscribe(params) {
      const s = await service.subscribe(required(params, 'TopicArn'), required(params, 'Protocol'), params.get('Endpoint') ?? '', stringMap(params, 'Attributes'));
      return el('SubscriptionArn', s.arn);
    },
    async Unsubscribe(params) {
      await service.unsubscribe(required(params, 'SubscriptionArn'));
      return undefined;
    },
    async ListSubscriptions(params) {
      const { items, next } = page(service.subscriptions(), params.get('NextToken'));
      return `<Subscriptions>${items.map((s) => subscriptionMember(s, owner)).join('')}</Subscriptions>${el('NextToken', next)}`;
    },
    async ListSubscriptionsByTopic(params) {
      const topic = service.findTopic(required(params, 'TopicArn'));
      const { items, next } = page(service.subscriptions(topic.arn), params.get('NextToken'));
      return `<Subscriptions>${items.map((s) => subscriptionMember(s, owner)).join('')}</Subscriptions>${el('NextToken', next)}`;
    },
    async GetSubscriptionAttributes(params) {
      const arn = required(params, 'SubscriptionArn');
      const s = service.subscriptions().find((x) => x.arn === arn);
      if (!s) throw new NotFoundError('Subscription does not exist');
      const attributes: Record<string, string> = {
        SubscriptionArn: s.arn,
        TopicArn: s.topicArn,
        Owner: owner,
        Protocol: s.protocol,
        Endpoint: s.endpoint,
        ConfirmationWasAuthenticated: 'true',
        PendingConfirmation: 'false',
        RawMessageDelivery: String(s.rawMessageDelivery),
        SubscriptionPrincipal: `arn:aws:iam::${owner}:user/lambdadesk`,
      };
      if (s.filterPolicy) {
        attributes.FilterPolicy = s.filterPolicy;
        attributes.FilterPolicyScope = s.filterPolicyScope ?? 'MessageAttributes';
      }
      return `<Attributes>${xmlMap(attributes)}</Attributes>`;
    },
    async SetSubscriptionAttributes(params) {
      await service.setSubscriptionAttribute(required(params, 'SubscriptionArn'), required(params, 'AttributeName'), params.get('AttributeValue') ?? '');
      return undefined;
    },
  };

  return async (req, res, requestCtx) => {
    try {
      const params = await readQueryParams(req, requestCtx.url, MAX_REQUEST_BYTES);
      const action = params.get('Action') ?? '';
      const run = Object.hasOwn(actions, action) ? actions[action] : undefined;
      if (!run) {
        throw new InvalidActionError(
          action ? `The action ${action} is not valid for this endpoint.` : 'Missing Action parameter.',
          `LambdaDesk's SNS supports ${Object.keys(actions).join(', ')}.`,
        );
      }
      const result = await run(params);
      sendQueryResult(res, XMLNS, action, result, requestCtx.requestId);
    } catch (err) {
      sendQueryError(res, XMLNS, err, requestCtx.requestId);
    }
  };
}

