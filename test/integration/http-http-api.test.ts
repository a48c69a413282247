/**
 * The API Gateway emulation for HTTP APIs (payload format 2.0, and 1.0 where declared), called
 * with Debian's curl: event shapes against SAM's samples, response mapping, CORS, Lambda and
 * JWT authorizers, and AWS's error answers.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { HttpService } from '../../electron/engine/triggers/http/http-service.ts';
import { curl, keyShape } from '../fixtures/http/curl.ts';
import { REPO_ROOT, startEngine } from './support/engine-fixture.ts';

const PROJECT = join(REPO_ROOT, 'test/fixtures/http/http-api');
const SAMPLES = resolve(REPO_ROOT, '../shared/reference/sam-events/apigateway');
const HTTP_SAMPLE = JSON.parse(readFileSync(join(SAMPLES, 'HttpApi.json'), 'utf8')) as Record<string, unknown> & { requestContext: Record<string, unknown> };
const REST_SAMPLE = JSON.parse(readFileSync(join(SAMPLES, 'AwsProxy.json'), 'utf8')) as Record<string, unknown>;
const DATA_MAPS = new Set(['headers', 'multiValueHeaders', 'queryStringParameters', 'multiValueQueryStringParameters', 'pathParameters', 'stageVariables', 'cookies', 'requestContext.authorizer.jwt.claims', 'requestContext.authorizer.jwt.scopes']);

type HttpEvent = {
  version: string;
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  pathParameters?: Record<string, string>;
  stageVariables?: Record<string, string>;
  body?: string;
  isBase64Encoded: boolean;
  requestContext: Record<string, unknown> & { http: Record<string, string>; authorizer?: Record<string, unknown> };
};

let engine: Awaited<ReturnType<typeof startEngine>>;
let base: string;

const respond = (response: unknown, path = '/respond') => curl(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, data: JSON.stringify(response) });

/** A JWT as an identity provider would sign it; the emulation checks everything but the signature. */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT', kid: 'local' })}.${part(claims)}.c2lnbmF0dXJl`;
}
const validClaims = () => ({ iss: 'https://issuer.example', aud: 'lambdadesk', sub: 'user-7', exp: Math.floor(Date.now() / 1000) + 3600, scope: 'things/read profile' });

/** The sample's requestContext keys, less `authentication`: AWS sends it only with mutual TLS, which a local HTTP port cannot offer. */
function withoutMtls(shape: string[]): string[] {
  return shape.filter((key) => !key.startsWith('requestContext.authentication'));
}

beforeAll(async () => {
  engine = await startEngine(PROJECT, { sandbox: 'process', apiPort: 0 });
  base = (engine.services.get('http') as HttpService).url;
});
afterAll(async () => {
  await engine?.stop();
});

