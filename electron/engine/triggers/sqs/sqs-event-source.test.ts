import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { InvokeRequest, InvokeResult } from '../../contract.ts';
import { parseEventPattern } from '../shared/event-pattern.ts';
import { QueueRegistry } from './queue-registry.ts';
import type { SqsEventSourceConfig } from './sqs-event-config.ts';
import { SqsEventSource, type BatchOutcome } from './sqs-event-source.ts';

type Handler = (event: { Records: Array<{ messageId: string; body: string; attributes: Record<string, string> }> }) => { payload?: unknown; error?: boolean };

async function setup(config: Partial<SqsEventSourceConfig>, handler: Handler, queueAttributes: Record<string, string> = { VisibilityTimeout: '30' }) {
  const clock = new ManualClock(1_700_000_000_000);
  const registry = new QueueRegistry({ dir: mkdtempSync(join(tmpdir(), 'lambdadesk-esm-')), clock, region: 'us-east-1', accountId: '123456789012' });
  await registry.open();
  const queue = await registry.create('jobs', { attributes: queueAttributes });
  const batches: string[][] = [];
  const outcomes: BatchOutcome[] = [];
  const invoke = async (request: InvokeRequest): Promise<InvokeResult> => {
    const event = JSON.parse(request.payload!) as Parameters<Handler>[0];
    batches.push(event.Records.map((r) => r.body));
    const out = handler(event);
    return { payload: Buffer.from(JSON.stringify(out.payload ?? null)), contentType: 'application/json', functionError: out.error ? 'Unhandled' : undefined, logs: '', executedVersion: '$LATEST', record: {} as InvokeResult['record'] };
  };
  const source = new SqsEventSource(
    { functionName: 'Worker', eventName: 'Jobs', queueArn: queue.arn, queueName: 'jobs', batchSize: 10, batchingWindowMs: 0, reportBatchItemFailures: false, enabled: true, filters: [], maximumConcurrency: 2, ...config },
    { queue: (name) => registry.get(name), invoke, clock, region: 'us-east-1', report: () => undefined },
  );
  source.onBatch = (o) => outcomes.push(o);
  onTestFinished(async () => {
    source.stop();
    await source.settled();
    await registry.close();
  });
  /** Waits (on real disk writes, never on the clock) until no batch is being handled and one poller waits on the queue. */
  const settle = async () => {
    const idle = () => queue.waitingReceivers === (config.enabled === false ? 0 : 1) && source.processing === 0;
    for (let i = 0; i < 500 && !idle(); i++) await new Promise((r) => setTimeout(r, 2));
    expect(idle()).toBe(true);
  };
  return { clock, queue, source, batches, outcomes, settle };
}

const send = (body: string) => ({ body, senderId: 'test' });

test('messages already waiting go to the function as one batch, and are deleted when it succeeds', async () => {
  const { queue, source, batches, settle } = await setup({}, () => ({}));
  for (const body of ['a', 'b', 'c']) await queue.send(send(body));
  source.start();
  await settle();
  expect(batches).toEqual([['a', 'b', 'c']]);
  expect(queue.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
});

test('with ReportBatchItemFailures only the reported messages come back, after the visibility timeout', async () => {
  const { queue, source, batches, clock, settle } = await setup({ reportBatchItemFailures: true }, (event) => ({
    payload: { batchItemFailures: event.Records.filter((r) => r.body.startsWith('fail')).map((r) => ({ itemIdentifier: r.messageId })) },
  }));
  for (const body of ['ok-1', 'fail-1', 'ok-2']) await queue.send(send(body));
  source.start();
  await settle();
  expect(batches).toEqual([['ok-1', 'fail-1', 'ok-2']]);
  expect(queue.counts()).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
  await clock.advance(30_000);
  await settle();
  expect(batches).toEqual([['ok-1', 'fail-1', 'ok-2'], ['fail-1']]);
});

test('a function error returns the whole batch; a success later deletes it', async () => {
  let calls = 0;
  const { queue, source, batches, clock, settle, outcomes } = await setup({}, () => ({ error: ++calls === 1 }));
  for (const body of ['x', 'y']) await queue.send(send(body));
  source.start();
  await settle();
  expect(outcomes[0]?.failedIds).toHaveLength(2);
  await clock.advance(30_000);
  await settle();
  expect(batches).toEqual([
    ['x', 'y'],
    ['x', 'y'],
  ]);
  expect(queue.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
});

test('a batching window gathers messages that arrive during it, up to BatchSize', async () => {
  const { queue, source, batches, clock, settle } = await setup({ batchingWindowMs: 10_000, batchSize: 3, maximumConcurrency: 2 }, () => ({}));
  source.start();
  await queue.send(send('first'));
  await settle();
  expect(batches).toEqual([]);
  await clock.advance(4_000);
  await queue.send(send('second'));
  await settle();
  expect(batches).toEqual([]);
  await clock.advance(6_000);
  await settle();
  expect(batches).toEqual([['first', 'second']]);
  for (const body of ['p', 'q', 'r', 's']) await queue.send(send(body));
  await settle();
  // The batch is full at BatchSize without waiting for the window.
  expect(batches[1]).toEqual(['p', 'q', 'r']);
});

test('FilterCriteria: messages that match no filter are deleted without an invoke', async () => {
  const { queue, source, batches, settle } = await setup({ filters: [parseEventPattern({ body: { status: ['new'] } }), parseEventPattern('{"body": ["ping"]}')] }, () => ({}));
  for (const body of ['{"status":"new","id":1}', '{"status":"old","id":2}', 'ping', 'pong', '{"status":"new","id":3}']) await queue.send(send(body));
  source.start();
  await settle();
  expect(batches).toEqual([['{"status":"new","id":1}', 'ping', '{"status":"new","id":3}']]);
  expect(queue.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
});

test('a disabled mapping does not poll', async () => {
  const { queue, source, batches, settle } = await setup({ enabled: false }, () => ({}));
  await queue.send(send('stays'));
  source.start();
  await settle();
  expect(batches).toEqual([]);
  expect(queue.counts().visible).toBe(1);
});
