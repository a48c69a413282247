import type { MessageAttributeValue } from './message-md5.ts';
import type { ReceivedMessage } from './sqs-message.ts';

/** A Lambda `messageAttributes` entry: camelCase, with both list members always present. */
interface LambdaMessageAttribute {
  stringValue?: string;
  binaryValue?: string;
  stringListValues: string[];
  binaryListValues: string[];
  dataType: string;
}

function lambdaAttribute(value: MessageAttributeValue): LambdaMessageAttribute {
  const out: LambdaMessageAttribute = { stringListValues: value.StringListValues ?? [], binaryListValues: value.BinaryListValues ?? [], dataType: value.DataType };
  if (value.StringValue !== undefined) return { stringValue: value.StringValue, ...out };
  if (value.BinaryValue !== undefined) return { binaryValue: value.BinaryValue, ...out };
  return out;
}

/**
 * One record of the event Lambda's SQS poller sends (lambda-contract.md §6, sam-events/sqs):
 * keys in AWS's order, FIFO attributes only for FIFO queues.
 */
export function sqsEventRecord(received: ReceivedMessage, queueArn: string, region: string): Record<string, unknown> {
  const { message } = received;
  const attributes: Record<string, string> = {
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(Math.floor(message.sentAt)),
  };
  if (message.sequenceNumber) attributes.SequenceNumber = message.sequenceNumber;
  if (message.groupId) attributes.MessageGroupId = message.groupId;
  attributes.SenderId = message.senderId;
  if (message.dedupId) attributes.MessageDeduplicationId = message.dedupId;
  attributes.ApproximateFirstReceiveTimestamp = String(Math.floor(message.firstReceiveAt ?? message.sentAt));
  const trace = message.systemAttributes?.AWSTraceHeader?.StringValue;
  if (trace) attributes.AWSTraceHeader = trace;
  if (message.deadLetterSourceArn) attributes.DeadLetterQueueSourceArn = message.deadLetterSourceArn;

  const record: Record<string, unknown> = {
    messageId: message.id,
    receiptHandle: received.receiptHandle,
    body: message.body,
    attributes,
    messageAttributes: Object.fromEntries(Object.entries(message.attributes).map(([name, value]) => [name, lambdaAttribute(value)])),
  };
  if (message.md5OfMessageAttributes) record.md5OfMessageAttributes = message.md5OfMessageAttributes;
  record.md5OfBody = message.md5OfBody;
  record.eventSource = 'aws:sqs';
  record.eventSourceARN = queueArn;
  record.awsRegion = region;
  return record;
}

/**
 * Which messages of a batch failed, from a `ReportBatchItemFailures` response: none for an empty
 * or null response or list, `all` when the response cannot be read or names an id that is empty,
 * missing or not in the batch (Lambda then retries the whole batch).
 */
export function failedMessageIds(payload: Buffer, batchIds: ReadonlySet<string>): Set<string> | 'all' {
  const text = payload.toString('utf8').trim();
  if (text === '' || text === 'null') return new Set();
  let response: unknown;
  try {
    response = JSON.parse(text);
  } catch {
    return 'all';
  }
  if (response === null || typeof response !== 'object' || Array.isArray(response)) return new Set();
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return 'all';
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !batchIds.has(id)) return 'all';
    failed.add(id);
  }
  return failed;
}
