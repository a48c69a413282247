import { afterEach, describe, expect, test } from 'vitest';
import { ManualClock } from '../clock.ts';
import type { FunctionConfig, ProjectModel } from '../contract.ts';
import { InvalidRequestContentError, RequestTooLargeError, ResourceNotFoundError, TooManyRequestsError } from '../errors.ts';
import { FakeSandboxProvider } from '../../../test/unit/support/fake-sandbox-provider.ts';
import { Invoker } from './invoker.ts';

const fn = (logicalId: string, handler: string, over: Partial<FunctionConfig> = {}): FunctionConfig => ({
  logicalId, functionName: logicalId, handler, runtime: 'nodejs20.x', codeDir: '/tmp', memoryMb: 256, timeoutSeconds: 3,
  environment: {}, ephemeralStorageMb: 512, architecture: 'x86_64', layers: [], events: [], location: { file: 'template.yaml', line: 1, column: 1 }, ...over,
});

const model: ProjectModel = {
  dir: '/p', templatePath: '/p/template.yaml', layers: [], parameters: {}, warnings: [],
  functions: [fn('Echo', 'echo'), fn('Fail', 'fail'), fn('Hang', 'hang', { timeoutSeconds: 2 }), fn('Exit', 'exit'), fn('InitError', 'init-error'), fn('Gate', 'gate', { reservedConcurrency: 2 }), fn('Provisioned', 'echo', { provisionedConcurrency: 2 })],
};

let invoker: Invoker | undefined;
afterEach(async () => {
  await invoker?.stop();
  invoker = undefined;
});

function setup(keepAliveMs = 600_000) {
  const clock = new ManualClock(Date.UTC(2026, 10, 29));
  const provider = new FakeSandboxProvider();
  invoker = new Invoker({ provider, clock, model: () => model, region: 'us-east-1', accountId: '123456789012', keepAliveMs, concurrencyLimit: 10, sandboxPaths: () => ({ taskRoot: '/var/task', runtimeDir: '/var/runtime' }) });
  return { clock, provider, invoker };
}