describe('HTTP API events', () => {
  test('routes() lists HTTP API routes with their payload format', () => {
    const routes = (engine.services.get('http') as HttpService).routes();
    expect(routes).toContainEqual(expect.objectContaining({ kind: 'http', api: 'ThingsApi', stage: '$default', method: 'GET', path: '/things/{id}', payloadFormatVersion: '2.0', url: `${base}/things/{id}` }));
    expect(routes).toContainEqual(expect.objectContaining({ kind: 'http', method: 'POST', path: '/v1/things', payloadFormatVersion: '1.0' }));
    expect(routes).toContainEqual(expect.objectContaining({ kind: 'http', api: 'ServerlessHttpApi', method: 'ANY', path: '/hello' }));
  });

  test('payload 2.0 has the keys of SAM\'s HttpApi sample; cookies apart from headers, repeated query values joined', async () => {
    const res = await curl(`${base}/things/7?x=1&x=2&y=3`, {
      method: 'GET',
      headers: [['Content-Type', 'application/json'], ['Cookie', 'a=1; b=2'], ['X-Multi', 'one'], ['X-Multi', 'two']],
      data: '{"k":1}',
    });
    expect(res.status).toBe(200);
    const event = res.json<HttpEvent>();
    const sampleShape = withoutMtls(keyShape(HTTP_SAMPLE, DATA_MAPS)).filter((key) => !key.startsWith('requestContext.authorizer'));
    expect(keyShape(event, DATA_MAPS)).toEqual(sampleShape);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /things/{id}',
      rawPath: '/things/7',
      rawQueryString: 'x=1&x=2&y=3',
      cookies: ['a=1', 'b=2'],
      queryStringParameters: { x: '1,2', y: '3' },
      pathParameters: { id: '7' },
      stageVariables: { env: 'local' },
      body: '{"k":1}',
      isBase64Encoded: false,
    });
    expect(event.headers['x-multi']).toBe('one,two');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.requestContext).toMatchObject({ routeKey: 'GET /things/{id}', stage: '$default', accountId: '123456789012', domainName: '127.0.0.1', domainPrefix: '127' });
    expect(event.requestContext.http).toEqual({ method: 'GET', path: '/things/7', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: expect.stringMatching(/^curl\//) });
  });

  test('optional members are left out when the request has nothing for them', async () => {
    const event = (await curl(`${base}/hello`)).json<HttpEvent>();
    expect(Object.keys(event).sort()).toEqual(['headers', 'isBase64Encoded', 'rawPath', 'rawQueryString', 'requestContext', 'routeKey', 'version']);
    expect(event.requestContext.stage).toBe('$default');
  });

  test('PayloadFormatVersion 1.0 on the event gives the AwsProxy shape plus version', async () => {
    const res = await curl(`${base}/v1/things`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, data: '{"a":1}' });
    expect(res.status).toBe(200);
    const event = res.json<{ version: string; body: string; resource: string; requestContext: Record<string, unknown> }>();
    expect(keyShape(event, DATA_MAPS)).toEqual([...keyShape(REST_SAMPLE, DATA_MAPS), 'version'].sort());
    expect(event).toMatchObject({ version: '1.0', resource: '/v1/things', body: '{"a":1}', requestContext: { stage: '$default', resourceId: 'POST /v1/things' } });
  });

  test('a form post or an untyped body arrives base64-encoded, as HTTP APIs send non-text types', async () => {
    const form = (await curl(`${base}/hello`, { method: 'POST', data: 'a=b&c=d' })).json<HttpEvent>();
    expect(form.isBase64Encoded).toBe(true);
    expect(Buffer.from(form.body!, 'base64').toString()).toBe('a=b&c=d');
  });

  test('a PNG body round-trips byte for byte', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 251) % 256))]);
    const res = await curl(`${base}/upload`, { method: 'POST', headers: { 'Content-Type': 'image/png' }, data: png });
    expect(res.status).toBe(200);
    expect(res.header('content-type')).toBe('image/png');
    expect(res.body.equals(png)).toBe(true);
  });
});

