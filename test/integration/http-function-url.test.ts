/**
 * Function URLs on the API port, reached by path prefix and by host name with Debian's curl,
 * plus an HTTP API with a named stage and a `$default` route in the same project.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { HttpService } from '../../electron/engine/triggers/http/http-service.ts';
import type { HttpRouteInfo } from '../../electron/engine/triggers/http/route-info.ts';
import { curl, keyShape } from '../fixtures/http/curl.ts';
import { REPO_ROOT, startEngine } from './support/engine-fixture.ts';

const PROJECT = join(REPO_ROOT, 'test/fixtures/http/function-url');
const SAMPLE = JSON.parse(readFileSync(resolve(REPO_ROOT, '../shared/reference/sam-events/apigateway/HttpApi.json'), 'utf8')) as Record<string, unknown>;
const DATA_MAPS = new Set(['headers', 'queryStringParameters', 'pathParameters', 'stageVariables', 'cookies']);

type UrlEvent = {
  rawPath: string;
  rawQueryString: string;
  routeKey: string;
  body?: string;
  requestContext: Record<string, unknown> & { http: Record<string, string>; authorizer?: Record<string, Record<string, unknown>> };
};

let engine: Awaited<ReturnType<typeof startEngine>>;
let base: string;
let echoUrl: HttpRouteInfo;

beforeAll(async () => {
  engine = await startEngine(PROJECT, { sandbox: 'process', apiPort: 0 });
  const http = engine.services.get('http') as HttpService;
  base = http.url;
  echoUrl = http.routes().find((route) => route.kind === 'function-url' && route.functionName === 'Echo')!;
});
afterAll(async () => {
  await engine?.stop();
});

describe('Function URLs', () => {
  test('routes() gives each URL by path and by host name', () => {
    expect(echoUrl).toMatchObject({ kind: 'function-url', method: 'ANY', path: '/*', payloadFormatVersion: '2.0', url: `${base}/__function_url/Echo/` });
    expect(echoUrl.hostUrl).toMatch(new RegExp(`^http://[a-z0-9]{32}\\.lambda-url\\.us-east-1\\.localhost:${new URL(base).port}/$`));
    const privateUrl = (engine.services.get('http') as HttpService).routes().find((route) => route.functionName === 'Private');
    expect(privateUrl).toMatchObject({ kind: 'function-url', auth: 'AWS_IAM' });
  });

  test('by path prefix: the function sees the path after the prefix, in the HttpApi sample\'s shape less path parameters and stage variables', async () => {
    const res = await curl(`${base}/__function_url/Echo/some/path?q=1`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: 'c=3' }, data: '{"x":1}' });
    expect(res.status).toBe(200);
    const event = res.json<UrlEvent>();
    const sample = keyShape(SAMPLE, DATA_MAPS).filter((key) => !['pathParameters', 'stageVariables'].includes(key) && !/^requestContext\.(authentication|authorizer)/.test(key));
    expect(keyShape(event, DATA_MAPS)).toEqual(sample);
    const urlId = new URL(echoUrl.hostUrl!).hostname.split('.')[0];
    expect(event).toMatchObject({ rawPath: '/some/path', rawQueryString: 'q=1', routeKey: '$default', body: '{"x":1}', requestContext: { apiId: urlId, stage: '$default', routeKey: '$default' } });
    expect(event.requestContext.http).toMatchObject({ method: 'POST', path: '/some/path' });
  });

  test('by host name: the path is exactly as on AWS', async () => {
    const host = new URL(echoUrl.hostUrl!).host;
    const res = await curl(`http://${host}/a/b?z=9`, { resolve: `${host}:127.0.0.1` });
    expect(res.status).toBe(200);
    const event = res.json<UrlEvent>();
    expect(event).toMatchObject({ rawPath: '/a/b', rawQueryString: 'z=9', requestContext: { domainName: host.split(':')[0], domainPrefix: host.split('.')[0] } });
  });

  test('CORS: the URL answers preflights and sets the configured headers', async () => {
    const preflight = await curl(`${base}/__function_url/Echo/`, { method: 'OPTIONS', headers: { Origin: 'https://site.example', 'Access-Control-Request-Method': 'PUT' } });
    expect(preflight.status).toBe(204);
    expect(preflight.header('access-control-allow-origin')).toBe('*');
    const res = await curl(`${base}/__function_url/Echo/`, { headers: { Origin: 'https://site.example' } });
    expect(res.header('access-control-allow-origin')).toBe('*');
    expect(res.header('access-control-expose-headers')).toBe('x-request-cost');
  });

  test('AWS_IAM: an unsigned call is 403 {"Message":"Forbidden"}; a signed one carries authorizer.iam', async () => {
    const unsigned = await curl(`${base}/__function_url/Private/`);
    expect([unsigned.status, unsigned.json()]).toEqual([403, { Message: 'Forbidden' }]);
    const signature = 'AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=abc';
    const signed = await curl(`${base}/__function_url/Private/`, { headers: { Authorization: signature } });
    expect(signed.status).toBe(200);
    expect(signed.json<UrlEvent>().requestContext.authorizer?.iam).toMatchObject({ accessKey: 'AKIDLOCAL', accountId: '123456789012' });
  });

  test('responses map as payload 2.0; a function error is 502; an unknown URL is 404', async () => {
    const object = await curl(`${base}/__function_url/Respond/`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, data: '{"ok":true}' });
    expect([object.status, object.text()]).toEqual([200, '{"ok":true}']);
    const error = await curl(`${base}/__function_url/Thrower/`);
    expect([error.status, error.json()]).toEqual([502, { message: 'Internal server error' }]);
    expect((await curl(`${base}/__function_url/Nobody/`)).status).toBe(404);
  });
});

describe('an HTTP API with a named stage and a $default route', () => {
  test('$default catches every path, and rawPath carries the stage name as on AWS', async () => {
    for (const path of ['/anything/here', '/beta/anything/here']) {
      const event = (await curl(`${base}${path}`)).json<UrlEvent>();
      expect(event).toMatchObject({ routeKey: '$default', rawPath: '/beta/anything/here', requestContext: { stage: 'beta', routeKey: '$default' } });
    }
  });
});
