import { expect, test } from 'vitest';
import { isMalformed, type GatewayResponse, type MalformedResponse } from './gateway-response.ts';
import { mapResponseV1, type ResponseV1Options } from './rest-response.ts';

const REST: ResponseV1Options = { api: 'rest', binaryMediaTypes: ['image/png'] };
const map = (output: unknown, options: ResponseV1Options = REST) => mapResponseV1(Buffer.from(JSON.stringify(output)), options);
const ok = (value: GatewayResponse | MalformedResponse): GatewayResponse => {
  if (isMalformed(value)) throw new Error(value.malformed);
  return value;
};

test('statusCode, body and a default JSON content type', () => {
  const response = ok(map({ statusCode: 404, body: 'missing' }));
  expect(response.status).toBe(404);
  expect(response.body.toString()).toBe('missing');
  expect(response.headers).toContainEqual(['Content-Type', 'application/json']);
});

test('REST takes a missing statusCode as 200; an HTTP API with payload 1.0 does not', () => {
  expect(ok(map({ body: 'x' })).status).toBe(200);
  expect(map({ body: 'x' }, { api: 'http', binaryMediaTypes: [] })).toEqual({ malformed: expect.stringContaining('statusCode is missing') });
});

test('headers and multiValueHeaders merge; a value in both appears once', () => {
  const response = ok(map({ statusCode: 200, headers: { 'X-A': 'same', 'X-B': true }, multiValueHeaders: { 'x-a': ['same', 'other'] } }));
  expect(response.headers.filter(([name]) => name.toLowerCase() === 'x-a')).toEqual([['x-a', 'same'], ['x-a', 'other']]);
  expect(response.headers).toContainEqual(['X-B', 'true']);
});

test('REST refuses unknown keys, non-string bodies and unsendable header values', () => {
  expect(map({ statusCode: 200, cookies: [] })).toEqual({ malformed: expect.stringContaining('unexpected keys cookies') });
  expect(isMalformed(map({ statusCode: 200, body: 42 }))).toBe(true);
  expect(isMalformed(map({ statusCode: 200, headers: { 'X-A': 'line\nbreak' } }))).toBe(true);
  expect(isMalformed(map({ statusCode: 99 }))).toBe(true);
  expect(isMalformed(mapResponseV1(Buffer.from('not json'), REST))).toBe(true);
  expect(isMalformed(map([1, 2]))).toBe(true);
});

test('a base64 body is decoded only for a binary media type (response type, or the first Accept type)', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64');
  expect([...ok(map({ statusCode: 200, headers: { 'Content-Type': 'image/png' }, body: png, isBase64Encoded: true })).body]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  expect(ok(map({ statusCode: 200, headers: { 'Content-Type': 'application/octet-stream' }, body: png, isBase64Encoded: true })).body.toString()).toBe(png);
  expect([...ok(map({ statusCode: 200, headers: { 'Content-Type': 'application/octet-stream' }, body: png, isBase64Encoded: true }, { ...REST, accept: 'image/png, */*' })).body]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  expect(ok(map({ statusCode: 200, body: png, isBase64Encoded: true }, { ...REST, accept: '*/*' })).body.toString()).toBe(png);
});

test('REST renames the response headers it may not pass on', () => {
  const response = ok(map({ statusCode: 200, headers: { Server: 'mine', 'Content-Type': 'text/plain' } }));
  expect(response.headers).toContainEqual(['x-amzn-Remapped-Server', 'mine']);
  expect(response.headers).toContainEqual(['Content-Type', 'text/plain']);
});
