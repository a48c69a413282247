import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import type { InvokeOutcome } from '../../electron/engine/runtime-api/runtime-api-server.ts';
import { FUNCTION_ARN, NODE_FIXTURES, OUR_NODE_CLIENT, OUR_PYTHON_CLIENT, PYTHON_FIXTURES, payloadJson, startClient, type ClientProcess } from '../fixtures/handlers/runtime-client-process.ts';

/**
 * LambdaDesk's own runtime interface clients, each run as a host process against a
 * RuntimeApiServer with the environment a sandbox gives it (no Docker needed).
 */

const CJS = join(NODE_FIXTURES, 'cjs');
const ESM = join(NODE_FIXTURES, 'esm');
const NODE22 = { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' };
const NODE24 = { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' };
const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
const ISO = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;

const scratch = mkdtempSync(join(tmpdir(), 'lambdadesk-runtime-clients-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const running: ClientProcess[] = [];
async function node(taskRoot: string, handler: string, env: Record<string, string> = NODE22): Promise<ClientProcess> {
  const client = await startClient({ command: OUR_NODE_CLIENT, taskRoot, handler, env });
  running.push(client);
  return client;
}
async function python(handler: string, env: Record<string, string> = {}, taskRoot = PYTHON_FIXTURES): Promise<ClientProcess> {
  const client = await startClient({ command: OUR_PYTHON_CLIENT, taskRoot, handler, env: { AWS_EXECUTION_ENV: 'AWS_Lambda_python3.11', ...env } });
  running.push(client);
  return client;
}
afterAll(async () => {
  await Promise.all(running.map((c) => c.stop()));
});

/** Runs one invoke in a fresh process and stops it. */
async function once(client: ClientProcess, payload: unknown = { n: 1 }, extra = {}): Promise<InvokeOutcome & { requestId: string }> {
  await client.ready;
  return client.invoke(payload, extra);
}

/** Output crosses a pipe while the answer crosses a socket: wait for the lines, never for a time. */
async function output(client: ClientProcess, ready: (out: string) => boolean): Promise<string> {
  await vi.waitFor(() => expect(ready(client.stdout())).toBe(true), { timeout: 5_000, interval: 20 });
  return client.stdout();
}

function errorBody(outcome: InvokeOutcome): Record<string, unknown> {
  expect(outcome.kind).toBe('error');
  return payloadJson(outcome) as Record<string, unknown>;
}

async function initError(client: ClientProcess): Promise<{ body: Record<string, unknown>; errorType: string; exitCode: number | null }> {
  const ready = await client.ready;
  if (ready.kind !== 'init-error') throw new Error(`expected an init error, got ${ready.kind}`);
  const exit = await client.exited;
  return { body: JSON.parse(ready.report.payload.toString()) as Record<string, unknown>, errorType: ready.report.errorType, exitCode: exit.code };
}

describe('Node.js client: handler resolution', () => {
  test.each([
    ['CommonJS .js', CJS, 'index.echo', { received: { n: 1 }, from: 'cjs' }],
    ['ES module .js under "type": "module"', ESM, 'index.handler', { received: { n: 1 }, from: 'esm' }],
    ['ES module default export', ESM, 'default-export.handler', 'from the default export'],
    ['.mjs beside CommonJS', CJS, 'module.handler', 'from .mjs inside a CommonJS package'],
    ['.cjs', CJS, 'handler.handler', 'from .cjs'],
    ['nested path', CJS, 'src/handlers/app.handler', { nestedPath: true, event: { n: 1 } }],
    ['nested export name', CJS, 'nested.api.v1.handler', 'nested export'],
    ['top-level await', ESM, 'top-level-await.handler', { loaded: true }],
  ])('%s', async (_name, root, handler, expected) => {
    const outcome = await once(await node(root, handler));
    expect(outcome).toMatchObject({ kind: 'response', contentType: 'application/json', streamed: false });
    expect(payloadJson(outcome)).toEqual(expected);
  });

  test('a package found through NODE_PATH, as a layer in /opt/nodejs/node_modules is', async () => {
    const layer = join(scratch, 'layer/nodejs/node_modules/layer-handler');
    mkdirSync(layer, { recursive: true });
    writeFileSync(join(layer, 'index.js'), "exports.handler = async () => 'from a layer';\n");
    writeFileSync(join(layer, 'package.json'), '{"name":"layer-handler","type":"commonjs"}\n');
    const outcome = await once(await node(CJS, 'layer-handler.handler', { ...NODE22, NODE_PATH: join(scratch, 'layer/nodejs/node_modules') }));
    expect(payloadJson(outcome)).toBe('from a layer');
  });

  test('a warm process answers invoke after invoke', async () => {
    const client = await node(CJS, 'index.echo');
    await client.ready;
    for (const n of [1, 2, 3]) expect(payloadJson(await client.invoke({ n }))).toEqual({ received: { n }, from: 'cjs' });
  });
});

describe('Node.js client: context and results', () => {
  test('the context object carries the invoke and the function environment', async () => {
    const outcome = await once(await node(CJS, 'index.context'), {}, { requestId: 'req-ctx-1', traceId: TRACE, clientContext: '{"custom":{"k":"v"}}', cognitoIdentity: '{"cognitoIdentityId":"cid","cognitoIdentityPoolId":"pool"}' });
    expect(payloadJson(outcome)).toEqual({
      functionName: 'fixture',
      functionVersion: '$LATEST',
      invokedFunctionArn: FUNCTION_ARN,
      memoryLimitInMB: '256',
      awsRequestId: 'req-ctx-1',
      logGroupName: '/aws/lambda/fixture',
      logStreamName: '2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef',
      remainingIsPositive: true,
      remainingAtMost: true,
      clientContext: { custom: { k: 'v' } },
      identity: { cognitoIdentityId: 'cid', cognitoIdentityPoolId: 'pool' },
      traceEnv: TRACE,
    });
  });

  test('undefined becomes null and strings are JSON-encoded', async () => {
    expect(payloadJson(await once(await node(CJS, 'index.undefinedResult')))).toBeNull();
    expect(payloadJson(await once(await node(CJS, 'index.stringResult')))).toBe('plain string');
  });
});

describe('Node.js client: handler errors', () => {
  test('a thrown Error is posted as {errorType, errorMessage, trace} and logged as Invoke Error', async () => {
    const client = await node(CJS, 'index.throwsError');
    const outcome = await once(client);
    const body = errorBody(outcome);
    expect(body).toMatchObject({ errorType: 'Error', errorMessage: 'something broke' });
    expect((body.trace as string[])[0]).toBe('Error: something broke');
    expect(Object.keys(body)).toEqual(['errorType', 'errorMessage', 'trace']);
    expect(await output(client, (out) => out.includes('Invoke Error'))).toMatch(new RegExp(`^${ISO}\\t${outcome.requestId}\\tERROR\\tInvoke Error \\t\\{"errorType":"Error","errorMessage":"something broke","stack":\\[`, 'm'));
  });

  test('a custom error class gives its name; a thrown string gives "string"', async () => {
    expect(errorBody(await once(await node(CJS, 'index.throwsCustom')))).toMatchObject({ errorType: 'ValidationError', errorMessage: 'email is required' });
    expect(errorBody(await once(await node(CJS, 'index.throwsString')))).toEqual({ errorType: 'string', errorMessage: 'a bare string', trace: [] });
    expect(errorBody(await once(await node(CJS, 'index.throwsSync')))).toMatchObject({ errorType: 'TypeError', errorMessage: 'sync failure' });
  });

  test('a result JSON cannot encode fails the invoke', async () => {
    expect(errorBody(await once(await node(CJS, 'index.unserializable')))).toMatchObject({ errorType: 'Error', errorMessage: 'Unable to stringify response body' });
    expect(errorBody(await once(await node(CJS, 'index.unserializable', NODE24)))).toMatchObject({ errorType: 'Runtime.JSONStringifyError', errorMessage: 'Unable to stringify response body' });
  });

  test('an uncaught exception is the invoke error on nodejs22.x, then the runtime exits 129', async () => {
    const client = await node(CJS, 'uncaught.uncaughtException');
    expect(errorBody(await once(client))).toMatchObject({ errorType: 'Error', errorMessage: 'thrown from a timer' });
    expect((await client.exited).code).toBe(129);
    expect(await output(client, (out) => out.includes('Uncaught Exception'))).toContain('\tERROR\tUncaught Exception \t{"errorType":"Error","errorMessage":"thrown from a timer"');
  });

  test('an unhandled rejection is Runtime.UnhandledPromiseRejection, then exit 128', async () => {
    const client = await node(CJS, 'uncaught.unhandledRejection');
    expect(errorBody(await once(client))).toMatchObject({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'Error: nobody caught me' });
    expect((await client.exited).code).toBe(128);
  });

  test('an async handler whose promise never settles ends as Runtime.NodeJsExit and the process serves the next invoke', async () => {
    const client = await node(CJS, 'uncaught.neverSettles');
    expect(errorBody(await once(client))).toMatchObject({ errorType: 'Runtime.NodeJsExit' });
    expect(errorBody(await client.invoke({}))).toMatchObject({ errorType: 'Runtime.NodeJsExit' });
  });
});

describe('Node.js client: init errors', () => {
  const syntaxRoot = join(scratch, 'syntax');
  mkdirSync(syntaxRoot, { recursive: true });
  writeFileSync(join(syntaxRoot, 'package.json'), '{"type":"commonjs"}\n');
  writeFileSync(join(syntaxRoot, 'index.js'), 'exports.handler = async () => {\n  return { broken: true ;\n};\n');

  test.each([
    ['missing export', CJS, 'index.nope', 'Runtime.HandlerNotFound', 'index.nope is undefined or not exported'],
    ['export that is not a function', CJS, 'not-a-function.handler', 'Runtime.HandlerNotFound', 'not-a-function.handler is not a function'],
    ['missing module', CJS, 'missing.handler', 'Runtime.ImportModuleError', "Error: Cannot find module 'missing'"],
    ['missing dependency of a CommonJS module', CJS, 'missing-dependency.handler', 'Runtime.ImportModuleError', "Error: Cannot find module 'lambdadesk-package-that-does-not-exist'"],
    ['syntax error', syntaxRoot, 'index.handler', 'Runtime.UserCodeSyntaxError', 'SyntaxError: '],
    ['handler without a dot', CJS, 'index', 'Runtime.MalformedHandlerName', 'Bad handler'],
    ['relative path', CJS, '../cjs/index.echo', 'Runtime.MalformedHandlerName', "'../cjs/index.echo' is not a valid handler name. Use absolute paths when specifying root directories in handler names."],
    ['exception while loading', CJS, 'throws-at-load.handler', 'ConfigError', 'DATABASE_URL is not set'],
    ['exception while loading an ES module', ESM, 'throws-at-load.handler', 'RangeError', 'bad configuration at import'],
    ['missing package of an ES module', ESM, 'missing-dependency.handler', 'Error', "Cannot find package 'lambdadesk-package-that-does-not-exist'"],
  ])('%s: posted to /init/error, then exit 1', async (_name, root, handler, errorType, message) => {
    const client = await node(root, handler);
    const { body, errorType: reported, exitCode } = await initError(client);
    expect(reported).toBe(errorType);
    expect(body.errorType).toBe(errorType);
    expect(String(body.errorMessage).startsWith(message)).toBe(true);
    expect(Array.isArray(body.trace)).toBe(true);
    expect(exitCode).toBe(1);
    expect(await output(client, (out) => out.includes('Init Error'))).toMatch(new RegExp(`^${ISO}\\tundefined\\tERROR\\tInit Error \\t\\{"errorType":"${errorType.replace('.', '\\.')}"`, 'm'));
  });

  test('nodejs24.x refuses callback handlers as Runtime.CallbackHandlerDeprecated; outside invokes the id is "-"', async () => {
    const client = await node(CJS, 'callbacks.callbackResult', NODE24);
    const { body } = await initError(client);
    expect(body).toMatchObject({ errorType: 'Runtime.CallbackHandlerDeprecated' });
    expect(String(body.errorMessage)).toContain('starting with Node.js 24');
    expect(await output(client, (out) => out.includes('Init Error'))).toMatch(new RegExp(`^${ISO}\\t-\\tERROR\\tInit Error`, 'm'));
  });
});

describe('Node.js client: callback handlers (nodejs22.x and earlier)', () => {
  test.each([
    ['callback(null, result)', 'callbacks.callbackResult', { viaCallback: true, event: { n: 1 } }],
    ['the result waits for the empty event loop', 'callbacks.waitsForTimer', ['timer fired']],
    ['callbackWaitsForEmptyEventLoop = false answers at once', 'callbacks.doesNotWait', []],
    ['context.succeed', 'callbacks.succeed', { legacy: 'succeed' }],
    ['context.done', 'callbacks.done', { legacy: 'done' }],
    ['only the first callback counts', 'callbacks.twice', 'first'],
    ['a sync handler without callback answers null', 'callbacks.syncReturn', null],
  ])('%s', async (_name, handler, expected) => {
    expect(payloadJson(await once(await node(CJS, handler)))).toEqual(expected);
  });

  test('callback(error) and context.fail post the error', async () => {
    expect(errorBody(await once(await node(CJS, 'callbacks.callbackError')))).toMatchObject({ errorType: 'RangeError', errorMessage: 'out of range' });
    expect(errorBody(await once(await node(CJS, 'callbacks.fail')))).toMatchObject({ errorType: 'Error', errorMessage: 'legacy fail' });
  });

  test('callback handlers get the deprecation warning at init, logged outside any invoke', async () => {
    const client = await node(CJS, 'callbacks.callbackResult');
    await once(client);
    expect(await output(client, (out) => out.includes('WARN'))).toMatch(new RegExp(`^${ISO}\\tundefined\\tWARN\\tAWS Lambda plans to remove support for callback-based function handlers`, 'm'));
  });
});

describe('Node.js client: logs', () => {
  test('text lines: time, request id, level, message with inner newlines as \\r', async () => {
    const client = await node(CJS, 'index.logs');
    const { requestId } = await once(client);
    const lines = (await output(client, (out) => out.includes('debug detail'))).split('\n');
    const expectLine = (level: string, message: string): void => {
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${ISO}\\t${requestId}\\t${level}\\t${message.replace(/[{}]/g, '\\$&')}$`)));
    };
    expectLine('INFO', 'first line\rsecond line');
    expectLine('INFO', 'info formatted');
    expectLine('WARN', '{ warned: true }');
    expectLine('ERROR', 'an error');
    expectLine('DEBUG', 'debug detail');
  });

  test('AWS_LAMBDA_LOG_FORMAT=JSON writes one record per call; AWS_LAMBDA_LOG_LEVEL=WARN drops quieter ones', async () => {
    const client = await node(CJS, 'index.logs', { ...NODE22, AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: 'WARN' });
    const { requestId } = await once(client);
    const records = (await output(client, (out) => out.includes('an error'))).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.map((r) => [r.level, r.message, r.requestId])).toEqual([
      ['WARN', { warned: true }, requestId],
      ['ERROR', 'an error', requestId],
    ]);
    for (const r of records) expect(r.timestamp).toMatch(new RegExp(`^${ISO}$`));
  });
});

describe('Node.js client: response streaming', () => {
  test('awslambda.streamifyResponse: chunks arrive one by one with the handler content type', async () => {
    const client = await node(CJS, 'streaming.chunks');
    await client.ready;
    const chunks: string[] = [];
    const outcome = await client.invoke({}, {}, (c) => chunks.push(c.toString()));
    expect(outcome).toMatchObject({ kind: 'response', streamed: true, contentType: 'text/plain' });
    expect(chunks.join('')).toBe('one two three');
    expect(chunks.length).toBeGreaterThan(1);
    expect(payloadOf(outcome)).toBe('one two three');
  });

  test('awslambda.HttpResponseStream: JSON prelude, 8 zero bytes, then the body', async () => {
    const outcome = await once(await node(CJS, 'streaming.http'));
    expect(outcome).toMatchObject({ kind: 'response', streamed: true, contentType: 'application/vnd.awslambda.http-integration-response' });
    const prelude = '{"statusCode":201,"headers":{"x-custom":"yes"}}';
    expect(payloadBuffer(outcome)).toEqual(Buffer.concat([Buffer.from(prelude), Buffer.alloc(8), Buffer.from('<h1>streamed</h1>')]));
  });

  test('a failure after the first bytes travels in the error trailers', async () => {
    const client = await node(CJS, 'streaming.failsMidStream');
    await client.ready;
    const chunks: string[] = [];
    const outcome = await client.invoke({}, {}, (c) => chunks.push(c.toString()));
    expect(chunks.join('')).toBe('partial ');
    expect(errorBody(outcome)).toMatchObject({ errorType: 'Error', errorMessage: 'stream failed' });
  });
});

describe('Python client', () => {
  const syntaxRoot = join(scratch, 'python-syntax');
  mkdirSync(syntaxRoot, { recursive: true });
  writeFileSync(join(syntaxRoot, 'broken.py'), 'def handler(event, context)\n    return 1\n');
  const pythonMissing = (() => {
    try {
      execFileSync('python3', ['--version']);
      return false;
    } catch {
      return true;
    }
  })();

  test.skipIf(pythonMissing)('echo: the result is JSON as Python writes it', async () => {
    const outcome = await once(await python('app.echo'));
    expect(outcome).toMatchObject({ kind: 'response', contentType: 'application/json' });
    expect(payloadOf(outcome)).toBe('{"received": {"n": 1}, "from": "python"}');
  });

  test.skipIf(pythonMissing)('nested module path pkg/sub/mod.handler', async () => {
    expect(payloadJson(await once(await python('pkg/sub/mod.handler')))).toEqual({ nested_module: true, event: { n: 1 } });
  });

  test.skipIf(pythonMissing)('the context object', async () => {
    const outcome = await once(await python('app.context_fields'), {}, { requestId: 'py-ctx', traceId: TRACE, clientContext: '{"custom":{"k":"v"}}', cognitoIdentity: '{"cognitoIdentityId":"cid","cognitoIdentityPoolId":"pool"}' });
    expect(payloadJson(outcome)).toEqual({
      function_name: 'fixture',
      function_version: '$LATEST',
      invoked_function_arn: FUNCTION_ARN,
      memory_limit_in_mb: '256',
      aws_request_id: 'py-ctx',
      log_group_name: '/aws/lambda/fixture',
      log_stream_name: '2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef',
      remaining_is_positive: true,
      client_context_custom: { k: 'v' },
      identity_id: 'cid',
      identity_pool_id: 'pool',
      trace_env: TRACE,
    });
  });

  test.skipIf(pythonMissing)('an exception: {errorMessage, errorType, requestId, stackTrace} and the [ERROR] log record', async () => {
    const client = await python('app.raises');
    const outcome = await once(client, { n: 7 });
    const body = errorBody(outcome);
    expect(Object.keys(body)).toEqual(['errorMessage', 'errorType', 'requestId', 'stackTrace']);
    expect(body).toMatchObject({ errorMessage: 'bad value: 7', errorType: 'ValueError', requestId: outcome.requestId });
    expect(body.stackTrace).toEqual([`  File "${join(PYTHON_FIXTURES, 'app.py')}", line 37, in raises\n    raise ValueError("bad value: " + str(event.get("n")))\n`]);
    const out = await output(client, (text) => text.includes('Traceback'));
    expect(out).toContain('LAMBDA_WARNING: Unhandled exception.');
    expect(out).toContain(`[ERROR] ValueError: bad value: 7\rTraceback (most recent call last):\r\u00a0\u00a0File "${join(PYTHON_FIXTURES, 'app.py')}", line 37, in raises\r`);
    expect(errorBody(await once(await python('app.raises_custom')))).toMatchObject({ errorType: 'ValidationError', errorMessage: 'email is required' });
  });

  test.skipIf(pythonMissing)('a result JSON cannot encode is Runtime.MarshalError; bytes pass as they are', async () => {
    expect(errorBody(await once(await python('app.unserializable')))).toMatchObject({ errorType: 'Runtime.MarshalError', errorMessage: 'Unable to marshal response: Object of type set is not JSON serializable', stackTrace: [] });
    const bytes = await once(await python('app.returns_bytes'));
    expect(bytes).toMatchObject({ kind: 'response', contentType: 'application/unknown' });
    expect(payloadBuffer(bytes)).toEqual(Buffer.from('\x00raw bytes', 'latin1'));
    expect(payloadOf(await once(await python('app.numbers')))).toBe('{"decimal": 12.5, "int_decimal": 3, "text": "h\\u00e9llo"}');
  });

  test.skipIf(pythonMissing)('print goes to stdout as written; logging records are [LEVEL]\\ttime\\trequestId\\tmessage', async () => {
    const client = await python('app.logs');
    const { requestId } = await once(client);
    const out = await output(client, (text) => text.includes('multi'));
    expect(out).toContain('plain print\n');
    expect(out).toMatch(new RegExp(`^\\[INFO\\]\\t${ISO}\\t${requestId}\\tinfo via logging$`, 'm'));
    expect(out).toMatch(new RegExp(`^\\[WARNING\\]\\t${ISO}\\t${requestId}\\tmulti$`, 'm'));
    expect(out).not.toContain('hidden');
  });

  test.skipIf(pythonMissing)('AWS_LAMBDA_LOG_FORMAT=JSON: logging records as JSON objects', async () => {
    const client = await python('app.logs', { AWS_LAMBDA_LOG_FORMAT: 'JSON' });
    const { requestId } = await once(client);
    const records = (await output(client, (out) => out.includes('multi'))).split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records[0]).toMatchObject({ level: 'INFO', message: 'info via logging', logger: 'root', requestId });
    expect(String(records[0]?.timestamp)).toMatch(new RegExp(`^${ISO}$`));
  });

  test.skipIf(pythonMissing).each([
    ['missing module', 'nothing_here.handler', 'Runtime.ImportModuleError', "Unable to import module 'nothing_here': No module named 'nothing_here'"],
    ['failing import inside the module', 'import_error.handler', 'Runtime.ImportModuleError', "Unable to import module 'import_error': No module named 'lambdadesk_module_that_does_not_exist'"],
    ['missing function', 'app.missing', 'Runtime.HandlerNotFound', "Handler 'missing' missing on module 'app'"],
    ['no dot', 'app', 'Runtime.MalformedHandlerName', "Bad handler 'app': not enough values to unpack (expected 2, got 1)"],
    ['exception at import', 'raises_at_import.handler', 'RuntimeError', 'configuration missing at import'],
  ])('init error: %s', async (_name, handler, errorType, message) => {
    const { body, errorType: reported, exitCode } = await initError(await python(handler));
    expect(body).toMatchObject({ errorMessage: message, errorType, requestId: '' });
    expect(reported).toBe(errorType);
    expect(exitCode).toBe(1);
  });

  test.skipIf(pythonMissing)('init error: syntax error names file and line', async () => {
    const { body } = await initError(await python('broken.handler', {}, syntaxRoot));
    expect(body.errorType).toBe('Runtime.UserCodeSyntaxError');
    expect(String(body.errorMessage)).toMatch(/^Syntax error in module 'broken': expected ':' \(broken\.py, line 1\)$/);
    expect(body.stackTrace).toEqual([`  File "${join(syntaxRoot, 'broken.py')}" Line 1\n    def handler(event, context)\n`]);
  });
});

function payloadBuffer(outcome: InvokeOutcome): Buffer {
  if (!('payload' in outcome)) throw new Error(`no payload: ${outcome.kind}`);
  return outcome.payload;
}
function payloadOf(outcome: InvokeOutcome): string {
  return payloadBuffer(outcome).toString();
}
