/**
 * The local Lambda platform in real Docker containers, called by real clients: Debian's AWS
 * CLI v2 and @aws-sdk/client-lambda. One engine serves the whole file; tests that need other
 * settings start their own.
 */
import { InvokeCommand, InvokeWithResponseStreamCommand, ListFunctionsCommand, ResourceNotFoundException, InvalidRequestContentException, RequestTooLargeException, TooManyRequestsException, GetFunctionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { InvocationRecord } from '../../electron/engine/contract.ts';
import { awsCli, lambdaClient } from './support/aws-clients.ts';
import { dockerAvailable } from './support/docker-required.ts';
import { fixture, startEngine } from './support/engine-fixture.ts';

const hasDocker = await dockerAvailable();
type Started = Awaited<ReturnType<typeof startEngine>>;
let engine: Started;
const records: InvocationRecord[] = [];

function decode(payload: Uint8Array | undefined): unknown {
  return payload ? JSON.parse(Buffer.from(payload).toString('utf8')) : undefined;
}

describe.runIf(hasDocker)('the local Lambda runtime in Docker', () => {
  beforeAll(async () => {
    engine = await startEngine(fixture('limits'), { sandbox: 'docker', concurrencyLimit: 10 });
    engine.invoker.events.on('invocations:finished', (r) => records.push(r));
    // Build the images before the tests, so no test pays for it.
    const runtimes = new Map(engine.model().functions.map((fn) => [fn.runtime, fn]));
    for (const fn of runtimes.values()) await engine.invoker.prepare(fn);
  });
  afterAll(async () => {
    await engine?.stop();
  });

  describe('AWS CLI v2', () => {
    test('invoke returns the payload, and a log tail framed START … REPORT', async () => {
      const out = `/tmp/lambdadesk-cli-out-${process.pid}.json`;
      const result = await awsCli(['lambda', 'invoke', '--function-name', 'Echo', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"name":"cli"}', '--log-type', 'Tail', out], engine.url);
      expect(result.code, result.stderr).toBe(0);
      const meta = JSON.parse(result.stdout) as { StatusCode: number; LogResult: string; ExecutedVersion: string; FunctionError?: string };
      expect(meta.StatusCode).toBe(200);
      expect(meta.ExecutedVersion).toBe('$LATEST');
      expect(meta.FunctionError).toBeUndefined();
      const tail = Buffer.from(meta.LogResult, 'base64').toString();
      expect(tail).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/);
      expect(tail).toMatch(/\tINFO\techo {"name":"cli"}/);
      expect(tail).toMatch(/REPORT RequestId: .*Max Memory Used: \d+ MB\t/);
      const { readFile } = await import('node:fs/promises');
      const payload = JSON.parse(await readFile(out, 'utf8')) as { event: unknown; greeting: string; functionName: string; memoryLimitInMB: string; uid: number };
      expect(payload.event).toEqual({ name: 'cli' });
      expect(payload.greeting).toBe('hello');
      expect(payload.functionName).toBe('Echo');
      expect(String(payload.memoryLimitInMB)).toBe('256');
      expect(payload.uid).toBe(993); // sbx_user1051, not root
    });

    test('a function error exits 0 with FunctionError Unhandled and the runtime error body', async () => {
      const out = `/tmp/lambdadesk-cli-err-${process.pid}.json`;
      const result = await awsCli(['lambda', 'invoke', '--function-name', 'Thrower', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"x":1}', out], engine.url);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ StatusCode: 200, FunctionError: 'Unhandled' });
      const { readFile } = await import('node:fs/promises');
      const body = JSON.parse(await readFile(out, 'utf8')) as { errorType: string; errorMessage: string; trace: string[] };
      expect(body.errorType).toBe('ValidationError');
      expect(body.errorMessage).toBe('bad input: {"x":1}');
      expect(Array.isArray(body.trace)).toBe(true);
    });

    test('an unknown function is ResourceNotFoundException, exit 254', async () => {
      const result = await awsCli(['lambda', 'invoke', '--function-name', 'Nope', '/dev/null'], engine.url);
      expect(result.code).toBe(254);
      expect(result.stderr).toContain('An error occurred (ResourceNotFoundException) when calling the Invoke operation: Function not found: arn:aws:lambda:us-east-1:123456789012:function:Nope');
    });

    test('list-functions lists the project', async () => {
      const result = await awsCli(['lambda', 'list-functions'], engine.url);
      expect(result.code, result.stderr).toBe(0);
      const names = (JSON.parse(result.stdout) as { Functions: Array<{ FunctionName: string; Runtime: string; MemorySize: number }> }).Functions.map((f) => f.FunctionName);
      expect(names).toEqual(engine.model().functions.map((f) => f.functionName));
    });
  });

  describe('@aws-sdk/client-lambda', () => {
    test('typed results: payload, FunctionError, LogResult, executed version of an alias', async () => {
      const client = lambdaClient(engine.url);
      const ok = await client.send(new InvokeCommand({ FunctionName: 'Echo', Payload: JSON.stringify({ sdk: true }), LogType: 'Tail', ClientContext: Buffer.from(JSON.stringify({ custom: { a: 1 } })).toString('base64') }));
      expect(ok.StatusCode).toBe(200);
      const body = decode(ok.Payload) as { event: unknown; clientContext: { custom: unknown }; awsRequestId: string; invokedFunctionArn: string };
      expect(body.event).toEqual({ sdk: true });
      expect(body.clientContext.custom).toEqual({ a: 1 });
      expect(body.awsRequestId).toBe(ok.$metadata.requestId);
      expect(body.invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:Echo');
      expect(Buffer.from(ok.LogResult!, 'base64').toString()).toContain(`END RequestId: ${ok.$metadata.requestId}`);

      const failed = await client.send(new InvokeCommand({ FunctionName: 'Thrower' }));
      expect(failed.FunctionError).toBe('Unhandled');
      expect(decode(failed.Payload)).toMatchObject({ errorType: 'ValidationError' });

      const aliased = await client.send(new InvokeCommand({ FunctionName: 'Aliased', Qualifier: 'live' }));
      expect(aliased.ExecutedVersion).toBe('1');
      expect((decode(aliased.Payload) as { invokedFunctionArn: string }).invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:Aliased:live');
    });

    test('service errors arrive as the SDK exception classes', async () => {
      const client = lambdaClient(engine.url);
      await expect(client.send(new InvokeCommand({ FunctionName: 'Nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
      await expect(client.send(new InvokeCommand({ FunctionName: 'Echo', Payload: Buffer.from('{not json') }))).rejects.toBeInstanceOf(InvalidRequestContentException);
      await expect(client.send(new InvokeCommand({ FunctionName: 'Echo', Payload: Buffer.from(JSON.stringify('x'.repeat(6_300_000))) }))).rejects.toBeInstanceOf(RequestTooLargeException);
      await expect(client.send(new GetFunctionCommand({ FunctionName: 'Echo:prod' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    });

    test('Event invokes answer 202 and run; DryRun answers 204 and does not', async () => {
      const client = lambdaClient(engine.url);
      const before = records.length;
      const dry = await client.send(new InvokeCommand({ FunctionName: 'Echo', InvocationType: 'DryRun' }));
      expect(dry.StatusCode).toBe(204);
      const finished = new Promise<InvocationRecord>((resolve) => engine.invoker.events.on('invocations:finished', (r) => r.trigger === 'event' && resolve(r)));
      const queued = await client.send(new InvokeCommand({ FunctionName: 'Echo', InvocationType: 'Event', Payload: '{"async":true}' }));
      expect(queued.StatusCode).toBe(202);
      const record = await finished;
      expect(record.requestId).toBe(queued.$metadata.requestId);
      expect(records.slice(before).filter((r) => r.trigger !== 'event')).toEqual([]);
    });

    test('InvokeWithResponseStream delivers the chunks and a clean InvokeComplete', async () => {
      const out = await lambdaClient(engine.url).send(new InvokeWithResponseStreamCommand({ FunctionName: 'Streamer', Payload: '{}', LogType: 'Tail' }));
      const chunks: string[] = [];
      let complete: { ErrorCode?: string; LogResult?: string } | undefined;
      for await (const event of out.EventStream!) {
        if (event.PayloadChunk?.Payload) chunks.push(Buffer.from(event.PayloadChunk.Payload).toString());
        if (event.InvokeComplete) complete = event.InvokeComplete;
      }
      expect(chunks.join('')).toBe('one two three');
      expect(chunks.length).toBeGreaterThan(1);
      expect(complete?.ErrorCode).toBeUndefined();
      expect(Buffer.from(complete!.LogResult!, 'base64').toString()).toContain('REPORT RequestId');
    });

    test('a response over 6 MB is Function.ResponseSizeTooLarge', async () => {
      const out = await lambdaClient(engine.url).send(new InvokeCommand({ FunctionName: 'BigResponse' }));
      expect(out.FunctionError).toBe('Unhandled');
      expect(decode(out.Payload)).toMatchObject({ errorType: 'Function.ResponseSizeTooLarge', errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).' });
    });
  });

  describe('AWS SDKs inside functions', () => {
    test.each([
      ['Caller', 'caller'],
      ['PyCaller', 'python'],
    ])('%s calls another local function through the SDK the image provides', async (name, from) => {
      const out = await lambdaClient(engine.url).send(new InvokeCommand({ FunctionName: name, Payload: '{}' }));
      expect(out.FunctionError, Buffer.from(out.Payload ?? []).toString()).toBeUndefined();
      expect(decode(out.Payload)).toMatchObject({ statusCode: 200, echoed: { from } });
    });
  });

  describe('Lambda limits in real containers', () => {
    test('past its Timeout a function gets Sandbox.Timedout, and the next call runs on a fresh sandbox', async () => {
      const client = lambdaClient(engine.url);
      const timedOut = await client.send(new InvokeCommand({ FunctionName: 'Timeout', Payload: '{"ms":5000}', LogType: 'Tail' }));
      expect(timedOut.FunctionError).toBe('Unhandled');
      expect(decode(timedOut.Payload)).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${timedOut.$metadata.requestId} Error: Task timed out after 1.00 seconds` });
      const first = records.find((r) => r.requestId === timedOut.$metadata.requestId)!;
      expect(first.outcome).toBe('timeout');
      const next = await client.send(new InvokeCommand({ FunctionName: 'Timeout', Payload: '{"ms":10}' }));
      expect(next.FunctionError).toBeUndefined();
      const second = records.find((r) => r.requestId === next.$metadata.requestId)!;
      expect(second.cold).toBe(true);
      expect(second.sandboxId).not.toBe(first.sandboxId);
    });

    test('allocating past MemorySize kills the sandbox and reports Runtime.OutOfMemory', async () => {
      const out = await lambdaClient(engine.url).send(new InvokeCommand({ FunctionName: 'MemoryHog', Payload: '{"mb":400}', LogType: 'Tail' }));
      expect(out.FunctionError).toBe('Unhandled');
      expect(decode(out.Payload)).toEqual({ errorType: 'Runtime.OutOfMemory', errorMessage: `RequestId: ${out.$metadata.requestId} Error: Runtime exited with error: signal: killed` });
      expect(Buffer.from(out.LogResult!, 'base64').toString()).toMatch(/Max Memory Used: 128 MB\t(Init Duration: [\d.]+ ms\t)?Status: error\tError Type: Runtime.OutOfMemory\t/);
    });

    test('the root file system and the code are read-only, /tmp is writable and capped by EphemeralStorage', async () => {
      const out = await lambdaClient(engine.url).send(new InvokeCommand({ FunctionName: 'FileSystem', Payload: '{"maxMb":1024}' }));
      const body = decode(out.Payload) as { rootWrite: string; taskWrite: string; tmpWrite: string; tmpFill: string; writtenMb: number };
      expect(body.rootWrite).toBe('EROFS');
      expect(body.taskWrite).toBe('EROFS');
      expect(body.tmpWrite).toBe('ok');
      expect(body.tmpFill).toBe('ENOSPC');
      expect(body.writtenMb).toBeLessThanOrEqual(512);
    });

    test('a runtime that exits mid-invoke is Runtime.ExitError', async () => {
      const out = await lambdaClient(engine.url).send(new InvokeCommand({ FunctionName: 'Crasher' }));
      expect(decode(out.Payload)).toEqual({ errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${out.$metadata.requestId} Error: Runtime exited with error: exit status 3` });
    });

    test('a handler that cannot load is an init error answered to the invoke', async () => {
      const out = await lambdaClient(engine.url).send(new InvokeCommand({ FunctionName: 'BrokenInit' }));
      expect(out.FunctionError).toBe('Unhandled');
      expect(decode(out.Payload)).toMatchObject({ errorType: 'Runtime.ImportModuleError' });
    });
  });

  describe('measured, not assumed', () => {
    test('the second call is warm with no Init Duration; load-time work shows in Init Duration', async () => {
      const client = lambdaClient(engine.url);
      const cold = await client.send(new InvokeCommand({ FunctionName: 'SlowInit', LogType: 'Tail' }));
      const warm = await client.send(new InvokeCommand({ FunctionName: 'SlowInit', LogType: 'Tail' }));
      const coldLog = Buffer.from(cold.LogResult!, 'base64').toString();
      const initMs = Number(/Init Duration: ([\d.]+) ms/.exec(coldLog)?.[1]);
      expect(initMs).toBeGreaterThanOrEqual(500);
      expect(Buffer.from(warm.LogResult!, 'base64').toString()).not.toContain('Init Duration');
    });

    test('memory held by the code shows in Max Memory Used', async () => {
      const out = await lambdaClient(engine.url).send(new InvokeCommand({ FunctionName: 'Holder', LogType: 'Tail' }));
      const used = Number(/Max Memory Used: (\d+) MB/.exec(Buffer.from(out.LogResult!, 'base64').toString())?.[1]);
      expect(used).toBeGreaterThanOrEqual(100);
      expect(used).toBeLessThanOrEqual(256);
    });
  });

  describe('concurrency', () => {
    test('ten parallel calls with a limit of ten run side by side in ten sandboxes', async () => {
      const client = lambdaClient(engine.url);
      // Ten environments first, so the measured calls do not wait on ten cold starts on two cores.
      await Promise.all(Array.from({ length: 10 }, () => client.send(new InvokeCommand({ FunctionName: 'Sleeper', Payload: '{"ms":1500}' }))));
      const results = await Promise.all(Array.from({ length: 10 }, () => client.send(new InvokeCommand({ FunctionName: 'Sleeper', Payload: '{"ms":1000}' }))));
      const bodies = results.map((r) => decode(r.Payload) as { started: number; ended: number });
      expect(results.every((r) => r.FunctionError === undefined)).toBe(true);
      const ids = results.map((r) => records.find((x) => x.requestId === r.$metadata.requestId)!.sandboxId);
      expect(new Set(ids).size).toBe(10);
      // Every handler was sleeping at one moment: they overlapped instead of queueing.
      expect(Math.max(...bodies.map((b) => b.started))).toBeLessThan(Math.min(...bodies.map((b) => b.ended)));
    });

    test('with ReservedConcurrentExecutions 4, the rest are throttled with 429 and the reason', async () => {
      const client = lambdaClient(engine.url);
      const settled = await Promise.allSettled(Array.from({ length: 10 }, () => client.send(new InvokeCommand({ FunctionName: 'Limited', Payload: '{"ms":1500}' }))));
      const throttled = settled.filter((s) => s.status === 'rejected').map((s) => (s as PromiseRejectedResult).reason as TooManyRequestsException);
      expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(4);
      expect(throttled).toHaveLength(6);
      for (const err of throttled) {
        expect(err).toBeInstanceOf(TooManyRequestsException);
        expect(err.Reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
        expect(err.$metadata.httpStatusCode).toBe(429);
      }
    });
  });

  test('ListFunctions through the SDK matches the template', async () => {
    const out = await lambdaClient(engine.url).send(new ListFunctionsCommand({}));
    const echo = out.Functions!.find((f) => f.FunctionName === 'Echo')!;
    expect(echo).toMatchObject({ Runtime: 'nodejs20.x', MemorySize: 256, Timeout: 10, Handler: 'echo.handler', Architectures: ['x86_64'], EphemeralStorage: { Size: 512 } });
  });
});
