import { expect, test } from 'vitest';
import { failedMessageIds, sqsEventRecord } from './sqs-event-record.ts';
import type { SqsMessage } from './sqs-message.ts';

/** Key order of SAM CLI's sample (shared/reference/sam-events/sqs/Sqs.json), which follows AWS. */
const SAMPLE_KEYS = ['messageId', 'receiptHandle', 'body', 'attributes', 'messageAttributes', 'md5OfBody', 'eventSource', 'eventSourceARN', 'awsRegion'];
const SAMPLE_ATTRIBUTE_KEYS = ['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp'];

const message: SqsMessage = {
  id: '19dd0b57-b21e-4ac1-bd88-01bbb068cb78',
  body: 'Hello from SQS!',
  md5OfBody: '7b270e59b47ff90a553787216d55d91d',
  attributes: {},
  sentAt: 1523232000000,
  senderId: '123456789012',
  seq: 1,
  visibleAt: 0,
  receiveCount: 1,
  firstReceiveAt: 1523232000001,
};

test('an SQS record has the keys of SAM’s sample event, in the same order', () => {
  const record = sqsEventRecord({ message, receiptHandle: 'handle' }, 'arn:aws:sqs:us-east-1:123456789012:q', 'us-east-1');
  expect(Object.keys(record)).toEqual(SAMPLE_KEYS);
  expect(Object.keys(record.attributes as object)).toEqual(SAMPLE_ATTRIBUTE_KEYS);
  expect(record).toMatchObject({ messageId: message.id, receiptHandle: 'handle', body: 'Hello from SQS!', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:q', awsRegion: 'us-east-1' });
  expect(record.attributes).toEqual({ ApproximateReceiveCount: '1', SentTimestamp: '1523232000000', SenderId: '123456789012', ApproximateFirstReceiveTimestamp: '1523232000001' });
});

test('FIFO records carry the group, deduplication id and sequence number; attributes are camelCase', () => {
  const fifo: SqsMessage = { ...message, groupId: 'g', dedupId: 'd', sequenceNumber: '10000000000000000001', attributes: { color: { DataType: 'String', StringValue: 'red' } }, md5OfMessageAttributes: 'abc' };
  const record = sqsEventRecord({ message: fifo, receiptHandle: 'h' }, 'arn', 'us-east-1');
  expect(Object.keys(record.attributes as object)).toEqual(['ApproximateReceiveCount', 'SentTimestamp', 'SequenceNumber', 'MessageGroupId', 'SenderId', 'MessageDeduplicationId', 'ApproximateFirstReceiveTimestamp']);
  expect(record.messageAttributes).toEqual({ color: { stringValue: 'red', stringListValues: [], binaryListValues: [], dataType: 'String' } });
  expect(record.md5OfMessageAttributes).toBe('abc');
});

test('ReportBatchItemFailures responses: empty means success, anything unreadable fails the whole batch', () => {
  const ids = new Set(['a', 'b']);
  const of = (value: unknown) => failedMessageIds(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), ids);
  expect(of('')).toEqual(new Set());
  expect(of('null')).toEqual(new Set());
  expect(of({})).toEqual(new Set());
  expect(of({ batchItemFailures: [] })).toEqual(new Set());
  expect(of({ batchItemFailures: null })).toEqual(new Set());
  expect(of({ batchItemFailures: [{ itemIdentifier: 'b' }] })).toEqual(new Set(['b']));
  expect(of({ batchItemFailures: [{ itemIdentifier: 'zzz' }] })).toBe('all');
  expect(of({ batchItemFailures: [{ itemIdentifier: '' }] })).toBe('all');
  expect(of({ batchItemFailures: [{ id: 'a' }] })).toBe('all');
  expect(of('{not json')).toBe('all');
});
