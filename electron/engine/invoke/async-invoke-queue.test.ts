import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { ManualClock } from '../clock.ts';
import type { InvokeResult } from '../contract.ts';
import { TooManyRequestsError } from '../errors.ts';
import { AsyncInvokeQueue, type AsyncDisposition, type AsyncEvent } from './async-invoke-queue.ts';

function result(failed: boolean): InvokeResult {
  return { payload: Buffer.from('{}'), contentType: 'application/json', functionError: failed ? 'Unhandled' : undefined, logs: '', executedVersion: '$LATEST', record: {} as InvokeResult['record'] };
}

function setup(outcomes: Array<'ok' | 'fail' | 'throttle'>) {
  const dir = mkdtempSync(join(tmpdir(), 'lambdadesk-async-'));
  const clock = new ManualClock(1_000_000);
  const attempts: number[] = [];
  const settled: AsyncDisposition[] = [];
  const invoke = async (_event: AsyncEvent): Promise<InvokeResult> => {
    attempts.push(clock.now());
    const next = outcomes.shift() ?? 'ok';
    if (next === 'throttle') throw new TooManyRequestsError('ConcurrentInvocationLimitExceeded');
    return result(next === 'fail');
  };
  const queue = new AsyncInvokeQueue({ dir, clock, invoke });
  queue.events.on('async:settled', (d) => settled.push(d));
  return { dir, clock, attempts, settled, queue, invoke };
}

const input = { requestId: 'req-1', functionName: 'Thrower', payload: '{"a":1}', trigger: 'event' };

test('a failing event is retried twice, about 1 and 2 minutes apart, then handed to the failure path', async () => {
  const { clock, attempts, settled, queue, dir } = setup(['fail', 'fail', 'fail']);
  await queue.start();
  await queue.enqueue(input);
  await clock.advance(0);
  await queue.drain();
  await clock.advance(60_000);
  await queue.drain();
  expect(attempts).toHaveLength(2);
  await clock.advance(119_999);
  await queue.drain();
  expect(attempts).toHaveLength(2); // the second retry waits the full two minutes
  await clock.advance(1);
  await queue.drain();
  await queue.stop();
  expect(attempts.map((t) => t - 1_000_000)).toEqual([0, 60_000, 180_000]);
  expect(settled).toHaveLength(1);
  expect(settled[0]).toMatchObject({ kind: 'failed', reason: 'retries-exhausted', event: { attempts: 3 } });
  expect(readdirSync(dir)).toEqual([]);
});

test('a success after a failure settles as succeeded and removes the event from disk', async () => {
  const { clock, settled, queue, dir } = setup(['fail', 'ok']);
  await queue.start();
  await queue.enqueue(input);
  await clock.advance(0);
  await queue.drain();
  expect(readdirSync(dir)).toHaveLength(1); // still owed a retry
  await clock.advance(60_000);
  await queue.drain();
  await queue.stop();
  expect(settled.map((s) => s.kind)).toEqual(['succeeded']);
  expect(readdirSync(dir)).toEqual([]);
});

test('throttles are retried with backoff and do not use up the function-error retries', async () => {
  const { clock, attempts, settled, queue } = setup(['throttle', 'throttle', 'ok']);
  await queue.start();
  await queue.enqueue(input);
  await clock.advance(0);
  await queue.drain();
  await clock.advance(1_000);
  await queue.drain();
  await clock.advance(2_000);
  await queue.drain();
  await queue.stop();
  expect(attempts).toHaveLength(3);
  expect(settled[0]?.kind).toBe('succeeded');
});

test('an event accepted before a crash is delivered by the next run', async () => {
  const first = setup([]);
  await first.queue.start();
  await first.queue.enqueue(input);
  await first.queue.stop(); // the "crash": nothing ran
  expect(first.attempts).toHaveLength(0);

  const clock = new ManualClock(2_000_000);
  const delivered: string[] = [];
  const second = new AsyncInvokeQueue({ dir: first.dir, clock, invoke: async (e) => (delivered.push(e.requestId), result(false)) });
  expect(await second.start()).toBe(1);
  await clock.advance(0);
  await second.drain();
  await second.stop();
  expect(delivered).toEqual(['req-1']);
  expect(readdirSync(first.dir)).toEqual([]);
});

test('an event older than its maximum age is not invoked again', async () => {
  const { clock, attempts, settled, queue } = setup(['fail']);
  await queue.start();
  await queue.enqueue({ ...input, maximumEventAgeSeconds: 60 });
  await clock.advance(0);
  await queue.drain();
  await clock.advance(60_000); // the retry is due exactly when the event turns 60 s old
  await queue.drain();
  await queue.stop();
  expect(attempts).toHaveLength(1);
  expect(settled[0]).toMatchObject({ kind: 'failed', reason: 'event-expired' });
});
