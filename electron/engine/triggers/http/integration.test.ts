import { expect, test } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { InvokeResult } from '../../contract.ts';
import { TooManyRequestsError } from '../../errors.ts';
import type { Invoker } from '../../invoke/invoker.ts';
import { invokeIntegration } from './integration.ts';

function invokerAnswering(result: Promise<InvokeResult>): Invoker {
  return { invoke: () => result } as unknown as Invoker;
}
const result = (outcome: string) => ({ record: { outcome }, payload: Buffer.from('{}') }) as unknown as InvokeResult;

test('the integration timeout answers while the invoke is still running', async () => {
  const clock = new ManualClock(0);
  let finish!: (value: InvokeResult) => void;
  const pending = invokeIntegration({ invoker: invokerAnswering(new Promise((resolve) => (finish = resolve))), clock }, { functionName: 'f' }, 29_000);
  let settled = false;
  void pending.then(() => (settled = true));
  await clock.advance(28_999);
  expect(settled).toBe(false);
  await clock.advance(1);
  expect(await pending).toEqual({ kind: 'timeout' });
  finish(result('success'));
});

test('outcomes: success, function timeout, function error, throttle, refusal', async () => {
  const clock = new ManualClock(0);
  const run = (answer: Promise<InvokeResult>) => invokeIntegration({ invoker: invokerAnswering(answer), clock }, { functionName: 'f' }, 29_000);
  expect((await run(Promise.resolve(result('success')))).kind).toBe('response');
  expect((await run(Promise.resolve(result('timeout')))).kind).toBe('timeout');
  expect((await run(Promise.resolve(result('crash')))).kind).toBe('function-error');
  expect((await run(Promise.reject(new TooManyRequestsError('ConcurrentInvocationLimitExceeded')))).kind).toBe('throttled');
  expect((await run(Promise.reject(new Error('no such function')))).kind).toBe('rejected');
});
