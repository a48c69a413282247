import { mkdtempSync, readFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { ManualClock } from '../../clock.ts';
import { QueueRegistry } from './queue-registry.ts';
import { SqsError } from './sqs-errors.ts';

async function setup(clock = new ManualClock(1_700_000_000_000)) {
  const dir = mkdtempSync(join(tmpdir(), 'lambdadesk-sqs-'));
  const registry = new QueueRegistry({ dir, clock, region: 'us-east-1', accountId: '123456789012' });
  await registry.open();
  return { dir, clock, registry };
}

const send = (body: string, extra: Record<string, unknown> = {}) => ({ body, senderId: 'AKID', ...extra });

test('a received message is invisible for the visibility timeout, then comes back with a higher receive count', async () => {
  const { registry, clock } = await setup();
  const queue = await registry.create('work', { attributes: { VisibilityTimeout: '30' } });
  await queue.send(send('hello'));
  const [first] = await queue.receive({ max: 10 });
  expect(first?.message.receiveCount).toBe(1);
  expect(await queue.receive({ max: 10 })).toEqual([]);
  await clock.advance(29_999);
  expect(await queue.receive({ max: 10 })).toEqual([]);
  await clock.advance(1);
  const [again] = await queue.receive({ max: 10 });
  expect(again?.message.id).toBe(first?.message.id);
  expect(again?.message.receiveCount).toBe(2);
  // The first receipt handle is outdated now: deleting with it changes nothing, as on AWS.
  await queue.delete(first!.receiptHandle);
  expect(queue.counts()).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
  await queue.delete(again!.receiptHandle);
  expect(queue.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
});

test('a delayed message is not received before its delay', async () => {
  const { registry, clock } = await setup();
  const queue = await registry.create('delayed', {});
  await queue.send(send('later', { delaySeconds: 10 }));
  expect(queue.counts().delayed).toBe(1);
  expect(await queue.receive({ max: 1 })).toEqual([]);
  await clock.advance(10_000);
  expect((await queue.receive({ max: 1 })).map((r) => r.message.body)).toEqual(['later']);
});

test('a long poll returns as soon as a message arrives, and empty when the wait is over', async () => {
  const { registry, clock } = await setup();
  const queue = await registry.create('poll', {});
  const waiting = queue.receive({ max: 10, waitMs: 20_000 });
  await clock.advance(5_000);
  await queue.send(send('arrived'));
  expect((await waiting).map((r) => r.message.body)).toEqual(['arrived']);
  const empty = queue.receive({ max: 10, waitMs: 20_000 });
  await clock.advance(20_000);
  expect(await empty).toEqual([]);
});

test('after maxReceiveCount receives a message moves to the dead-letter queue, keeping its id and body', async () => {
  const { registry, clock } = await setup();
  const dlq = await registry.create('work-dlq', {});
  const queue = await registry.create('work', { attributes: { VisibilityTimeout: '5', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }) } });
  const { messageId } = await queue.send(send('poison'));
  expect(await queue.receive({ max: 1 })).toHaveLength(1);
  await clock.advance(5_000);
  expect(await queue.receive({ max: 1 })).toHaveLength(1);
  await clock.advance(5_000);
  expect(await queue.receive({ max: 1 })).toEqual([]);
  expect(queue.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  const [dead] = await dlq.receive({ max: 1 });
  expect(dead?.message).toMatchObject({ id: messageId, body: 'poison', receiveCount: 1, deadLetterSourceArn: queue.arn });
});

test('a FIFO queue hands out a group in order and holds the group while any of it is in flight', async () => {
  const { registry, clock } = await setup();
  const queue = await registry.create('tickets.fifo', { attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '5' } });
  for (const [body, group] of [['a1', 'A'], ['b1', 'B'], ['a2', 'A'], ['b2', 'B'], ['a3', 'A']] as const) await queue.send(send(body, { groupId: group }));
  const first = await queue.receive({ max: 2 });
  expect(first.map((r) => r.message.body)).toEqual(['a1', 'b1']);
  // Both groups have a message in flight, so nothing else may go out yet.
  expect(await queue.receive({ max: 10 })).toEqual([]);
  await queue.delete(first[0]!.receiptHandle);
  expect((await queue.receive({ max: 10 })).map((r) => r.message.body)).toEqual(['a2', 'a3']);
  // b1 was not deleted: after its visibility timeout it comes back, still ahead of b2.
  await clock.advance(5_000);
  const retried = await queue.receive({ max: 10 });
  expect(retried.map((r) => [r.message.body, r.message.receiveCount])).toEqual([
    ['b1', 2],
    ['a2', 2],
    ['b2', 1],
    ['a3', 2],
  ]);
  expect(retried[0]!.message.sequenceNumber! < retried[2]!.message.sequenceNumber!).toBe(true);
});

test('FIFO deduplication: the same id within five minutes is accepted but stored once', async () => {
  const { registry, clock } = await setup();
  const queue = await registry.create('orders.fifo', { attributes: { FifoQueue: 'true' } });
  const first = await queue.send(send('x', { groupId: 'g', dedupId: 'd1' }));
  const again = await queue.send(send('x', { groupId: 'g', dedupId: 'd1' }));
  expect(again.messageId).toBe(first.messageId);
  expect(queue.counts().visible).toBe(1);
  await clock.advance(5 * 60_000);
  const later = await queue.send(send('x', { groupId: 'g', dedupId: 'd1' }));
  expect(later.messageId).not.toBe(first.messageId);
  await expect(queue.send(send('y', { groupId: 'g' }))).rejects.toThrow('ContentBasedDeduplication enabled or MessageDeduplicationId provided');
  await expect(queue.send(send('y', { dedupId: 'z' }))).rejects.toThrow('MessageGroupId');
});

