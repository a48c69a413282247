import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import type { GatewayRequest } from './gateway-request.ts';
import { buildHttpApiEvent } from './http-api-event.ts';
import { buildRestEvent } from './rest-event.ts';

const SAMPLES = resolve(import.meta.dirname, '../../../../../shared/reference/sam-events/apigateway');
const sample = (name: string) => JSON.parse(readFileSync(resolve(SAMPLES, name), 'utf8')) as Record<string, unknown>;
const DATA = new Set(['headers', 'multiValueHeaders', 'queryStringParameters', 'multiValueQueryStringParameters', 'pathParameters', 'stageVariables', 'cookies', 'requestContext.authorizer.jwt.claims', 'requestContext.authorizer.jwt.scopes']);

/** Every key path of an object, not descending into maps whose keys are request data. */
function shape(value: unknown, path = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value)
    .flatMap(([key, child]) => {
      const here = path ? `${path}.${key}` : key;
      return [here, ...(DATA.has(here) ? [] : shape(child, here))];
    })
    .sort();
}

const request: GatewayRequest = {
  method: 'POST',
  rawPath: '/items/42',
  rawQuery: 'a=1&a=2',
  headers: [['Host', 'localhost:3000'], ['Content-Type', 'image/png'], ['Cookie', 'x=1; y=2'], ['User-Agent', 'test']],
  body: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
  sourceIp: '127.0.0.1',
  protocol: 'HTTP/1.1',
  localPort: 3000,
};
const common = { request, pathParameters: { id: '42' }, stage: 'dev', stageVariables: { env: 'local' }, apiId: 'abc', accountId: '123456789012', requestId: 'r', epochMs: Date.UTC(2026, 0, 2, 3, 4, 5), trace: 'Root=1-0-0' };

test('payload 1.0 has the AwsProxy sample\'s keys, and a binary body is base64', () => {
  const event = buildRestEvent({ ...common, resource: '/items/{id}', path: '/items/42', bodyIsBinary: true, contextPath: '/dev/items/42' });
  expect(shape(event)).toEqual(shape(sample('AwsProxy.json')));
  expect(event).toMatchObject({ body: 'iVBORw==', isBase64Encoded: true, multiValueQueryStringParameters: { a: ['1', '2'] }, requestContext: { requestTime: '02/Jan/2026:03:04:05 +0000', requestTimeEpoch: Date.UTC(2026, 0, 2, 3, 4, 5) } });
});

test('payload 2.0 has the HttpApi sample\'s keys once an authorizer is added (mutual TLS aside)', () => {
  const event = buildHttpApiEvent({ ...common, routeKey: 'POST /items/{id}', rawPath: '/items/42', domainName: 'localhost', domainPrefix: 'localhost' });
  event.requestContext.authorizer = { jwt: { claims: { sub: 'u' }, scopes: ['s'] } };
  expect(shape(event)).toEqual(shape(sample('HttpApi.json')).filter((key) => !key.startsWith('requestContext.authentication')));
  expect(event).toMatchObject({ cookies: ['x=1', 'y=2'], queryStringParameters: { a: '1,2' }, isBase64Encoded: true, body: 'iVBORw==' });
  expect(event.headers).not.toHaveProperty('cookie');
});
