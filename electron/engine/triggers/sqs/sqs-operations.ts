import type { Clock } from '../../clock.ts';
import { md5OfMessageAttributes, type MessageAttributeValue } from './message-md5.ts';
import { messageSize } from './message-validation.ts';
import { ALL_ATTRIBUTE_NAMES, MAX_MESSAGE_BYTES, parseRedrivePolicy, validateAttributes } from './queue-attributes.ts';
import type { QueueRegistry } from './queue-registry.ts';
import { SqsError, sqsErrors } from './sqs-errors.ts';
import { SYSTEM_ATTRIBUTE_NAMES, systemAttributesOf, type ReceivedMessage } from './sqs-message.ts';
import type { SqsQueue } from './sqs-queue.ts';

/** Per request: how this caller reaches the endpoint (queue URLs use it) and who sends. */
export interface SqsCallContext {
  /** `http://127.0.0.1:3001`: queue URLs are built on the address the caller used. */
  baseUrl: string;
  senderId: string;
  /** Ends a long poll when the caller goes away, so no message is received for nobody. */
  signal?: AbortSignal;
  /** The request path: the query protocol may name the queue by posting to its URL. */
  path?: string;
}

export type SqsInput = Record<string, unknown>;
export type SqsOutput = Record<string, unknown>;
export type SqsOperation = (input: SqsInput, call: SqsCallContext) => Promise<SqsOutput>;

export interface SqsOperationsDeps {
  registry: QueueRegistry;
  clock: Clock;
  accountId: string;
}

/**
 * SQS's operations on input and output in the JSON protocol's shape (member names as in the API
 * reference, binary values in base64); the query protocol converts to and from the same shape.
 */