test('messages and in-flight receipts survive closing and opening the queue again', async () => {
  const { registry, clock, dir } = await setup();
  const queue = await registry.create('durable', { attributes: { VisibilityTimeout: '60' } });
  await queue.send(send('one'));
  await queue.send(send('two'));
  const [received] = await queue.receive({ max: 1 });
  await registry.close();

  const reopened = new QueueRegistry({ dir, clock, region: 'us-east-1', accountId: '123456789012' });
  await reopened.open();
  const again = reopened.require('durable');
  expect(again.counts()).toEqual({ visible: 1, inFlight: 1, delayed: 0 });
  await again.delete(received!.receiptHandle);
  expect(again.counts()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
  expect((await again.receive({ max: 10 })).map((r) => r.message.body)).toEqual(['two']);
});

test('a journal line torn by a crash is dropped, and later appends are not glued to it', async () => {
  const { registry, clock, dir } = await setup();
  const queue = await registry.create('torn', {});
  await queue.send(send('kept'));
  await registry.close();
  appendFileSync(join(dir, 'torn', 'journal.jsonl'), '{"t":"send","m":{"id":"half');

  const reopened = new QueueRegistry({ dir, clock, region: 'us-east-1', accountId: '123456789012' });
  await reopened.open();
  await reopened.require('torn').send(send('after'));
  await reopened.close();
  const lines = readFileSync(join(dir, 'torn', 'journal.jsonl'), 'utf8').trim().split('\n');
  expect(lines.map((l) => (JSON.parse(l) as { m: { body: string } }).m.body)).toEqual(['kept', 'after']);
});

test('the journal is compacted once deleted messages dominate it, and still replays to the same queue', async () => {
  const clock = new ManualClock(1_700_000_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'lambdadesk-sqs-'));
  const registry = new QueueRegistry({ dir, clock, region: 'us-east-1', accountId: '123456789012', compactSlack: 20 });
  await registry.open();
  const queue = await registry.create('busy', {});
  for (let i = 0; i < 30; i++) {
    await queue.send(send(`m${i}`));
    const [got] = await queue.receive({ max: 1 });
    await queue.delete(got!.receiptHandle);
  }
  await queue.send(send('survivor'));
  const lines = readFileSync(join(dir, 'busy', 'journal.jsonl'), 'utf8').trim().split('\n');
  expect(lines.length).toBeLessThan(30);
  await registry.close();
  const reopened = new QueueRegistry({ dir, clock, region: 'us-east-1', accountId: '123456789012' });
  await reopened.open();
  expect(reopened.require('busy').peek().map((m) => [m.body, m.receiveCount])).toEqual([['survivor', 0]]);
});

test('messages past the retention period are gone', async () => {
  const { registry, clock } = await setup();
  const queue = await registry.create('short', { attributes: { MessageRetentionPeriod: '60' } });
  await queue.send(send('old'));
  await clock.advance(60_000);
  expect(await queue.receive({ max: 10 })).toEqual([]);
  expect(queue.counts().visible).toBe(0);
});

test('AWS limits: message size, characters, attributes and delays get AWS errors', async () => {
  const { registry } = await setup();
  const queue = await registry.create('strict', { attributes: { MaximumMessageSize: '1024' } });
  const error = (promise: Promise<unknown>) => promise.then(() => undefined, (err: SqsError) => [err.queryCode, err.message]);
  expect(await error(queue.send(send('x'.repeat(1025))))).toEqual(['InvalidParameterValue', 'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.']);
  expect((await error(queue.send(send('bad \u0000 char'))))?.[0]).toBe('InvalidMessageContents');
  expect((await error(queue.send(send('n', { attributes: { n: { DataType: 'Number', StringValue: 'abc' } } }))))?.[1]).toBe("Can't cast the value of message (user) attribute 'n' to a number.");
  expect((await error(queue.send(send('n', { attributes: { n: { DataType: 'Date', StringValue: 'x' } } }))))?.[0]).toBe('InvalidParameterValue');
  expect((await error(queue.send(send('d', { delaySeconds: 901 }))))?.[0]).toBe('InvalidParameterValue');
  expect((await error(queue.send(send(''))))?.[0]).toBe('InvalidParameterValue');
  await expect(registry.create('bad name!', {})).rejects.toBeInstanceOf(SqsError);
  await expect(registry.create('strict', { attributes: { VisibilityTimeout: '99' } })).rejects.toThrow('different value for attribute VisibilityTimeout');
});

test('a new queue allows AWS’s current 1 MiB messages by default', async () => {
  const { registry } = await setup();
  const queue = await registry.create('big', {});
  expect(queue.attributes.MaximumMessageSize).toBe('1048576');
  await expect(queue.send(send('x'.repeat(1_048_576)))).resolves.toMatchObject({ md5OfBody: expect.any(String) });
  await expect(queue.send(send('x'.repeat(1_048_577)))).rejects.toThrow('Message must be shorter than 1048576 bytes.');
});