describe('Invoker', () => {
  test('the first invoke is cold, the second reuses the environment warm with no Init Duration', async () => {
    const { invoker, provider } = setup();
    const first = await invoker.invoke({ functionName: 'Echo', payload: '{"n":1}' });
    const second = await invoker.invoke({ functionName: 'Echo', payload: '{"n":2}' });
    expect(first.record.cold).toBe(true);
    expect(first.logs).toMatch(/Init Duration: [\d.]+ ms\t\n$/);
    expect(second.record.cold).toBe(false);
    expect(second.logs).not.toContain('Init Duration');
    expect(provider.started).toHaveLength(1);
    expect(JSON.parse(second.payload.toString())).toEqual({ event: { n: 2 }, sandbox: provider.started[0] });
  });

  test('logs are framed START … END, REPORT in AWS format, with the runtime output between', async () => {
    const { invoker } = setup();
    const { logs, record } = await invoker.invoke({ functionName: 'Echo' });
    const lines = logs.trimEnd().split('\n');
    expect(lines[0]).toBe(`START RequestId: ${record.requestId} Version: $LATEST`);
    expect(lines[1]).toBe(`handling ${record.requestId}`);
    expect(lines[2]).toBe(`END RequestId: ${record.requestId}`);
    expect(lines[3]).toMatch(new RegExp(`^REPORT RequestId: ${record.requestId}\tDuration: \\d+\\.\\d\\d ms\tBilled Duration: \\d+ ms\tMemory Size: 256 MB\tMax Memory Used: 42 MB\t`));
  });

  test('an environment idle past the keep-alive is stopped, so the next invoke is cold again', async () => {
    const { invoker, provider, clock } = setup(600_000);
    await invoker.start();
    const first = await invoker.invoke({ functionName: 'Echo' });
    await clock.advance(599_000);
    expect((await invoker.invoke({ functionName: 'Echo' })).record.cold).toBe(false); // the idle timer restarts when an invoke ends
    await clock.advance(599_999); // the keep-alive counts from the end of the last invoke
    expect(provider.removed).toEqual([]);
    await clock.advance(1);
    expect(provider.removed).toEqual([first.record.sandboxId]);
    expect((await invoker.invoke({ functionName: 'Echo' })).record.cold).toBe(true);
  });

  test('concurrent invokes get their own environments, newest idle first afterwards', async () => {
    const { invoker, provider } = setup();
    const running = [invoker.invoke({ functionName: 'Gate' }), invoker.invoke({ functionName: 'Gate' })];
    while (provider.waiting() < 2) await new Promise((r) => setTimeout(r, 5));
    provider.release();
    const results = await Promise.all(running);
    expect(new Set(results.map((r) => r.record.sandboxId)).size).toBe(2);
    const newest = results.sort((a, b) => a.record.endedAt - b.record.endedAt)[1]!.record.sandboxId;
    const next = invoker.invoke({ functionName: 'Gate' });
    while (provider.waiting() < 1) await new Promise((r) => setTimeout(r, 5));
    provider.release();
    expect((await next).record.sandboxId).toBe(newest);
  });

  test('past ReservedConcurrentExecutions the invoke is throttled with AWS reason', async () => {
    const { invoker, provider } = setup();
    const running = [invoker.invoke({ functionName: 'Gate' }), invoker.invoke({ functionName: 'Gate' })];
    while (provider.waiting() < 2) await new Promise((r) => setTimeout(r, 5));
    const third = invoker.invoke({ functionName: 'Gate' });
    await expect(third).rejects.toBeInstanceOf(TooManyRequestsError);
    await expect(third).rejects.toMatchObject({ reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', status: 429 });
    provider.release();
    await Promise.all(running);
  });

  test('a timeout answers Sandbox.Timedout, kills the environment, and the next invoke starts fresh', async () => {
    const { invoker, provider, clock } = setup();
    const pending = invoker.invoke({ functionName: 'Hang' });
    while (provider.started.length < 1) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
    await clock.advance(2_000);
    const result = await pending;
    expect(result.functionError).toBe('Unhandled');
    expect(JSON.parse(result.payload.toString())).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${result.record.requestId} Error: Task timed out after 2.00 seconds` });
    expect(result.logs).toMatch(/Task timed out after 2\.00 seconds\nEND RequestId/);
    expect(result.logs).toMatch(/Status: timeout\t\n$/);
    expect(provider.removed).toEqual([result.record.sandboxId]);
  });

  test('function errors keep the runtime body and the environment; crashes and init errors are reported as AWS does', async () => {
    const { invoker, provider } = setup();
    const failed = await invoker.invoke({ functionName: 'Fail' });
    expect(failed.functionError).toBe('Unhandled');
    expect(JSON.parse(failed.payload.toString())).toEqual({ errorType: 'Error', errorMessage: 'nope', trace: [] });
    expect((await invoker.invoke({ functionName: 'Fail' })).record.sandboxId).toBe(failed.record.sandboxId);

    const crashed = await invoker.invoke({ functionName: 'Exit' });
    expect(JSON.parse(crashed.payload.toString())).toEqual({ errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${crashed.record.requestId} Error: Runtime exited with error: exit status 3` });
    expect(crashed.record.outcome).toBe('crash');

    const init = await invoker.invoke({ functionName: 'InitError' });
    expect(init.record).toMatchObject({ outcome: 'init-error', errorType: 'Runtime.ImportModuleError', cold: true });
    expect(JSON.parse(init.payload.toString())).toEqual({ errorType: 'Runtime.ImportModuleError', errorMessage: 'boom' });
    expect(provider.removed).toContain(init.record.sandboxId);
  });

  test('provisioned environments start ahead of traffic and serve warm', async () => {
    const { invoker, provider } = setup();
    await invoker.start();
    expect(provider.started).toHaveLength(2);
    const result = await invoker.invoke({ functionName: 'Provisioned' });
    expect(result.record.cold).toBe(false);
    expect(provider.started).toHaveLength(2);
  });

  test('bad requests get the Invoke API errors', async () => {
    const { invoker } = setup();
    await expect(invoker.invoke({ functionName: 'Nope' })).rejects.toBeInstanceOf(ResourceNotFoundError);
    await expect(invoker.invoke({ functionName: 'Echo', payload: 'not json' })).rejects.toBeInstanceOf(InvalidRequestContentError);
    await expect(invoker.invoke({ functionName: 'Echo', payload: `"${'x'.repeat(6_291_456)}"` })).rejects.toBeInstanceOf(RequestTooLargeError);
  });
});
