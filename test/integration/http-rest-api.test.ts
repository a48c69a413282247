/**
 * The API Gateway emulation for REST APIs (payload format 1.0), called with Debian's curl: the
 * event a function receives, response mapping, binary bodies, AWS's error answers, CORS and
 * Lambda authorizers. Functions run as host processes for speed; http-docker.test.ts runs the
 * same routes in Docker.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../electron/engine/clock.ts';
import type { InvocationRecord } from '../../electron/engine/contract.ts';
import type { HttpService } from '../../electron/engine/triggers/http/http-service.ts';
import { curl, keyShape } from '../fixtures/http/curl.ts';
import { REPO_ROOT, startEngine } from './support/engine-fixture.ts';

const PROJECT = join(REPO_ROOT, 'test/fixtures/http/rest-api');
const SAMPLE = JSON.parse(readFileSync(resolve(REPO_ROOT, '../shared/reference/sam-events/apigateway/AwsProxy.json'), 'utf8')) as Record<string, unknown>;
/** Maps whose keys are the request's own data, not the event's shape. */
const DATA_MAPS = new Set(['headers', 'multiValueHeaders', 'queryStringParameters', 'multiValueQueryStringParameters', 'pathParameters', 'stageVariables']);

type Started = Awaited<ReturnType<typeof startEngine>>;
type RestEvent = {
  body: string | null;
  resource: string;
  path: string;
  httpMethod: string;
  isBase64Encoded: boolean;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  requestContext: Record<string, unknown> & { identity: Record<string, unknown>; authorizer?: Record<string, unknown> };
};

let engine: Started;
let base: string;
const records: InvocationRecord[] = [];

const respond = (response: unknown) => curl(`${base}/respond`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, data: JSON.stringify(response) });

beforeAll(async () => {
  engine = await startEngine(PROJECT, { sandbox: 'process', apiPort: 0 });
  engine.invoker.events.on('invocations:finished', (record) => records.push(record));
  base = (engine.services.get('http') as HttpService).url;
});
afterAll(async () => {
  await engine?.stop();
});

