import { expect, test } from 'vitest';
import { isMalformed } from './gateway-response.ts';
import { mapResponseV2 } from './http-api-response.ts';

const map = (output: unknown) => mapResponseV2(Buffer.from(JSON.stringify(output)));

test('with statusCode: headers, one Set-Cookie per cookie, base64 decoded', () => {
  const response = map({ statusCode: 201, headers: { 'x-a': 1 }, cookies: ['a=1', 'b=2; Path=/'], body: Buffer.from('hi').toString('base64'), isBase64Encoded: true });
  if (isMalformed(response)) throw new Error(response.malformed);
  expect(response.status).toBe(201);
  expect(response.body.toString()).toBe('hi');
  expect(response.headers).toEqual([['x-a', '1'], ['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2; Path=/'], ['Content-Type', 'application/json']]);
});

test.each([[{ message: 'hi' }], ['text'], [42], [[1, 2]], [null]])('without statusCode %j is the body itself, 200, JSON', (output) => {
  const response = map(output);
  expect(response).toEqual({ status: 200, headers: [['Content-Type', 'application/json']], body: Buffer.from(JSON.stringify(output)) });
});

test('output that is not JSON, a bad status or cookies that are not a list are malformed', () => {
  expect(isMalformed(mapResponseV2(Buffer.from('<html>')))).toBe(true);
  expect(isMalformed(map({ statusCode: 'x' }))).toBe(true);
  expect(isMalformed(map({ statusCode: 200, cookies: 'a=1' }))).toBe(true);
  expect(isMalformed(map({ statusCode: 200, body: { a: 1 } }))).toBe(true);
});
