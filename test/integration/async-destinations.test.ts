/**
 * Asynchronous invocations' destinations and dead-letter queues, end to end: an `Event` invoke
 * of a failing function is retried twice (about 1 and 2 minutes apart, on a ManualClock), then
 * Lambda's invocation record reaches the OnFailure queue and the original event the dead-letter
 * queue; a succeeding function's record reaches its OnSuccess queue. Functions run as processes.
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ManualClock } from '../../electron/engine/clock.ts';
import type { AsyncDestinationsService, DestinationDelivered } from '../../electron/engine/triggers/async-destinations/async-destinations-service.ts';
import { collectLogs, SQS_S3_PROJECT, sqsClient, until } from '../fixtures/sqs-s3/harness.ts';
import { lambdaClient } from './support/aws-clients.ts';
import { copyProject, startEngine } from './support/engine-fixture.ts';

type Started = Awaited<ReturnType<typeof startEngine>>;
let engine: Started;
let sqs: SQSClient;
let logs: ReturnType<typeof collectLogs>;
const clock = new ManualClock(Date.now());
const delivered: DestinationDelivered[] = [];

beforeAll(async () => {
  engine = await startEngine(copyProject(SQS_S3_PROJECT), { sandbox: 'process', clock, apiPort: 0 });
  sqs = sqsClient(engine.url);
  logs = collectLogs(engine);
  (engine.services.get('async-destinations') as AsyncDestinationsService).events.on('destinations:delivered', (d) => delivered.push(d));
});
afterAll(async () => {
  sqs?.destroy();
  await engine?.stop();
});

/** Runs the async queue's due attempts to the end. */
async function step(ms: number): Promise<void> {
  await clock.advance(ms);
  await engine.asyncQueue.drain();
}

async function receiveOne(queue: string) {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: `${engine.url}/123456789012/${queue}`, MessageAttributeNames: ['All'], WaitTimeSeconds: 0 }));
  return Messages?.[0];
}

test('a failing async function is retried twice, then its record reaches the OnFailure queue and its event the DLQ', async () => {
  const out = await lambdaClient(engine.url).send(new InvokeCommand({ FunctionName: 'AsyncFailer', InvocationType: 'Event', Payload: Buffer.from('{"order":42}') }));
  expect(out.StatusCode).toBe(202);
  const attempts = () => logs.tagged<{ order: number }>('ASYNC-FAIL').length;
  await step(0);
  expect(attempts()).toBe(1);
  await step(59_999);
  expect(attempts()).toBe(1);
  await step(1);
  expect(attempts()).toBe(2);
  await step(120_000);
  expect(attempts()).toBe(3);
  await step(600_000);
  expect(attempts()).toBe(3);

  await until(() => delivered.filter((d) => d.functionName === 'AsyncFailer').length === 2, 'the OnFailure and DLQ deliveries');
  expect(delivered.filter((d) => d.functionName === 'AsyncFailer').map((d) => [d.kind, d.condition, d.error])).toEqual(
    expect.arrayContaining([
      ['on-failure', 'RetriesExhausted', undefined],
      ['dead-letter-queue', 'RetriesExhausted', undefined],
    ]),
  );
  const failure = await receiveOne('async-failures');
  const record = JSON.parse(failure!.Body!) as Record<string, unknown>;
  expect(Object.keys(record)).toEqual(['version', 'timestamp', 'requestContext', 'requestPayload', 'responseContext', 'responsePayload']);
  expect(record).toMatchObject({
    version: '1.0',
    requestContext: { requestId: out.$metadata.requestId, functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:AsyncFailer:$LATEST', condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: { order: 42 },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'Error', errorMessage: 'cannot handle {"order":42}' },
  });
  const dead = await receiveOne('async-dead-letters');
  expect(dead?.Body).toBe('{"order":42}');
  expect(dead?.MessageAttributes).toMatchObject({ RequestID: { StringValue: out.$metadata.requestId }, ErrorCode: { StringValue: '200' }, ErrorMessage: { StringValue: 'cannot handle {"order":42}' } });
});

test('a succeeding async function’s record reaches its OnSuccess queue', async () => {
  const out = await lambdaClient(engine.url).send(new InvokeCommand({ FunctionName: 'AsyncSucceeder', InvocationType: 'Event', Payload: Buffer.from('{"ping":true}') }));
  await step(0);
  await until(() => delivered.some((d) => d.functionName === 'AsyncSucceeder'), 'the OnSuccess delivery');
  const record = JSON.parse((await receiveOne('async-successes'))!.Body!) as Record<string, unknown>;
  expect(record).toMatchObject({
    requestContext: { requestId: out.$metadata.requestId, condition: 'Success', approximateInvokeCount: 1 },
    requestPayload: { ping: true },
    responseContext: { statusCode: 200, executedVersion: '$LATEST' },
    responsePayload: { handled: { ping: true } },
  });
  expect(record.responseContext).not.toHaveProperty('functionError');
});