describe('REST API routes', () => {
  test('routes() lists each route with the API, stage and local URL, the implicit API included', () => {
    const routes = (engine.services.get('http') as HttpService).routes();
    expect(routes).toContainEqual(expect.objectContaining({ kind: 'rest', api: 'ShopApi', stage: 'dev', method: 'GET', path: '/items/{id}', functionName: 'Echo', payloadFormatVersion: '1.0', url: `${base}/items/{id}` }));
    expect(routes).toContainEqual(expect.objectContaining({ kind: 'rest', api: 'ServerlessRestApi', stage: 'Prod', method: 'POST', path: '/hello', url: `${base}/hello` }));
    expect(routes).toContainEqual(expect.objectContaining({ path: '/guarded', auth: 'TokenAuth' }));
    expect(routes).toContainEqual(expect.objectContaining({ path: '/keyed', apiKeyRequired: true }));
  });

  test('summary() gives serve\'s banner: the address, then one line per route', () => {
    const summary = (engine.services.get('http') as HttpService).summary();
    expect(summary[0]).toBe(`API Gateway: ${base}   (REST and HTTP APIs, Function URLs)`);
    expect(summary).toContainEqual(expect.stringMatching(new RegExp(`^  GET +${base.replace(/[.]/g, '\\.')}/items/\\{id\\} +→ Echo  \\(REST API ShopApi, stage dev\\)$`)));
    expect(summary).toContainEqual(expect.stringContaining('/keyed'));
    expect(summary.find((line) => line.includes('/keyed'))).toContain('x-api-key required');
  });

  test('the event has exactly the keys of SAM\'s AwsProxy sample, requestContext and identity included', async () => {
    const res = await curl(`${base}/items/42?color=red&color=blue&plus=a+b`, { headers: [['X-Multi', 'one'], ['X-Multi', 'two']] });
    expect(res.status).toBe(200);
    const event = res.json<RestEvent>();
    expect(keyShape(event, DATA_MAPS)).toEqual(keyShape(SAMPLE, DATA_MAPS));
    expect(event).toMatchObject({
      resource: '/items/{id}',
      path: '/items/42',
      httpMethod: 'GET',
      body: null,
      isBase64Encoded: false,
      pathParameters: { id: '42' },
      stageVariables: { env: 'local' },
      // API Gateway keeps `+` as sent in query values.
      queryStringParameters: { color: 'blue', plus: 'a+b' },
      multiValueQueryStringParameters: { color: ['red', 'blue'], plus: ['a+b'] },
    });
    expect(event.headers['X-Multi']).toBe('two');
    expect(event.multiValueHeaders['X-Multi']).toEqual(['one', 'two']);
    expect(event.headers['X-Forwarded-Proto']).toBe('http');
    expect(event.requestContext).toMatchObject({ stage: 'dev', path: '/dev/items/42', resourcePath: '/items/{id}', httpMethod: 'GET', accountId: '123456789012', protocol: 'HTTP/1.1' });
    expect(event.requestContext.identity).toMatchObject({ sourceIp: '127.0.0.1', userAgent: expect.stringMatching(/^curl\//) });
    expect(event.requestContext.requestTime).toMatch(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
  });

  test('the implicit API has stage Prod, and a body that is not JSON reaches the function as sent', async () => {
    const res = await curl(`${base}/hello`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, data: '{not json' });
    expect(res.status).toBe(200);
    const event = res.json<RestEvent>();
    expect(event.body).toBe('{not json');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext.stage).toBe('Prod');
    expect(keyShape(event, DATA_MAPS)).toEqual(keyShape(SAMPLE, DATA_MAPS));
  });

  test('a greedy {proxy+} under ANY takes the rest of the path, for any method', async () => {
    const res = await curl(`${base}/files/a/b%20c/d.txt`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(res.json<RestEvent>()).toMatchObject({ resource: '/files/{proxy+}', httpMethod: 'DELETE', pathParameters: { proxy: 'a/b c/d.txt' } });
  });

  test('a path starting with the stage name, as copied from an AWS URL, reaches the same route', async () => {
    const res = await curl(`${base}/dev/items/7`);
    expect(res.status).toBe(200);
    expect(res.json<RestEvent>()).toMatchObject({ path: '/items/7', requestContext: { path: '/dev/items/7' } });
  });

  test('an unknown path or method is 403 Missing Authentication Token', async () => {
    for (const res of [await curl(`${base}/nothing-here`), await curl(`${base}/items/1`, { method: 'PUT' })]) {
      expect(res.status).toBe(403);
      expect(res.json()).toEqual({ message: 'Missing Authentication Token' });
      expect(res.header('x-amzn-ErrorType')).toBe('MissingAuthenticationTokenException');
    }
  });
});

describe('REST API bodies and responses', () => {
  test('a PNG body round-trips byte for byte through BinaryMediaTypes', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 37) % 256))]);
    const res = await curl(`${base}/upload`, { method: 'POST', headers: { 'Content-Type': 'image/png', Accept: 'image/png' }, data: png });
    expect(res.status).toBe(200);
    expect(res.header('content-type')).toBe('image/png');
    expect(res.body.equals(png)).toBe(true);
  });

  test('a type outside BinaryMediaTypes arrives as text, and a base64 response of that type stays base64 text', async () => {
    const res = await curl(`${base}/upload`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, data: 'hello' });
    expect(res.status).toBe(200);
    expect(res.text()).toBe(Buffer.from('hello').toString('base64'));
  });

  test('statusCode, headers merged with multiValueHeaders, and one Set-Cookie per value', async () => {
    const res = await respond({ statusCode: 201, headers: { 'X-One': '1', 'X-Two': 2 }, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'], 'X-One': ['1'] }, body: 'created' });
    expect(res.status).toBe(201);
    expect(res.text()).toBe('created');
    expect(res.headerValues('set-cookie')).toEqual(['a=1', 'b=2']);
    expect(res.headerValues('x-one')).toEqual(['1']);
    expect(res.header('x-two')).toBe('2');
    expect(res.header('content-type')).toBe('application/json');
  });

  test('headers a REST API does not pass on are remapped to x-amzn-Remapped-*', async () => {
    const res = await respond({ statusCode: 401, headers: { 'WWW-Authenticate': 'Bearer' }, body: '' });
    expect(res.status).toBe(401);
    expect(res.header('www-authenticate')).toBeUndefined();
    expect(res.header('x-amzn-Remapped-WWW-Authenticate')).toBe('Bearer');
  });

  test.each([
    ['a key a proxy response does not have', { statusCode: 200, body: 'x', extra: true }],
    ['a body that is not a string', { statusCode: 200, body: { not: 'a string' } }],
    ['a status that is not a number', { statusCode: 'ok' }],
    ['a string instead of an object', 'just text'],
  ])('%s is a malformed response: 502 Internal server error', async (_what, output) => {
    const res = await respond(output);
    expect(res.status).toBe(502);
    expect(res.json()).toEqual({ message: 'Internal server error' });
  });

  test('a function error is 502, and the engine goes on serving', async () => {
    const res = await curl(`${base}/boom`);
    expect(res.status).toBe(502);
    expect(res.json()).toEqual({ message: 'Internal server error' });
    const garbage = await curl(`${base}/respond`, { method: 'POST', data: 'not json at all' });
    expect(garbage.status).toBe(502);
    expect((await curl(`${base}/items/1`)).status).toBe(200);
  });

  test('a function timeout below the integration timeout is 504 Endpoint request timed out', async () => {
    const res = await curl(`${base}/short-timeout?ms=3000`);
    expect(res.status).toBe(504);
    expect(res.json()).toEqual({ message: 'Endpoint request timed out' });
    expect(records.find((r) => r.functionName === 'ShortTimeout')?.outcome).toBe('timeout');
  });

  test('a throttled function is 429', async () => {
    const [first, second] = await Promise.all([curl(`${base}/limited?ms=1500`), curl(`${base}/limited?ms=1500`)]);
    expect([first.status, second.status].sort()).toEqual([200, 429]);
    expect((first.status === 429 ? first : second).json()).toEqual({ message: 'Too Many Requests' });
  });
});

