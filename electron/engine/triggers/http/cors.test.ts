import { expect, test } from 'vitest';
import { readHttpCors, readRestCors } from './cors-config.ts';
import { applyHttpCors, httpPreflight, restPreflight } from './cors.ts';
import type { GatewayRequest } from './gateway-request.ts';

const request = (method: string, headers: Array<[string, string]>): GatewayRequest => ({ method, rawPath: '/x', rawQuery: '', headers, body: Buffer.alloc(0), sourceIp: '127.0.0.1', protocol: 'HTTP/1.1', localPort: 3000 });

test('REST Cors: SAM\'s quoted values unquoted; methods default to the path\'s plus OPTIONS', () => {
  const cors = readRestCors({ AllowOrigin: "'https://a.example'", AllowHeaders: "'X-Y'", AllowCredentials: true })!;
  const response = restPreflight(cors, ['POST', 'GET']);
  expect(response.status).toBe(200);
  expect(response.headers).toEqual([
    ['Content-Type', 'application/json'],
    ['Access-Control-Allow-Origin', 'https://a.example'],
    ['Access-Control-Allow-Methods', 'GET,OPTIONS,POST'],
    ['Access-Control-Allow-Headers', 'X-Y'],
    ['Access-Control-Allow-Credentials', 'true'],
  ]);
  expect(restPreflight(readRestCors("'*'")!, ['ANY']).headers).toContainEqual(['Access-Control-Allow-Methods', 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT']);
});

test('HTTP CorsConfiguration: true allows everything; a listed origin is echoed with Vary', () => {
  const all = readHttpCors(true)!;
  const preflight = httpPreflight(all, request('OPTIONS', [['Origin', 'https://x.example'], ['Access-Control-Request-Method', 'PATCH'], ['Access-Control-Request-Headers', 'x-custom']]));
  expect(preflight.status).toBe(204);
  expect(preflight.headers).toContainEqual(['Access-Control-Allow-Origin', '*']);
  expect(preflight.headers).toContainEqual(['Access-Control-Allow-Headers', 'x-custom']);

  const listed = readHttpCors({ AllowOrigins: ['https://x.example'], AllowMethods: ['get'], AllowCredentials: true })!;
  expect(httpPreflight(listed, request('OPTIONS', [['Origin', 'https://x.example'], ['Access-Control-Request-Method', 'DELETE']])).headers).toEqual([]);
  const response = applyHttpCors(listed, request('GET', [['Origin', 'https://x.example']]), { status: 200, headers: [['access-control-allow-origin', 'https://evil.example']], body: Buffer.alloc(0) });
  expect(response.headers).toEqual([['Access-Control-Allow-Origin', 'https://x.example'], ['Access-Control-Allow-Credentials', 'true'], ['Vary', 'Origin']]);
});