describe('HTTP API responses and errors', () => {
  test('statusCode with cookies[]: one Set-Cookie per cookie', async () => {
    const res = await respond({ statusCode: 201, cookies: ['a=1; Path=/', 'b=2'], headers: { 'x-h': 'v' }, body: 'made' });
    expect(res.status).toBe(201);
    expect(res.headerValues('set-cookie')).toEqual(['a=1; Path=/', 'b=2']);
    expect(res.header('x-h')).toBe('v');
    expect(res.text()).toBe('made');
  });

  test('without statusCode the whole value is the body, 200, as JSON', async () => {
    const object = await respond({ hello: 'world' });
    expect([object.status, object.header('content-type'), object.text()]).toEqual([200, 'application/json', '{"hello":"world"}']);
    const text = await respond('plain');
    expect([text.status, text.text()]).toEqual([200, '"plain"']);
  });

  test('isBase64Encoded bodies are decoded', async () => {
    const res = await respond({ statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([0, 1, 2, 255]).toString('base64'), isBase64Encoded: true });
    expect([...res.body]).toEqual([0, 1, 2, 255]);
  });

  test('a malformed 2.0 response, or a 1.0 response without statusCode, is 502', async () => {
    expect((await respond({ statusCode: 'abc' })).status).toBe(502);
    expect((await respond({ statusCode: 200, headers: { 'x-bad': { nested: true } } })).status).toBe(502);
    const noStatus = await respond({ body: 'x' }, '/respond-v1');
    expect([noStatus.status, noStatus.json()]).toEqual([502, { message: 'Internal server error' }]);
    expect((await respond({ statusCode: 202, body: 'x', extra: 1 }, '/respond-v1')).status).toBe(202);
  });

  test('an unknown route or method is 404 Not Found', async () => {
    for (const res of [await curl(`${base}/nothing`), await curl(`${base}/things/1`, { method: 'DELETE' })]) {
      expect([res.status, res.json()]).toEqual([404, { message: 'Not Found' }]);
      expect(res.header('apigw-requestid')).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  test('a function error is 502', async () => {
    const res = await curl(`${base}/boom`);
    expect([res.status, res.json()]).toEqual([502, { message: 'Internal server error' }]);
  });

  test('past the route\'s TimeoutInMillis the client gets 504', async () => {
    const res = await curl(`${base}/slow?ms=5000`);
    expect([res.status, res.json()]).toEqual([504, { message: 'Endpoint request timed out' }]);
  });

  test('a path with a broken escape still gets an answer, and the next request is served', async () => {
    expect((await curl(`${base}/things/%E0%A4%A`)).status).toBe(200);
    expect((await curl(`${base}/things/ok`)).status).toBe(200);
  });
});

describe('HTTP API CORS', () => {
  const preflight = (path: string, origin: string) => curl(`${base}${path}`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' } });

  test('a preflight from an allowed origin is 204 with the configuration\'s headers, even where no route is', async () => {
    for (const path of ['/things/1', '/no/route/here']) {
      const res = await preflight(path, 'https://app.example');
      expect(res.status).toBe(204);
      expect(res.header('access-control-allow-origin')).toBe('https://app.example');
      expect(res.header('access-control-allow-methods')).toBe('GET,POST');
      expect(res.header('access-control-allow-headers')).toBe('content-type,authorization');
      expect(res.header('access-control-max-age')).toBe('300');
    }
  });

  test('a preflight from another origin gets no CORS headers', async () => {
    const res = await preflight('/things/1', 'https://evil.example');
    expect(res.status).toBe(204);
    expect(res.header('access-control-allow-origin')).toBeUndefined();
  });

  test('responses carry the configured CORS headers', async () => {
    const res = await curl(`${base}/things/1`, { headers: { Origin: 'https://app.example' } });
    expect(res.header('access-control-allow-origin')).toBe('https://app.example');
    expect(res.header('access-control-expose-headers')).toBe('x-request-cost');
  });
});

describe('HTTP API authorizers', () => {
  test('simple responses: no identity 401, isAuthorized false 403, true passes its context as authorizer.lambda', async () => {
    const none = await curl(`${base}/simple`);
    expect([none.status, none.json()]).toEqual([401, { message: 'Unauthorized' }]);
    const bad = await curl(`${base}/simple`, { headers: { Authorization: 'Bearer bad' } });
    expect([bad.status, bad.json()]).toEqual([403, { message: 'Forbidden' }]);
    const good = await curl(`${base}/simple`, { headers: { Authorization: 'Bearer good' } });
    expect(good.status).toBe(200);
    expect(good.json<HttpEvent>().requestContext.authorizer).toEqual({ lambda: { user: 'ada', routeKey: 'GET /simple', version: '2.0', n: 1 } });
  });

  test('IAM policy responses are evaluated against the route ARN', async () => {
    expect((await curl(`${base}/policy`, { headers: { Authorization: 'Bearer bad' } })).status).toBe(403);
    const good = await curl(`${base}/policy`, { headers: { Authorization: 'Bearer good' } });
    expect(good.status).toBe(200);
    expect(good.json<HttpEvent>().requestContext.authorizer).toEqual({ lambda: { user: 'grace' } });
  });

  test('JWT: a valid token passes its claims and scopes; the event then has the sample\'s whole requestContext', async () => {
    const res = await curl(`${base}/jwt`, { headers: { Authorization: `Bearer ${jwt(validClaims())}` } });
    expect(res.status).toBe(200);
    const event = res.json<HttpEvent>();
    const shape = (value: unknown) => keyShape(value, DATA_MAPS).filter((key) => key.startsWith('requestContext'));
    expect(shape(event)).toEqual(withoutMtls(shape(HTTP_SAMPLE)));
    expect(event.requestContext.authorizer).toEqual({ jwt: { claims: expect.objectContaining({ sub: 'user-7', iss: 'https://issuer.example', aud: 'lambdadesk' }), scopes: ['things/read', 'profile'] } });
  });

  test('JWT: expired, wrong audience or no token is 401; missing the route\'s scope is 403', async () => {
    const expired = await curl(`${base}/jwt`, { headers: { Authorization: `Bearer ${jwt({ ...validClaims(), exp: 1_000 })}` } });
    expect([expired.status, expired.json()]).toEqual([401, { message: 'Unauthorized' }]);
    expect((await curl(`${base}/jwt`, { headers: { Authorization: `Bearer ${jwt({ ...validClaims(), aud: 'someone-else' })}` } })).status).toBe(401);
    expect((await curl(`${base}/jwt`)).status).toBe(401);
    const scope = await curl(`${base}/jwt-write`, { headers: { Authorization: `Bearer ${jwt(validClaims())}` } });
    expect([scope.status, scope.json()]).toEqual([403, { message: 'Forbidden' }]);
  });
});