describe('REST API CORS', () => {
  test('OPTIONS answers with the Cors headers SAM would generate, listing the path\'s methods', async () => {
    const res = await curl(`${base}/items/1`, { method: 'OPTIONS', headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET' } });
    expect(res.status).toBe(200);
    expect(res.header('access-control-allow-origin')).toBe('https://app.example');
    expect(res.header('access-control-allow-methods')).toBe('GET,OPTIONS');
    expect(res.header('access-control-allow-headers')).toBe('Content-Type,Authorization');
    expect(res.header('access-control-max-age')).toBe('600');
  });

  test('the function\'s own responses get no CORS headers from a REST API', async () => {
    const res = await curl(`${base}/items/1`, { headers: { Origin: 'https://app.example' } });
    expect(res.status).toBe(200);
    expect(res.header('access-control-allow-origin')).toBeUndefined();
  });
});

describe('REST API authorization', () => {
  const authorizerCalls = (name: string) => records.filter((r) => r.trigger === `http:authorizer ${name}`).length;

  test('TOKEN authorizer: no token is 401 without calling it', async () => {
    const before = authorizerCalls('TokenAuth');
    const res = await curl(`${base}/guarded`);
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ message: 'Unauthorized' });
    expect(authorizerCalls('TokenAuth')).toBe(before);
  });

  test('TOKEN authorizer: a token failing ValidationExpression is 401 without calling it', async () => {
    const before = authorizerCalls('TokenAuth');
    expect((await curl(`${base}/guarded`, { headers: { Authorization: 'nonsense' } })).status).toBe(401);
    expect(authorizerCalls('TokenAuth')).toBe(before);
  });

  test('TOKEN authorizer: Allow passes the context (as text) and principalId into requestContext.authorizer', async () => {
    const res = await curl(`${base}/guarded`, { headers: { Authorization: 'allow-1' } });
    expect(res.status).toBe(200);
    expect(res.json<RestEvent>().requestContext.authorizer).toEqual({ tenant: 'acme', level: '3', admin: 'true', principalId: 'user-1', integrationLatency: expect.any(Number) });
  });

  test('TOKEN authorizer: Deny is 403, a thrown Unauthorized is 401, a malformed answer is 500', async () => {
    const deny = await curl(`${base}/guarded`, { headers: { Authorization: 'deny-1' } });
    expect([deny.status, deny.json()]).toEqual([403, { message: 'User is not authorized to access this resource' }]);
    const unauthorized = await curl(`${base}/guarded`, { headers: { Authorization: 'unauthorized-1' } });
    expect([unauthorized.status, unauthorized.json()]).toEqual([401, { message: 'Unauthorized' }]);
    const broken = await curl(`${base}/guarded`, { headers: { Authorization: 'broken-1' } });
    expect([broken.status, broken.json()]).toEqual([500, { message: null }]);
  });

  test('TOKEN authorizer: the policy is cached per token and evaluated again for each method ARN', async () => {
    const before = authorizerCalls('TokenAuth');
    expect((await curl(`${base}/guarded`, { headers: { Authorization: 'allow-cache' } })).status).toBe(200);
    expect((await curl(`${base}/guarded`, { headers: { Authorization: 'allow-cache' } })).status).toBe(200);
    expect(authorizerCalls('TokenAuth')).toBe(before + 1);
    // The cached policy names /guarded only, so /guarded/other is denied, as on AWS.
    expect((await curl(`${base}/guarded/other`, { headers: { Authorization: 'allow-cache' } })).status).toBe(403);
    expect(authorizerCalls('TokenAuth')).toBe(before + 1);
  });

  test('REQUEST authorizer: a missing identity header is 401; its event is the REQUEST shape', async () => {
    expect((await curl(`${base}/by-request`)).status).toBe(401);
    expect((await curl(`${base}/by-request`, { headers: { 'X-Api-Token': 'wrong' } })).status).toBe(403);
    const res = await curl(`${base}/by-request?q=1`, { headers: { 'X-Api-Token': 'letmein' } });
    expect(res.status).toBe(200);
    const { authorizer } = res.json<RestEvent>().requestContext;
    expect(authorizer).toMatchObject({ principalId: 'request-user', eventType: 'REQUEST' });
    expect(String(authorizer?.eventKeys).split(',')).toEqual(
      ['headers', 'httpMethod', 'methodArn', 'multiValueHeaders', 'multiValueQueryStringParameters', 'path', 'pathParameters', 'queryStringParameters', 'requestContext', 'resource', 'stageVariables', 'type'],
    );
  });

  test('AWS_IAM: an unsigned call is 403 Missing Authentication Token; a SigV4-signed one passes with its access key', async () => {
    const unsigned = await curl(`${base}/signed`);
    expect([unsigned.status, unsigned.json()]).toEqual([403, { message: 'Missing Authentication Token' }]);
    const signature = 'AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=abc';
    const signed = await curl(`${base}/signed`, { headers: { Authorization: signature } });
    expect(signed.status).toBe(200);
    expect(signed.json<RestEvent>().requestContext.identity).toMatchObject({ accessKey: 'AKIDLOCAL', accountId: '123456789012' });
  });

  test('ApiKeyRequired: no x-api-key is 403 Forbidden', async () => {
    const res = await curl(`${base}/keyed`);
    expect([res.status, res.json()]).toEqual([403, { message: 'Forbidden' }]);
    expect((await curl(`${base}/keyed`, { headers: { 'x-api-key': 'local-key' } })).status).toBe(200);
  });
});