export function createSqsOperations(deps: SqsOperationsDeps): Record<string, SqsOperation> {
  const { registry } = deps;
  const urlOf = (queue: SqsQueue, call: SqsCallContext): string => `${call.baseUrl}/${deps.accountId}/${encodeURIComponent(queue.name)}`;
  const queueOf = (input: SqsInput, call: SqsCallContext): SqsQueue => {
    const url = optionalString(input, 'QueueUrl') ?? (call.path && call.path !== '/' ? call.path : undefined);
    if (!url) throw sqsErrors.missingParameter('QueueUrl');
    return registry.require(url);
  };

  const checkRedriveTarget = (attributes: Record<string, string>, fifo: boolean): void => {
    if (!attributes.RedrivePolicy) return;
    const policy = parseRedrivePolicy(attributes.RedrivePolicy);
    const target = registry.get(policy.deadLetterTargetArn);
    if (!target) throw sqsErrors.invalidParameterValue(`Value ${attributes.RedrivePolicy} for parameter RedrivePolicy is invalid. Reason: Dead-letter target does not exist.`);
    if (target.fifo !== fifo) throw sqsErrors.invalidParameterValue(`Value ${attributes.RedrivePolicy} for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source.`);
  };

  return {
    async CreateQueue(input, call) {
      const name = requiredString(input, 'QueueName');
      const attributes = optionalMap(input, 'Attributes') ?? {};
      const fifo = String(attributes.FifoQueue ?? 'false').toLowerCase() === 'true';
      checkRedriveTarget(validateAttributes(attributes, { fifo, creating: true }), fifo);
      const queue = await registry.create(name, { attributes, tags: stringMap(optionalMap(input, 'tags')) });
      return { QueueUrl: urlOf(queue, call) };
    },

    async GetQueueUrl(input, call) {
      return { QueueUrl: urlOf(registry.require(requiredString(input, 'QueueName')), call) };
    },

    async ListQueues(input, call) {
      const prefix = optionalString(input, 'QueueNamePrefix') ?? '';
      const maxResults = optionalInt(input, 'MaxResults', 1, 1000, 'Must be between 1 and 1000, if provided.');
      const after = optionalString(input, 'NextToken');
      let names = registry.list().map((q) => q.name).filter((n) => n.startsWith(prefix));
      if (after) names = names.filter((n) => n > Buffer.from(after, 'base64').toString('utf8'));
      const page = names.slice(0, maxResults ?? 1000);
      const output: SqsOutput = {};
      if (page.length) output.QueueUrls = page.map((n) => urlOf(registry.require(n), call));
      if (maxResults !== undefined && names.length > page.length) output.NextToken = Buffer.from(page.at(-1)!).toString('base64');
      return output;
    },

    async GetQueueAttributes(input, call) {
      const queue = queueOf(input, call);
      const names = optionalList(input, 'AttributeNames');
      for (const name of names) if (name !== 'All' && !ALL_ATTRIBUTE_NAMES.has(name)) throw sqsErrors.invalidAttributeName(`Unknown Attribute ${name}.`);
      const all = queueAttributes(queue);
      const wanted = names.includes('All') ? Object.keys(all) : names;
      const attributes: Record<string, string> = {};
      for (const name of wanted) if (all[name] !== undefined) attributes[name] = all[name]!;
      return Object.keys(attributes).length ? { Attributes: attributes } : {};
    },

    async SetQueueAttributes(input, call) {
      const queue = queueOf(input, call);
      const attributes = validateAttributes(optionalMap(input, 'Attributes') ?? {}, { fifo: queue.fifo, creating: false });
      checkRedriveTarget(attributes, queue.fifo);
      await queue.setAttributes(attributes);
      return {};
    },

    async SendMessage(input, call) {
      const queue = queueOf(input, call);
      const result = await queue.send({
        body: input.MessageBody,
        attributes: input.MessageAttributes,
        systemAttributes: input.MessageSystemAttributes,
        delaySeconds: optionalInt(input, 'DelaySeconds', -Infinity, Infinity, 'Must be a whole number.'),
        groupId: input.MessageGroupId,
        dedupId: input.MessageDeduplicationId,
        senderId: call.senderId,
      });
      return sendOutput(result);
    },

    async SendMessageBatch(input, call) {
      const queue = queueOf(input, call);
      const entries = batchEntries(input, 'SendMessageBatchRequestEntry');
      const total = entries.reduce((n, e) => n + (typeof e.MessageBody === 'string' ? messageSize(e.MessageBody, (e.MessageAttributes ?? {}) as Record<string, MessageAttributeValue>) : 0), 0);
      if (total > MAX_MESSAGE_BYTES) throw sqsErrors.batchRequestTooLong(MAX_MESSAGE_BYTES, total);
      // Started together so they share one journal write; order is fixed as each send starts.
      const outcomes = await Promise.all(
        entries.map((entry) =>
          queue
            .send({
              body: entry.MessageBody,
              attributes: entry.MessageAttributes,
              systemAttributes: entry.MessageSystemAttributes,
              delaySeconds: optionalInt(entry, 'DelaySeconds', -Infinity, Infinity, 'Must be a whole number.'),
              groupId: entry.MessageGroupId,
              dedupId: entry.MessageDeduplicationId,
              senderId: call.senderId,
            })
            .then((result) => ({ ok: true as const, entry, result }), (err: unknown) => ({ ok: false as const, entry, err })),
        ),
      );
      return batchOutput(outcomes, (result) => sendOutput(result));
    },

    async ReceiveMessage(input, call) {
      const queue = queueOf(input, call);
      const max = optionalInt(input, 'MaxNumberOfMessages', 1, 10, 'Must be between 1 and 10, if provided.') ?? 1;
      const wait = optionalInt(input, 'WaitTimeSeconds', 0, 20, 'Must be >= 0 and <= 20, if provided.') ?? Number(queue.attributes.ReceiveMessageWaitTimeSeconds ?? 0);
      const visibility = optionalInt(input, 'VisibilityTimeout', 0, 43_200, 'Must be >= 0 and <= 43200, if provided.');
      const systemNames = [...optionalList(input, 'AttributeNames'), ...optionalList(input, 'MessageSystemAttributeNames')];
      const userNames = optionalList(input, 'MessageAttributeNames');
      const received = await queue.receive({ max, visibilityTimeoutSeconds: visibility, waitMs: wait * 1000, signal: call.signal });
      if (!received.length) return {};
      return { Messages: received.map((r) => receivedOutput(r, systemNames, userNames)) };
    },

    async DeleteMessage(input, call) {
      await queueOf(input, call).delete(requiredString(input, 'ReceiptHandle'));
      return {};
    },

    async DeleteMessageBatch(input, call) {
      const queue = queueOf(input, call);
      const entries = batchEntries(input, 'DeleteMessageBatchRequestEntry');
      const outcomes = await Promise.all(
        entries.map((entry) =>
          Promise.resolve()
            .then(() => queue.delete(requiredString(entry, 'ReceiptHandle')))
            .then(() => ({ ok: true as const, entry, result: undefined }), (err: unknown) => ({ ok: false as const, entry, err })),
        ),
      );
      return batchOutput(outcomes, () => ({}));
    },

    async ChangeMessageVisibility(input, call) {
      const queue = queueOf(input, call);
      const timeout = optionalInt(input, 'VisibilityTimeout', -Infinity, Infinity, 'Must be a whole number.');
      if (timeout === undefined) throw sqsErrors.missingParameter('VisibilityTimeout');
      await queue.changeVisibility(requiredString(input, 'ReceiptHandle'), timeout);
      return {};
    },

    async ChangeMessageVisibilityBatch(input, call) {
      const queue = queueOf(input, call);
      const entries = batchEntries(input, 'ChangeMessageVisibilityBatchRequestEntry');
      const outcomes = await Promise.all(
        entries.map((entry) =>
          Promise.resolve()
            .then(() => queue.changeVisibility(requiredString(entry, 'ReceiptHandle'), optionalInt(entry, 'VisibilityTimeout', -Infinity, Infinity, 'Must be a whole number.') ?? 0))
            .then(() => ({ ok: true as const, entry, result: undefined }), (err: unknown) => ({ ok: false as const, entry, err })),
        ),
      );
      return batchOutput(outcomes, () => ({}));
    },

    async PurgeQueue(input, call) {
      await queueOf(input, call).purge();
      return {};
    },

    async DeleteQueue(input, call) {
      await registry.delete(queueOf(input, call).name);
      return {};
    },

    async TagQueue(input, call) {
      await queueOf(input, call).setTags(stringMap(optionalMap(input, 'Tags')) ?? {});
      return {};
    },

    async UntagQueue(input, call) {
      await queueOf(input, call).setTags({}, optionalList(input, 'TagKeys'));
      return {};
    },

    async ListQueueTags(input, call) {
      const tags = queueOf(input, call).tags;
      return Object.keys(tags).length ? { Tags: { ...tags } } : {};
    },

    async ListDeadLetterSourceQueues(input, call) {
      const queue = queueOf(input, call);
      return { queueUrls: registry.sourcesOf(queue).map((q) => urlOf(q, call)) };
    },
  };
}

