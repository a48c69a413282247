/**
 * SQS through real clients — Debian's AWS CLI v2 (query protocol) and @aws-sdk/client-sqs (JSON
 * protocol) — and into functions through the SQS event source: batches, ReportBatchItemFailures,
 * redrive to the dead-letter queue, FIFO order, and AWS's errors. Functions run as host processes;
 * time is a ManualClock, so visibility timeouts pass when the test says so.
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteMessageCommand, DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, PurgeQueueCommand, QueueDoesNotExist, ReceiptHandleIsInvalid, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../electron/engine/clock.ts';
import type { BatchOutcome } from '../../electron/engine/triggers/sqs/sqs-event-source.ts';
import { collectLogs, SQS_S3_PROJECT, sqsClient, sqsOf, until } from '../fixtures/sqs-s3/harness.ts';
import { awsCli, lambdaClient } from './support/aws-clients.ts';
import { copyProject, startEngine } from './support/engine-fixture.ts';

type Started = Awaited<ReturnType<typeof startEngine>>;
let engine: Started;
let sqs: SQSClient;
let logs: ReturnType<typeof collectLogs>;
const clock = new ManualClock(Date.now());
const outcomes: BatchOutcome[] = [];
const url = (name: string) => `${engine.url}/123456789012/${name}`;

/** Until no batch of `queue` is being handled and its gathering poller is parked: then moving the clock is safe. */
async function idle(queue: string, batches: number): Promise<void> {
  await until(() => outcomes.filter((o) => o.queueName === queue).length >= batches, `${batches} batch(es) of ${queue}`);
  await until(() => sqsOf(engine).queue(queue).waitingReceivers === 1, `the ${queue} poller to wait again`);
}

beforeAll(async () => {
  engine = await startEngine(copyProject(SQS_S3_PROJECT), { sandbox: 'process', clock, apiPort: 0 });
  sqs = sqsClient(engine.url);
  logs = collectLogs(engine);
  sqsOf(engine).events.on('sqs:batch', (o) => outcomes.push(o));
});
afterAll(async () => {
  sqs?.destroy();
  await engine?.stop();
});

describe('the SQS event source', () => {
  test('aws sqs send-message-batch reaches the function as one batch, which is deleted after it succeeds', async () => {
    const entries = ['one', 'two', 'three', 'four', 'five'].map((body, i) => ({ Id: `m${i}`, MessageBody: body }));
    const sent = await awsCli(['sqs', 'send-message-batch', '--queue-url', url('orders'), '--entries', JSON.stringify(entries)], engine.url);
    expect(sent.code, sent.stderr).toBe(0);
    expect((JSON.parse(sent.stdout) as { Successful: unknown[] }).Successful).toHaveLength(5);
    await idle('orders', 1);
    expect(logs.tagged<{ bodies: string[] }>('BATCH').map((b) => b.bodies)).toEqual([['one', 'two', 'three', 'four', 'five']]);
    const attributes = await awsCli(['sqs', 'get-queue-attributes', '--queue-url', url('orders'), '--attribute-names', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'], engine.url);
    expect(JSON.parse(attributes.stdout)).toEqual({ Attributes: { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' } });

    const single = await awsCli(['sqs', 'send-message', '--queue-url', url('orders'), '--message-body', 'solo', '--message-attributes', '{"kind":{"DataType":"String","StringValue":"test"}}'], engine.url);
    expect(single.code, single.stderr).toBe(0);
    expect(JSON.parse(single.stdout)).toMatchObject({ MD5OfMessageBody: '5653c6b1f51852a6351ec69c8452abc6', MD5OfMessageAttributes: expect.stringMatching(/^[0-9a-f]{32}$/) });
    await idle('orders', 2);
    expect(logs.tagged<{ bodies: string[] }>('BATCH').at(-1)?.bodies).toEqual(['solo']);
  });

  test('with ReportBatchItemFailures only the failed message comes back, and after maxReceiveCount it is in the DLQ', async () => {
    const before = logs.tagged('BATCH').length;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url('orders'),
        Entries: [
          { Id: 'a', MessageBody: 'ok-a' },
          { Id: 'b', MessageBody: 'fail-b' },
          { Id: 'c', MessageBody: 'ok-c' },
        ],
      }),
    );
    const failedId = sent.Successful!.find((e) => e.Id === 'b')!.MessageId!;
    await idle('orders', 3);
    const batches = () => logs.tagged<{ bodies: string[]; receiveCounts: string[] }>('BATCH').slice(before);
    expect(batches()).toEqual([{ bodies: ['ok-a', 'fail-b', 'ok-c'], receiveCounts: ['1', '1', '1'] }]);
    expect(sqsOf(engine).queue('orders').attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '1' });

    await clock.advance(4_999);
    expect(batches()).toHaveLength(1);
    await clock.advance(1); // the queue's VisibilityTimeout is 5 seconds
    await idle('orders', 4);
    expect(batches()[1]).toEqual({ bodies: ['fail-b'], receiveCounts: ['2'] });

    await clock.advance(5_000); // received twice: the redrive policy moves it on the next receive
    const dead = await until(async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url('orders-dlq'), MessageSystemAttributeNames: ['All'] }))).Messages?.[0], 'the message in orders-dlq');
    expect(dead).toMatchObject({ MessageId: failedId, Body: 'fail-b', Attributes: { DeadLetterQueueSourceArn: 'arn:aws:sqs:us-east-1:123456789012:orders', ApproximateReceiveCount: '1' } });
    expect(batches()).toHaveLength(2);
    expect(sqsOf(engine).queue('orders').attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  test('a FIFO group keeps its order, also when a failed batch is retried', async () => {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url('tickets.fifo'),
        Entries: [
          ['A1', 'A'],
          ['B1', 'B'],
          ['boom-A2', 'A'],
          ['B2', 'B'],
          ['A3', 'A'],
        ].map(([body, group], i) => ({ Id: `e${i}`, MessageBody: body!, MessageGroupId: group! })),
      }),
    );
    await idle('tickets.fifo', 1);
    type Tickets = { records: Array<{ body: string; group: string; count: number }>; failed: boolean };
    expect(logs.tagged<Tickets>('TICKETS').map((t) => t.records.map((r) => r.body))).toEqual([['A1', 'B1', 'boom-A2', 'B2']]);
    // A3 waits: its group has messages in flight until the failed batch is retried.
    expect(sqsOf(engine).queue('tickets.fifo').attributes).toMatchObject({ ApproximateNumberOfMessages: '1', ApproximateNumberOfMessagesNotVisible: '4' });
    await clock.advance(5_000);
    await idle('tickets.fifo', 3);
    const delivered = logs.tagged<Tickets>('TICKETS').filter((t) => !t.failed).flatMap((t) => t.records);
    expect(delivered.filter((r) => r.group === 'A').map((r) => r.body)).toEqual(['A1', 'boom-A2', 'A3']);
    expect(delivered.filter((r) => r.group === 'B').map((r) => r.body)).toEqual(['B1', 'B2']);
    expect(delivered.find((r) => r.body === 'A1')?.count).toBe(2);
  });
});