describe('REST API integration timeout', () => {
  test('past 29 s of the clock the client gets 504 while the function is still running', async () => {
    const clock = new ManualClock(Date.now());
    const slowEngine = await startEngine(PROJECT, { sandbox: 'process', apiPort: 0, clock });
    try {
      const finished: InvocationRecord[] = [];
      slowEngine.invoker.events.on('invocations:finished', (record) => finished.push(record));
      const started = new Promise<void>((resolveStarted) =>
        slowEngine.invoker.events.on('logs:appended', (log) => log.functionName === 'Slow' && log.line.startsWith('START') && resolveStarted()),
      );
      const pending = curl(`${(slowEngine.services.get('http') as HttpService).url}/slow?ms=60000`);
      await started;
      await clock.advance(29_000);
      const res = await pending;
      expect(res.status).toBe(504);
      expect(res.json()).toEqual({ message: 'Endpoint request timed out' });
      expect(finished.filter((record) => record.functionName === 'Slow')).toEqual([]);
    } finally {
      await slowEngine.stop();
    }
  });
});

describe('REST API robustness', () => {
  test('odd request targets, a body over 10 MB and a request Node cannot parse all get answers, and serving goes on', async () => {
    expect((await curl(base, { method: 'OPTIONS', extraArgs: ['--request-target', '*'] })).status).toBe(403);
    expect((await curl(base, { extraArgs: ['--request-target', `${base}/items/3`] })).json<RestEvent>().path).toBe('/items/3');
    const tooLong = await curl(`${base}/hello`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, data: Buffer.alloc(10 * 1024 * 1024 + 1) });
    expect([tooLong.status, tooLong.json()]).toEqual([413, { message: 'Request Too Long' }]);
    const raw = await new Promise<string>((resolveRaw) => {
      const socket = connect(Number(new URL(base).port), '127.0.0.1', () => socket.end('GET /items/1 HTTP/1.1\r\nHost: x\r\nNot a header\r\n\r\n'));
      let reply = '';
      socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
      socket.on('close', () => resolveRaw(reply));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect((await curl(`${base}/items/1`)).status).toBe(200);
  });

  test('a route added to template.yaml is served without a restart', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lambdadesk-http-reload-'));
    cpSync(join(REPO_ROOT, 'test/fixtures/http/rest-api'), join(root, 'rest-api'), { recursive: true });
    cpSync(join(REPO_ROOT, 'test/fixtures/http/handlers'), join(root, 'handlers'), { recursive: true });
    const reloading = await startEngine(join(root, 'rest-api'), { sandbox: 'process', apiPort: 0, watch: true });
    try {
      const url = `${(reloading.services.get('http') as HttpService).url}/added`;
      expect((await curl(url)).status).toBe(403);
      const template = join(root, 'rest-api/template.yaml');
      writeFileSync(template, readFileSync(template, 'utf8').replace('        GetItem:\n', '        Added:\n          Type: Api\n          Properties: { RestApiId: !Ref ShopApi, Path: /added, Method: get }\n        GetItem:\n'));
      let status = 403;
      for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await curl(url)).status;
      }
      expect(status).toBe(200);
    } finally {
      await reloading.stop();
    }
  });

  test('a busy API port does not stop the engine: routes wait, the reason is given, a reload retries', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const blocked = await startEngine(PROJECT, { sandbox: 'process', apiPort: port });
    try {
      const http = blocked.services.get('http') as HttpService;
      expect(http.listening).toBe(false);
      expect(http.unavailable).toEqual({ message: `The API Gateway emulation cannot listen on 127.0.0.1:${port}: the port is in use.`, fix: expect.stringContaining('--api-port') });
      expect(http.problems()).toContainEqual(http.unavailable);
      expect(http.summary()[0]).toBe(`API Gateway: not listening on 127.0.0.1:${port} (see the warning below)`);
      expect((await blocked.invoker.invoke({ functionName: 'Echo', payload: '{}' })).record.outcome).toBe('success');
      await new Promise<void>((r) => blocker.close(() => r()));
      await blocked.reload();
      expect([http.listening, http.unavailable]).toEqual([true, undefined]);
      expect((await curl(`${http.url}/items/1`)).status).toBe(200);
    } finally {
      blocker.close();
      await blocked.stop();
    }
  });
});
