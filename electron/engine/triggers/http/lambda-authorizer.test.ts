import { expect, test } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { InvokeRequest, InvokeResult } from '../../contract.ts';
import type { Invoker } from '../../invoke/invoker.ts';
import type { RequestAuthorizer, TokenAuthorizer } from './authorizer-config.ts';
import { LambdaAuthorizers } from './lambda-authorizer.ts';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:api/dev/GET/items';

/** The invoker at the module boundary: answers each invoke with the next output, and counts calls. */
function fakeInvoker(answer: (request: InvokeRequest) => { output: unknown; error?: boolean }): Invoker & { calls: InvokeRequest[] } {
  const calls: InvokeRequest[] = [];
  return {
    calls,
    async invoke(request: InvokeRequest) {
      calls.push(request);
      const { output, error } = answer(request);
      return { payload: Buffer.from(JSON.stringify(output)), functionError: error ? 'Unhandled' : undefined, record: {} } as unknown as InvokeResult;
    },
  } as unknown as Invoker & { calls: InvokeRequest[] };
}

const token: TokenAuthorizer = { kind: 'token', name: 'Tok', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:Auth', header: 'Authorization', ttlSeconds: 300 };
const allow = (resource: string) => ({ principalId: 'me', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: resource }] }, context: { n: 1, ok: true, none: null } });

test('REST: an Allow gives the context as text with principalId; the answer is cached for the TTL', async () => {
  const clock = new ManualClock(0);
  const invoker = fakeInvoker(() => ({ output: allow(ARN) }));
  const authorizers = new LambdaAuthorizers({ invoker, clock });
  const call = { event: {}, cacheKey: 'token-a', resourceArn: ARN };
  expect(await authorizers.decide(token, call)).toEqual({ kind: 'allow', context: { n: '1', ok: 'true', none: null }, principalId: 'me', latencyMs: 0 });
  await clock.advance(299_000);
  await authorizers.decide(token, call);
  expect(invoker.calls).toHaveLength(1);
  await clock.advance(1_000);
  await authorizers.decide(token, call);
  expect(invoker.calls).toHaveLength(2);
  expect(invoker.calls[0]).toMatchObject({ functionName: token.functionArn, trigger: 'http:authorizer Tok' });
});

test('a cached policy is evaluated again for another method ARN', async () => {
  const authorizers = new LambdaAuthorizers({ invoker: fakeInvoker(() => ({ output: allow(ARN) })), clock: new ManualClock(0) });
  await authorizers.decide(token, { event: {}, cacheKey: 't', resourceArn: ARN });
  expect(await authorizers.decide(token, { event: {}, cacheKey: 't', resourceArn: `${ARN}/other` })).toEqual({ kind: 'deny' });
});

test('a thrown Unauthorized is 401; other errors, missing principalId or nested REST context are failures', async () => {
  const decide = (output: unknown, error = false) => new LambdaAuthorizers({ invoker: fakeInvoker(() => ({ output, error })), clock: new ManualClock(0) }).decide(token, { event: {}, resourceArn: ARN });
  expect(await decide({ errorType: 'Error', errorMessage: 'Unauthorized' }, true)).toEqual({ kind: 'unauthorized' });
  expect((await decide({ errorType: 'Error', errorMessage: 'boom' }, true)).kind).toBe('failure');
  expect((await decide({ policyDocument: allow(ARN).policyDocument })).kind).toBe('failure');
  expect((await decide({ ...allow(ARN), context: { nested: { a: 1 } } })).kind).toBe('failure');
});

test('HTTP simple responses: isAuthorized decides and the context is kept as it is', async () => {
  const simple: RequestAuthorizer = { kind: 'request', api: 'http', name: 'S', functionArn: 'S', identitySources: [], ttlSeconds: 0, payloadFormatVersion: '2.0', simpleResponses: true };
  const decide = (output: unknown) => new LambdaAuthorizers({ invoker: fakeInvoker(() => ({ output })), clock: new ManualClock(0) }).decide(simple, { event: {}, resourceArn: ARN });
  expect(await decide({ isAuthorized: true, context: { deep: { a: 1 } } })).toMatchObject({ kind: 'allow', context: { deep: { a: 1 } } });
  expect(await decide({ isAuthorized: false })).toEqual({ kind: 'deny' });
  expect((await decide({ isAuthorized: 'yes' })).kind).toBe('failure');
});