/** Every attribute GetQueueAttributes can report for a queue, by name. */
export function queueAttributes(queue: SqsQueue): Record<string, string> {
  const counts = queue.counts();
  return {
    ...queue.attributes,
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.modifiedAt / 1000)),
    QueueArn: queue.arn,
  };
}

function sendOutput(result: { messageId: string; md5OfBody: string; md5OfMessageAttributes?: string; md5OfMessageSystemAttributes?: string; sequenceNumber?: string }): SqsOutput {
  const out: SqsOutput = { MD5OfMessageBody: result.md5OfBody };
  if (result.md5OfMessageAttributes) out.MD5OfMessageAttributes = result.md5OfMessageAttributes;
  if (result.md5OfMessageSystemAttributes) out.MD5OfMessageSystemAttributes = result.md5OfMessageSystemAttributes;
  out.MessageId = result.messageId;
  if (result.sequenceNumber) out.SequenceNumber = result.sequenceNumber;
  return out;
}

/** A received message as ReceiveMessage returns it, with only the attributes asked for. */
function receivedOutput(received: ReceivedMessage, systemNames: string[], userNames: string[]): SqsOutput {
  const { message } = received;
  const out: SqsOutput = { MessageId: message.id, ReceiptHandle: received.receiptHandle, MD5OfBody: message.md5OfBody, Body: message.body };
  const system = systemAttributesOf(message);
  const wantAllSystem = systemNames.includes('All');
  const attributes: Record<string, string> = {};
  for (const name of SYSTEM_ATTRIBUTE_NAMES) if ((wantAllSystem || systemNames.includes(name)) && system[name] !== undefined) attributes[name] = system[name]!;
  if (Object.keys(attributes).length) out.Attributes = attributes;
  const user: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(message.attributes)) {
    if (userNames.some((wanted) => wanted === 'All' || wanted === '.*' || wanted === name || (wanted.endsWith('.*') && name.startsWith(wanted.slice(0, -1))))) user[name] = value;
  }
  if (Object.keys(user).length) {
    // SDKs check this digest against the attributes they received, so it covers exactly those.
    out.MD5OfMessageAttributes = md5OfMessageAttributes(user);
    out.MessageAttributes = user;
  }
  return out;
}