describe('the SQS API', () => {
  test('the SDK creates, configures, lists, sends to, receives from, purges and deletes a queue', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'sdk-made', Attributes: { VisibilityTimeout: '10' }, tags: { team: 'qa' } }));
    expect(QueueUrl).toBe(url('sdk-made'));
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'sdk-made' }))).QueueUrl).toBe(QueueUrl);
    expect((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'sdk-' }))).QueueUrls).toEqual([QueueUrl]);
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { DelaySeconds: '0', ReceiveMessageWaitTimeSeconds: '2' } }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(Attributes).toMatchObject({ VisibilityTimeout: '10', ReceiveMessageWaitTimeSeconds: '2', MaximumMessageSize: '1048576', QueueArn: 'arn:aws:sqs:us-east-1:123456789012:sdk-made' });

    // A long poll waits for the message sent while it waits; the SDK checks the body's MD5.
    const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['SentTimestamp'] }));
    await until(() => sqsOf(engine).queue('sdk-made').waitingReceivers === 1, 'the long poll to wait');
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'héllo \r\n <xml> & "quotes"', MessageAttributes: { n: { DataType: 'Number', StringValue: '42' }, b: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2]) } } }));
    const [message] = (await polling).Messages!;
    expect(message).toMatchObject({ Body: 'héllo \r\n <xml> & "quotes"', MessageAttributes: { n: { DataType: 'Number', StringValue: '42' }, b: { DataType: 'Binary' } } });
    expect(Buffer.from(message!.MessageAttributes!.b!.BinaryValue!)).toEqual(Buffer.from([0, 1, 2]));
    expect(Object.keys(message!.Attributes!)).toEqual(['SentTimestamp']);

    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: message!.ReceiptHandle, VisibilityTimeout: 0 }));
    const again = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }))).Messages![0]!;
    expect(again.Attributes).toEqual({ ApproximateReceiveCount: '2' });
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: again.ReceiptHandle }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'to purge' }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }))).Messages).toBeUndefined();
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'sdk-made' }))).rejects.toBeInstanceOf(QueueDoesNotExist);
  });

  test('the AWS CLI (query protocol) round-trips bodies and attributes exactly', async () => {
    const body = 'line one\r\nline two\ttab <tag> & ünïcode 🚀';
    const sent = await awsCli(['sqs', 'send-message', '--queue-url', url('parked'), '--message-body', body, '--message-attributes', '{"city":{"DataType":"String","StringValue":"Zürich"}}'], engine.url);
    expect(sent.code, sent.stderr).toBe(0);
    const received = await awsCli(['sqs', 'receive-message', '--queue-url', url('parked'), '--attribute-names', 'All', '--message-attribute-names', 'All'], engine.url);
    expect(received.code, received.stderr).toBe(0);
    const [message] = (JSON.parse(received.stdout) as { Messages: Array<{ Body: string; MD5OfBody: string; MessageAttributes: unknown; MD5OfMessageAttributes: string; ReceiptHandle: string }> }).Messages;
    expect(message).toMatchObject({ Body: body, MessageAttributes: { city: { DataType: 'String', StringValue: 'Zürich' } } });
    expect(message!.MD5OfMessageAttributes).toBe((JSON.parse(sent.stdout) as { MD5OfMessageAttributes: string }).MD5OfMessageAttributes);
    const deleted = await awsCli(['sqs', 'delete-message', '--queue-url', url('parked'), '--receipt-handle', message!.ReceiptHandle], engine.url);
    expect(deleted.code, deleted.stderr).toBe(0);
  });

  test('a function sends to a queue with the SDK from inside its sandbox', async () => {
    const out = await lambdaClient(engine.url).send(new InvokeCommand({ FunctionName: 'Forwarder', Payload: Buffer.from('{"forward":"me"}') }));
    expect(out.FunctionError, Buffer.from(out.Payload ?? []).toString()).toBeUndefined();
    const result = JSON.parse(Buffer.from(out.Payload!).toString()) as { queueUrl: string; messageId: string };
    expect(result.queueUrl).toBe(url('parked'));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url('parked'), MessageAttributeNames: ['All'] }));
    expect(Messages?.[0]).toMatchObject({ MessageId: result.messageId, Body: '{"forward":"me"}', MessageAttributes: { from: { StringValue: 'Forwarder' } } });
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url('parked'), ReceiptHandle: Messages![0]!.ReceiptHandle }));
  });

  test('bad input gets AWS’s errors, and the engine keeps serving', async () => {
    const unknown = await awsCli(['sqs', 'send-message', '--queue-url', url('no-such-queue'), '--message-body', 'x'], engine.url);
    expect(unknown.code).toBe(254);
    expect(unknown.stderr).toContain('An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the SendMessage operation: The specified queue does not exist.');
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: url('no-such-queue'), MessageBody: 'x' }))).rejects.toBeInstanceOf(QueueDoesNotExist);

    const tooLong = await sqs.send(new SendMessageCommand({ QueueUrl: url('parked'), MessageBody: 'x'.repeat(1_048_577) })).catch((err: Error) => err);
    expect(tooLong).toMatchObject({ name: 'InvalidParameterValue', message: 'One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.' });

    const badNumber = await awsCli(['sqs', 'send-message', '--queue-url', url('parked'), '--message-body', 'x', '--message-attributes', '{"n":{"DataType":"Number","StringValue":"not-a-number"}}'], engine.url);
    expect(badNumber.code).toBe(254);
    expect(badNumber.stderr).toContain("(InvalidParameterValue) when calling the SendMessage operation: Can't cast the value of message (user) attribute 'n' to a number.");
    const badType = await sqs.send(new SendMessageCommand({ QueueUrl: url('parked'), MessageBody: 'x', MessageAttributes: { d: { DataType: 'Date', StringValue: 'today' } } })).catch((err: Error) => err);
    expect(badType).toMatchObject({ name: 'InvalidParameterValue' });
    const tooMany = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url('parked'), MaxNumberOfMessages: 11 })).catch((err: Error) => err);
    expect(tooMany).toMatchObject({ name: 'InvalidParameterValue', message: 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.' });
    await expect(sqs.send(new DeleteMessageCommand({ QueueUrl: url('parked'), ReceiptHandle: 'garbage' }))).rejects.toBeInstanceOf(ReceiptHandleIsInvalid);
    const fifoWithoutGroup = await sqs.send(new SendMessageCommand({ QueueUrl: url('tickets.fifo'), MessageBody: 'x' })).catch((err: Error) => err);
    expect(fifoWithoutGroup).toMatchObject({ name: 'MissingParameter', message: 'The request must contain the parameter MessageGroupId.' });

    const raw = await fetch(engine.url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' }, body: '{not json' });
    expect(raw.status).toBe(400);
    expect(raw.headers.get('x-amzn-query-error')).toBe('SerializationException;Sender');
    const unknownAction = await fetch(engine.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sqs/aws4_request' }, body: 'Action=Explode&Version=2012-11-05' });
    expect(unknownAction.status).toBe(400);
    expect(await unknownAction.text()).toContain('<Code>InvalidAction</Code>');

    expect((await sqs.send(new SendMessageCommand({ QueueUrl: url('parked'), MessageBody: 'still here' }))).MessageId).toBeTruthy();
  });
});
