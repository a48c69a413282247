import { createHash } from 'node:crypto';
import type { MessageAttribute } from './filter-policy.ts';
import { InvalidParameterError } from './sns-errors.ts';

/** One published message, as SNS keeps it for delivery. */
export interface SnsMessage {
  messageId: string;
  topicArn: string;
  subject?: string;
  /** The message text; with MessageStructure=json, the per-protocol text is chosen at delivery. */
  message: string;
  /** Per protocol (`default`, `lambda`, `sqs`…) when MessageStructure was `json`. */
  structured?: Record<string, string>;
  attributes: Record<string, MessageAttribute>;
  /** Epoch ms. */
  timestamp: number;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  sequenceNumber?: string;
}

export const MAX_MESSAGE_BYTES = 262_144;
export const MAX_MESSAGE_ATTRIBUTES = 10;

/** The text a subscriber of one protocol receives. */
export function messageFor(message: SnsMessage, protocol: string): string {
  if (!message.structured) return message.message;
  return message.structured[protocol] ?? message.structured.default ?? message.message;
}

/** MessageStructure=json: a JSON object of strings with at least a `default`. */
export function parseStructuredMessage(text: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidParameterError('Invalid parameter: Message Structure - JSON message body failed to parse', 'With MessageStructure=json, Message must be a JSON object such as {"default": "text", "sqs": "text for queues"}.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || typeof (parsed as Record<string, unknown>).default !== 'string') {
    throw new InvalidParameterError('Invalid parameter: Message Structure - No default entry in JSON message body', 'Add a "default" key with the text for protocols you do not name.');
  }
  return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/**
 * Checks message attributes as SNS does on Publish: at most ten, a known data type, a value of
 * that type. Names follow SNS's rules (no `AWS.`/`Amazon.` prefix, no leading or doubled dots).
 */
export function checkMessageAttributes(attributes: Record<string, MessageAttribute>): void {
  const names = Object.keys(attributes);
  if (names.length > MAX_MESSAGE_ATTRIBUTES) {
    throw new InvalidParameterError(`Invalid parameter: MessageAttributes: ${names.length} message attributes, more than ${MAX_MESSAGE_ATTRIBUTES}`, 'Send at most ten message attributes.');
  }
  for (const [name, a] of Object.entries(attributes)) {
    if (!/^[A-Za-z0-9_\-.]{1,256}$/.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..') || /^(aws|amazon)\./i.test(name)) {
      throw new InvalidParameterError(`Invalid parameter: Message attribute name '${name}' is not valid`, 'Use letters, digits, _ - and single dots (not first or last), and no AWS./Amazon. prefix.');
    }
    const base = a.dataType.split('.')[0];
    if (!a.dataType || !['String', 'Number', 'Binary'].includes(base ?? '')) {
      throw new InvalidParameterError(`Invalid parameter: The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    if (base === 'Binary') {
      if (a.binaryValue === undefined) throw new InvalidParameterError(`Invalid parameter: The message attribute '${name}' with type 'Binary' must use field 'Binary'.`);
      continue;
    }
    if (a.stringValue === undefined || a.stringValue === '') {
      throw new InvalidParameterError(`Invalid parameter: The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${a.dataType}'.`);
    }
    if (base === 'Number' && !Number.isFinite(Number(a.stringValue))) {
      throw new InvalidParameterError(`Invalid parameter: Could not cast message attribute '${name}' value to number.`, 'A Number attribute holds a decimal number such as 42 or -3.5.');
    }
    if (a.dataType === 'String.Array') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(a.stringValue);
      } catch {
        parsed = undefined;
      }
      if (!Array.isArray(parsed)) {
        throw new InvalidParameterError(`Invalid parameter: The message attribute '${name}' of type String.Array must be a JSON array, such as ["red", "green"].`);
      }
    }
  }
}

/** Lambda and SQS show a message attribute as `{Type, Value}`; Binary values in base64. */
function attributesForDelivery(attributes: Record<string, MessageAttribute>): Record<string, { Type: string; Value: string }> {
  return Object.fromEntries(Object.entries(attributes).map(([name, a]) => [name, { Type: a.dataType, Value: a.binaryValue ?? a.stringValue ?? '' }]));
}

function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * SNS signs every notification with its private key; offline there is no such key, so the
 * signature is a stable digest of the notification, in the same base64 form, and the
 * certificate URL says it is local. Code that verifies signatures must skip it locally.
 */
function localSignature(message: SnsMessage, text: string): string {
  return createHash('sha256').update(`${message.messageId}\n${message.topicArn}\n${text}\n${message.timestamp}`).digest('base64');
}

function certUrl(region: string): string {
  return `https://sns.${region}.amazonaws.com/SimpleNotificationService-lambdadesk-local.pem`;
}

function unsubscribeUrl(region: string, subscriptionArn: string): string {
  return `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`;
}

/** The event a function subscribed to a topic receives (sam-events/sns/Sns.json). */
export function lambdaEvent(message: SnsMessage, subscriptionArn: string, region: string): string {
  const text = messageFor(message, 'lambda');
  return JSON.stringify({
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: message.messageId,
          TopicArn: message.topicArn,
          Subject: message.subject ?? null,
          Message: text,
          Timestamp: isoTimestamp(message.timestamp),
          SignatureVersion: '1',
          Signature: localSignature(message, text),
          SigningCertUrl: certUrl(region),
          UnsubscribeUrl: unsubscribeUrl(region, subscriptionArn),
          MessageAttributes: attributesForDelivery(message.attributes),
        },
      },
    ],
  });
}

/** What an SQS subscriber receives as the body, unless raw delivery is on (then: the message itself). */
export function sqsEnvelope(message: SnsMessage, subscriptionArn: string, region: string): string {
  const text = messageFor(message, 'sqs');
  const envelope: Record<string, unknown> = { Type: 'Notification', MessageId: message.messageId };
  if (message.sequenceNumber) envelope.SequenceNumber = message.sequenceNumber;
  envelope.TopicArn = message.topicArn;
  if (message.subject !== undefined) envelope.Subject = message.subject;
  envelope.Message = text;
  envelope.Timestamp = isoTimestamp(message.timestamp);
  if (!message.sequenceNumber) {
    envelope.SignatureVersion = '1';
    envelope.Signature = localSignature(message, text);
    envelope.SigningCertURL = certUrl(region);
  }
  envelope.UnsubscribeURL = unsubscribeUrl(region, subscriptionArn);
  if (Object.keys(message.attributes).length > 0) envelope.MessageAttributes = attributesForDelivery(message.attributes);
  return JSON.stringify(envelope);
}

/**
 * SAM's `SqsSubscription`: SNS delivers into a queue the function polls. The function sees an
 * SQS event whose record body is the SNS envelope (lambda-contract.md §6, SQS).
 */
export function sqsSubscriptionEvent(message: SnsMessage, subscriptionArn: string, queueArn: string, region: string, accountId: string, receivedMs: number): string {
  const body = sqsEnvelope(message, subscriptionArn, region);
  return JSON.stringify({
    Records: [
      {
        messageId: message.messageId,
        receiptHandle: Buffer.from(`${queueArn} ${message.messageId}`).toString('base64'),
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(Math.floor(message.timestamp)),
          SenderId: accountId,
          ApproximateFirstReceiveTimestamp: String(Math.floor(receivedMs)),
        },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: region,
      },
    ],
  });
}