type Outcome = { ok: true; entry: SqsInput; result: unknown } | { ok: false; entry: SqsInput; err: unknown };

function batchOutput(outcomes: Outcome[], success: (result: never) => SqsOutput): SqsOutput {
  const successful: SqsOutput[] = [];
  const failed: SqsOutput[] = [];
  for (const outcome of outcomes) {
    const id = String(outcome.entry.Id);
    if (outcome.ok) {
      successful.push({ Id: id, ...success(outcome.result as never) });
      continue;
    }
    const err = outcome.err instanceof SqsError ? outcome.err : sqsErrors.internal((outcome.err as Error)?.message ?? String(outcome.err));
    failed.push({ Id: id, SenderFault: err.status < 500, Code: err.queryCode, Message: err.message });
  }
  return { Successful: successful, Failed: failed };
}

function batchEntries(input: SqsInput, entryName: string): SqsInput[] {
  const entries = input.Entries;
  if (entries === undefined || entries === null || (Array.isArray(entries) && entries.length === 0)) throw sqsErrors.emptyBatch(entryName);
  if (!Array.isArray(entries)) throw sqsErrors.invalidParameterValue('Entries must be a list.');
  if (entries.length > 10) throw sqsErrors.tooManyEntries(entries.length);
  const seen = new Set<string>();
  for (const entry of entries as SqsInput[]) {
    const id = entry?.Id;
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(id)) throw sqsErrors.invalidBatchEntryId();
    if (seen.has(id)) throw sqsErrors.batchIdsNotDistinct(id);
    seen.add(id);
  }
  return entries as SqsInput[];
}

function requiredString(input: SqsInput, name: string): string {
  const value = optionalString(input, name);
  if (value === undefined || value === '') throw sqsErrors.missingParameter(name);
  return value;
}

function optionalString(input: SqsInput, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw sqsErrors.invalidParameterValue(`Value for parameter ${name} is invalid. Reason: it must be a string.`);
  return value;
}

function optionalInt(input: SqsInput, name: string, min: number, max: number, reason: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(number) || number < min || number > max) throw sqsErrors.invalidParameterValue(`Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`);
  return number;
}

function optionalList(input: SqsInput, name: string): string[] {
  const value = input[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw sqsErrors.invalidParameterValue(`Value for parameter ${name} is invalid. Reason: it must be a list.`);
  return value.map(String);
}

function optionalMap(input: SqsInput, name: string): Record<string, unknown> | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw sqsErrors.invalidParameterValue(`Value for parameter ${name} is invalid. Reason: it must be a map.`);
  return value as Record<string, unknown>;
}

function stringMap(value: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (!value) return undefined;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}
