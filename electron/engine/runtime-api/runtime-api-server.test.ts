import { request as httpRequest, Agent, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { ManualClock } from '../clock.ts';
import { RuntimeApiServer, type InvokeOutcome, type InvokeWork, type RuntimeApiServerOptions } from './runtime-api-server.ts';

const servers: RuntimeApiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: RuntimeApiServerOptions = {}): Promise<RuntimeApiServer> {
  const server = new RuntimeApiServer(options);
  servers.push(server);
  await server.listen();
  return server;
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A plain HTTP call, as a runtime client makes it (keep-alive, one socket). */
function call(server: RuntimeApiServer, method: string, path: string, body?: Buffer | string, headers: OutgoingHttpHeaders = {}, agent?: Agent): Promise<Reply> {
  const [host, port] = server.address.split(':');
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host, port: Number(port), method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const next = (s: RuntimeApiServer, agent?: Agent): Promise<Reply> => call(s, 'GET', '/2018-06-01/runtime/invocation/next', undefined, {}, agent);
const post = (s: RuntimeApiServer, path: string, body: Buffer | string, headers: OutgoingHttpHeaders = {}): Promise<Reply> => call(s, 'POST', `/2018-06-01/runtime/${path}`, body, headers);
const json = (reply: Reply): unknown => JSON.parse(reply.body);

function work(overrides: Partial<InvokeWork> = {}): InvokeWork {
  return { requestId: 'a0c3f9a2-6f2b-4a55-9d1c-1b2c3d4e5f60', payload: Buffer.from('{"hello":"world"}'), deadlineMs: 1_700_000_003_000, invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:Hello:live', ...overrides };
}

/** Delivers `w` to the runtime and returns the pending outcome. */
async function deliver(server: RuntimeApiServer, w: InvokeWork = work(), onChunk?: (chunk: Buffer) => void): Promise<{ outcome: Promise<InvokeOutcome>; event: Reply }> {
  const polled = next(server);
  const outcome = server.invoke(w, onChunk);
  return { outcome, event: await polled };
}

const OK = '{"status":"OK"}\n';

describe('address and start-up', () => {
  test('listens on a free loopback port and gives the host:port that AWS_LAMBDA_RUNTIME_API expects', async () => {
    const server = new RuntimeApiServer();
    servers.push(server);
    const { host, port } = await server.listen();
    expect(host).toBe('127.0.0.1');
    expect(port).toBeGreaterThan(0);
    expect(server.address).toBe(`127.0.0.1:${port}`);
  });

  test('the first /next makes the sandbox ready, at the clock time of the poll', async () => {
    const clock = new ManualClock(5_000);
    const server = await start({ clock });
    const polls: number[] = [];
    server.events.on('next-polled', (at) => polls.push(at));
    void next(server).catch(() => undefined);
    await expect(server.whenReady()).resolves.toEqual({ kind: 'ready', at: 5_000 });
    expect(polls).toEqual([5_000]);
  });

  test('/ping answers, as the legacy endpoint still does on AWS', async () => {
    const server = await start();
    const reply = await call(server, 'GET', '/2018-06-01/ping');
    expect(reply.status).toBe(200);
  });
});

describe('GET /runtime/invocation/next', () => {
  test('holds the poll until an invoke arrives, then sends the payload bytes unchanged with the invoke headers', async () => {
    const server = await start();
    const polled = next(server);
    let answered = false;
    void polled.then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(answered).toBe(false);
    const payload = Buffer.from('{"é":"\u00e9" ,  "spaces":   1}');
    void server.invoke(
      work({ payload, traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1', clientContext: '{"custom":{"a":1}}', cognitoIdentity: '{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}', tenantId: 'tenant-1', deadlineMs: 1_700_000_003_000.7 }),
    );
    const event = await polled;
    expect(event.status).toBe(200);
    expect(Buffer.from(event.body)).toEqual(payload);
    expect(event.headers['lambda-runtime-aws-request-id']).toBe('a0c3f9a2-6f2b-4a55-9d1c-1b2c3d4e5f60');
    expect(event.headers['lambda-runtime-deadline-ms']).toBe('1700000003000');
    expect(event.headers['lambda-runtime-invoked-function-arn']).toBe('arn:aws:lambda:us-east-1:123456789012:function:Hello:live');
    expect(event.headers['lambda-runtime-trace-id']).toBe('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1');
    expect(event.headers['lambda-runtime-client-context']).toBe('{"custom":{"a":1}}');
    expect(event.headers['lambda-runtime-cognito-identity']).toBe('{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}');
    expect(event.headers['lambda-runtime-aws-tenant-id']).toBe('tenant-1');
    expect(event.headers['content-type']).toBe('application/json');
  });

  test('omits headers whose value is empty and passes a given content type', async () => {
    const server = await start();
    const { event } = await deliver(server, work({ traceId: '', clientContext: '', contentType: 'text/plain' }));
    expect(event.headers).not.toHaveProperty('lambda-runtime-trace-id');
    expect(event.headers).not.toHaveProperty('lambda-runtime-client-context');
    expect(event.headers).not.toHaveProperty('lambda-runtime-cognito-identity');
    expect(event.headers).not.toHaveProperty('lambda-runtime-aws-tenant-id');
    expect(event.headers['content-type']).toBe('text/plain');
  });

  test('an invoke handed over before the runtime polls waits for the poll', async () => {
    const server = await start();
    const outcome = server.invoke(work());
    const event = await next(server);
    expect(event.body).toBe('{"hello":"world"}');
    await post(server, `invocation/${work().requestId}/response`, '1');
    await expect(outcome).resolves.toMatchObject({ kind: 'response' });
  });

  test('a second invoke while one is in flight throws: a sandbox runs one at a time', async () => {
    const server = await start();
    void server.invoke(work());
    expect(() => server.invoke(work({ requestId: 'other' }))).toThrow(/still running/);
  });

  test('500 InternalServerError when the invoke cannot be put into headers; the runtime should exit', async () => {
    const server = await start();
    const { outcome, event } = await deliver(server, work({ requestId: 'bad\nid' }));
    expect(event.status).toBe(500);
    expect(json(event)).toEqual({ errorMessage: 'Internal Server Error', errorType: 'InternalServerError' });
    await expect(outcome).resolves.toMatchObject({ kind: 'aborted' });
  });

  test('close() ends a pending long poll', async () => {
    const server = await start();
    const polled = next(server);
    await server.whenReady();
    await server.close();
    await expect(polled).rejects.toThrow();
  });
});

describe('POST /runtime/invocation/{id}/response', () => {
  test('202 {"status":"OK"} and the body and content type reach the invoker untouched', async () => {
    const server = await start();
    const { outcome } = await deliver(server);
    const reply = await post(server, `invocation/${work().requestId}/response`, '{"statusCode":200}', { 'Content-Type': 'application/json' });
    expect(reply.status).toBe(202);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(reply.body).toBe(OK);
    await expect(outcome).resolves.toEqual({ kind: 'response', payload: Buffer.from('{"statusCode":200}'), contentType: 'application/json', streamed: false });
  });

  test('decodes the percent-encoded request id', async () => {
    const server = await start();
    const { outcome } = await deliver(server, work({ requestId: 'id with/odd:chars' }));
    const reply = await post(server, `invocation/${encodeURIComponent('id with/odd:chars')}/response`, 'null');
    expect(reply.status).toBe(202);
    await expect(outcome).resolves.toMatchObject({ kind: 'response', payload: Buffer.from('null') });
  });

  test('400 InvalidRequestID for an unknown id', async () => {
    const server = await start();
    const { outcome } = await deliver(server);
    const reply = await post(server, 'invocation/not-the-current-one/response', '{}');
    expect(reply.status).toBe(400);
    expect(reply.body).toBe('{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}\n');
    await post(server, `invocation/${work().requestId}/response`, '{}');
    await expect(outcome).resolves.toMatchObject({ kind: 'response' });
  });

  test('400 InvalidRequestID for an id already answered, and for the previous invoke once a new one runs', async () => {
    const server = await start();
    const first = await deliver(server);
    expect((await post(server, `invocation/${work().requestId}/response`, '1')).status).toBe(202);
    expect((await post(server, `invocation/${work().requestId}/response`, '2')).status).toBe(400);
    expect((await post(server, `invocation/${work().requestId}/error`, '{}')).status).toBe(400);
    await expect(first.outcome).resolves.toMatchObject({ payload: Buffer.from('1') });
    const second = await deliver(server, work({ requestId: 'second' }));
    const stale = await post(server, `invocation/${work().requestId}/response`, '3');
    expect(json(stale)).toEqual({ errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
    await post(server, 'invocation/second/response', '4');
    await expect(second.outcome).resolves.toMatchObject({ payload: Buffer.from('4') });
  });

  test('400 InvalidRequestID for an invoke the runtime was never given', async () => {
    const server = await start();
    void server.invoke(work());
    expect((await post(server, `invocation/${work().requestId}/response`, '1')).status).toBe(400);
  });

  test('413 RequestEntityTooLarge past 6,291,556 bytes, and the invoke ends as Function.ResponseSizeTooLarge', async () => {
    const server = await start();
    const { outcome } = await deliver(server);
    const reply = await post(server, `invocation/${work().requestId}/response`, Buffer.alloc(6_291_557, 0x61));
    expect(reply.status).toBe(413);
    expect(reply.body).toBe('{"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","errorType":"RequestEntityTooLarge"}\n');
    const settled = await outcome;
    expect(settled.kind).toBe('too-large');
    if (settled.kind !== 'too-large') return;
    expect(JSON.parse(settled.payload.toString())).toEqual({ errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).', errorType: 'Function.ResponseSizeTooLarge' });
  });

  test('exactly 6,291,556 bytes is accepted', async () => {
    const server = await start();
    const { outcome } = await deliver(server);
    const reply = await post(server, `invocation/${work().requestId}/response`, Buffer.alloc(6_291_556, 0x61));
    expect(reply.status).toBe(202);
    await expect(outcome).resolves.toMatchObject({ kind: 'response' });
  });

  test('after a 413 the runtime polls again on the same connection and gets the next invoke', async () => {
    const server = await start({ maxResponseBytes: 10 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = server.invoke(work());
    await next(server, agent);
    const tooBig = await call(server, 'POST', `/2018-06-01/runtime/invocation/${work().requestId}/response`, '01234567890', {}, agent);
    expect(tooBig.status).toBe(413);
    await expect(first).resolves.toMatchObject({ kind: 'too-large' });
    const polled = next(server, agent);
    void server.invoke(work({ requestId: 'next-one' }));
    expect((await polled).headers['lambda-runtime-aws-request-id']).toBe('next-one');
    agent.destroy();
  });

  test('400 TruncatedHTTPRequest when the runtime closes before sending the bytes it announced', async () => {
    const server = await start();
    await deliver(server);
    const [host, port] = server.address.split(':');
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), host);
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.write(`POST /2018-06-01/runtime/invocation/${work().requestId}/response HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"partial"`, () => socket.end());
    });
    expect(raw).toMatch(/^HTTP\/1.1 400/);
    expect(raw).toContain('{"errorMessage":"HTTP request detected as truncated","errorType":"TruncatedHTTPRequest"}');
  });
});

describe('response modes and streaming', () => {
  test('another response mode gets 400 InvalidFunctionResponseMode and fails the invoke as Runtime.InvalidResponseModeHeader', async () => {
    const server = await start();
    const { outcome } = await deliver(server);
    const reply = await post(server, `invocation/${work().requestId}/response`, '{}', { 'Lambda-Runtime-Function-Response-Mode': 'chunky' });
    expect(reply.status).toBe(400);
    expect(reply.body).toBe('{"errorMessage":"Invalid function response mode","errorType":"InvalidFunctionResponseMode"}\n');
    const settled = await outcome;
    expect(settled.kind).toBe('invalid-response-mode');
    if (settled.kind === 'invalid-response-mode') expect(JSON.parse(settled.payload.toString())).toMatchObject({ errorType: 'Runtime.InvalidResponseModeHeader' });
  });

  test('"buffered" is the explicit name of the default mode', async () => {
    const server = await start();
    const { outcome } = await deliver(server);
    expect((await post(server, `invocation/${work().requestId}/response`, '"x"', { 'Lambda-Runtime-Function-Response-Mode': 'buffered' })).status).toBe(202);
    await expect(outcome).resolves.toMatchObject({ kind: 'response', streamed: false });
  });

  test('a streamed response reaches onChunk as it arrives, then settles with every byte', async () => {
    const server = await start();
    const chunks: string[] = [];
    let sawFirst!: () => void;
    const firstSeen = new Promise<void>((r) => (sawFirst = r));
    const { outcome } = await deliver(server, work(), (chunk) => {
      chunks.push(chunk.toString());
      sawFirst();
    });
    const [host, port] = server.address.split(':');
    const req = httpRequest({
      host,
      port: Number(port),
      method: 'POST',
      path: `/2018-06-01/runtime/invocation/${work().requestId}/response`,
      headers: { 'Lambda-Runtime-Function-Response-Mode': 'streaming', 'Transfer-Encoding': 'chunked', Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body' },
    });
    const replied = new Promise<Reply>((resolve) => req.on('response', (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    }));
    req.write('first ');
    await firstSeen; // the invoker saw the first chunk while the stream is still open
    expect(chunks).toEqual(['first ']);
    req.end('second');
    const reply = await replied;
    expect(reply.status).toBe(202);
    expect(reply.body).toBe(OK);
    await expect(outcome).resolves.toEqual({ kind: 'response', payload: Buffer.from('first second'), contentType: 'application/octet-stream', streamed: true });
  });

  test('error trailers after the first bytes settle the invoke as that error', async () => {
    const server = await start();
    const { outcome } = await deliver(server, work(), () => undefined);
    const [host, port] = server.address.split(':');
    const errorBody = { errorType: 'Error', errorMessage: 'stream broke', trace: ['Error: stream broke'] };
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        host,
        port: Number(port),
        method: 'POST',
        path: `/2018-06-01/runtime/invocation/${work().requestId}/response`,
        headers: { 'Lambda-Runtime-Function-Response-Mode': 'streaming', 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body' },
      }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.write('partial');
      req.addTrailers({ 'Lambda-Runtime-Function-Error-Type': 'Error', 'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(errorBody)).toString('base64') });
      req.end();
    });
    const settled = await outcome;
    expect(settled).toMatchObject({ kind: 'error', errorType: 'Error', contentType: 'application/json' });
    if (settled.kind === 'error') expect(JSON.parse(settled.payload.toString())).toEqual(errorBody);
  });

  test('a stream past its cap is cut with 413 and settles as too large', async () => {
    const server = await start({ maxStreamedResponseBytes: 8 });
    const { outcome } = await deliver(server, work(), () => undefined);
    const reply = await post(server, `invocation/${work().requestId}/response`, Buffer.alloc(64, 0x62), { 'Lambda-Runtime-Function-Response-Mode': 'streaming' }).catch(() => undefined);
    if (reply) expect(reply.status).toBe(413);
    const settled = await outcome;
    expect(settled.kind).toBe('too-large');
    if (settled.kind === 'too-large') expect(settled.payload.toString()).toContain('(8 bytes)');
  });
});

describe('POST /runtime/invocation/{id}/error', () => {
  test('202, the body is forwarded verbatim and errorType comes from the body when there is no header', async () => {
    const server = await start();
    const { outcome } = await deliver(server);
    const body = '{"errorType":"TypeError","errorMessage":"x is not a function","trace":["TypeError: x is not a function","    at handler (/var/task/index.js:1:1)"]}';
    const reply = await post(server, `invocation/${work().requestId}/error`, body, { 'Content-Type': 'application/json' });
    expect(reply.status).toBe(202);
    expect(reply.body).toBe(OK);
    await expect(outcome).resolves.toEqual({ kind: 'error', payload: Buffer.from(body), contentType: 'application/json', errorType: 'TypeError' });
  });

  test('a valid Lambda-Runtime-Function-Error-Type header wins; an invalid one does not', async () => {
    const server = await start();
    const first = await deliver(server);
    await post(server, `invocation/${work().requestId}/error`, '{"errorType":"Boom"}', { 'Lambda-Runtime-Function-Error-Type': 'Runtime.ExitError' });
    await expect(first.outcome).resolves.toMatchObject({ errorType: 'Runtime.ExitError' });
    const second = await deliver(server, work({ requestId: 'two' }));
    await post(server, 'invocation/two/error', '{"errorType":"ValueError","errorMessage":"bad"}', { 'Lambda-Runtime-Function-Error-Type': 'ValueError' });
    await expect(second.outcome).resolves.toMatchObject({ errorType: 'ValueError' });
    const third = await deliver(server, work({ requestId: 'three' }));
    await post(server, 'invocation/three/error', 'not json');
    await expect(third.outcome).resolves.toMatchObject({ errorType: 'Function.Unknown', payload: Buffer.from('not json') });
  });

  test('a 64 KiB Lambda-Runtime-Function-XRay-Error-Cause header passes', async () => {
    const server = await start();
    const { outcome } = await deliver(server);
    const cause = JSON.stringify({ working_directory: '/var/task', exceptions: [{ type: 'Error', message: 'x'.repeat(65_000) }], paths: [] });
    expect(cause.length).toBeGreaterThan(64_000);
    const reply = await post(server, `invocation/${work().requestId}/error`, '{"errorType":"Error","errorMessage":"x"}', { 'Lambda-Runtime-Function-XRay-Error-Cause': cause });
    expect(reply.status).toBe(202);
    await expect(outcome).resolves.toMatchObject({ kind: 'error', errorType: 'Error', xrayErrorCause: cause });
  });

  test('application/vnd.aws.lambda.error.cause+json: the caller gets the error without its cause', async () => {
    const server = await start();
    const { outcome } = await deliver(server);
    const body = { errorMessage: 'm', errorType: 'Function.Custom', stackTrace: ['a'], errorCause: { paths: [] } };
    await post(server, `invocation/${work().requestId}/error`, JSON.stringify(body), { 'Content-Type': 'application/vnd.aws.lambda.error.cause+json' });
    const settled = await outcome;
    expect(settled).toMatchObject({ kind: 'error', contentType: 'application/json', errorType: 'Function.Custom' });
    if (settled.kind === 'error') expect(JSON.parse(settled.payload.toString())).toEqual({ errorMessage: 'm', errorType: 'Function.Custom', stackTrace: ['a'] });
  });

  test('400 InvalidRequestID for an unknown id', async () => {
    const server = await start();
    await deliver(server);
    const reply = await post(server, 'invocation/unknown/error', '{}');
    expect(reply.status).toBe(400);
    expect(json(reply)).toEqual({ errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
  });
});

describe('POST /runtime/init/error', () => {
  test('before the first /next: 202, whenReady reports it, and it answers the invoke', async () => {
    const clock = new ManualClock(42);
    const server = await start({ clock });
    const outcome = server.invoke(work());
    const body = '{"errorType":"Runtime.ImportModuleError","errorMessage":"Error: Cannot find module \'index\'","trace":[]}';
    const reply = await post(server, 'init/error', body, { 'Lambda-Runtime-Function-Error-Type': 'Runtime.ImportModuleError' });
    expect(reply.status).toBe(202);
    expect(reply.body).toBe(OK);
    const ready = await server.whenReady();
    expect(ready).toEqual({ kind: 'init-error', report: { payload: Buffer.from(body), contentType: 'application/json', errorType: 'Runtime.ImportModuleError', at: 42 } });
    await expect(outcome).resolves.toEqual({ kind: 'error', payload: Buffer.from(body), contentType: 'application/json', errorType: 'Runtime.ImportModuleError' });
    await expect(server.invoke(work({ requestId: 'later' }))).resolves.toMatchObject({ kind: 'error', errorType: 'Runtime.ImportModuleError' });
  });

  test('403 InvalidStateTransition once the runtime has polled for work', async () => {
    const server = await start();
    void next(server).catch(() => undefined);
    await server.whenReady();
    const reply = await post(server, 'init/error', '{"errorType":"Error","errorMessage":"late"}');
    expect(reply.status).toBe(403);
    expect(json(reply)).toEqual({ errorMessage: 'State transition from Ready to InitError failed for runtime. Error: State transition is not allowed', errorType: 'InvalidStateTransition' });
    await expect(server.whenReady()).resolves.toMatchObject({ kind: 'ready' });
  });

  test('403 for a second init error and for /next after one', async () => {
    const server = await start();
    await post(server, 'init/error', '{}');
    expect((await post(server, 'init/error', '{}')).status).toBe(403);
    const polled = await next(server);
    expect(polled.status).toBe(403);
    expect(json(polled)).toMatchObject({ errorType: 'InvalidStateTransition' });
  });

  test('without a usable header or body the type is Runtime.Unknown', async () => {
    const server = await start();
    await post(server, 'init/error', 'plain text', { 'Lambda-Runtime-Function-Error-Type': 'oops' });
    await expect(server.whenReady()).resolves.toMatchObject({ kind: 'init-error', report: { errorType: 'Runtime.Unknown', contentType: 'application/octet-stream' } });
  });
});

describe('abort', () => {
  test('settles the invoke as aborted; a late answer for it gets 400', async () => {
    const server = await start();
    const { outcome } = await deliver(server);
    server.abort(work().requestId, 'timeout');
    await expect(outcome).resolves.toEqual({ kind: 'aborted', reason: 'timeout' });
    expect((await post(server, `invocation/${work().requestId}/response`, '{}')).status).toBe(400);
  });

  test('an invoke aborted before the runtime polled is never handed out', async () => {
    const server = await start();
    const outcome = server.invoke(work());
    server.abort(work().requestId, 'crash');
    await expect(outcome).resolves.toMatchObject({ kind: 'aborted' });
    const polled = next(server);
    void server.invoke(work({ requestId: 'fresh' }));
    expect((await polled).headers['lambda-runtime-aws-request-id']).toBe('fresh');
  });

  test('another id is ignored', async () => {
    const server = await start();
    const { outcome } = await deliver(server);
    server.abort('someone-else', 'timeout');
    await post(server, `invocation/${work().requestId}/response`, '"still mine"');
    await expect(outcome).resolves.toMatchObject({ kind: 'response' });
  });
});

describe('other APIs', () => {
  test('the extensions API answers 404 with an empty body', async () => {
    const server = await start();
    const reply = await call(server, 'POST', '/2020-01-01/extension/register', '{"events":["INVOKE"]}', { 'Lambda-Extension-Name': 'ext' });
    expect(reply.status).toBe(404);
    expect(reply.body).toBe('');
    expect((await call(server, 'GET', '/2020-01-01/extension/event/next')).status).toBe(404);
  });

  test('logs and telemetry subscriptions get 202 with a NotSupported error type', async () => {
    const server = await start();
    const logs = await call(server, 'PUT', '/2020-08-15/logs', '{}');
    expect(logs.status).toBe(202);
    expect(json(logs)).toEqual({ errorMessage: 'Logs API is not supported', errorType: 'Logs.NotSupported' });
    const telemetry = await call(server, 'PUT', '/2022-07-01/telemetry', '{}');
    expect(json(telemetry)).toEqual({ errorMessage: 'Telemetry API is not supported', errorType: 'Telemetry.NotSupported' });
  });

  test('unknown paths get 404 and known paths with another method 405', async () => {
    const server = await start();
    expect((await call(server, 'GET', '/2018-06-01/runtime/restore/next')).status).toBe(404);
    expect((await call(server, 'POST', '/2018-06-01/runtime/invocation/next', '{}')).status).toBe(405);
  });
});
