/**
 * The API Gateway emulation in front of real Docker sandboxes: a REST route, a binary body and a
 * Function URL, called with Debian's curl. The other http-*.test.ts files cover the rest with
 * process sandboxes, which run the same runtime client.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { HttpService } from '../../electron/engine/triggers/http/http-service.ts';
import { curl } from '../fixtures/http/curl.ts';
import { dockerAvailable } from './support/docker-required.ts';
import { REPO_ROOT, startEngine } from './support/engine-fixture.ts';

const hasDocker = await dockerAvailable();

describe.runIf(hasDocker)('HTTP routes in Docker', () => {
  let rest: Awaited<ReturnType<typeof startEngine>>;
  let urls: Awaited<ReturnType<typeof startEngine>>;
  beforeAll(async () => {
    rest = await startEngine(join(REPO_ROOT, 'test/fixtures/http/rest-api'), { sandbox: 'docker', apiPort: 0 });
    urls = await startEngine(join(REPO_ROOT, 'test/fixtures/http/function-url'), { sandbox: 'docker', apiPort: 0 });
    // Build the image before the tests, so no test pays for it.
    await rest.invoker.prepare(rest.model().functions[0]!);
  });
  afterAll(async () => {
    await rest?.stop();
    await urls?.stop();
  });

  test('a REST route answers with the event its container received', async () => {
    const res = await curl(`${(rest.services.get('http') as HttpService).url}/items/9?x=1`);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ resource: '/items/{id}', pathParameters: { id: '9' }, queryStringParameters: { x: '1' }, requestContext: { stage: 'dev' } });
    expect(rest.sandboxKind).toBe('docker');
  });

  test('a PNG body round-trips through a container', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(Array.from({ length: 1024 }, (_, i) => 255 - (i % 256)))]);
    const res = await curl(`${(rest.services.get('http') as HttpService).url}/upload`, { method: 'POST', headers: { 'Content-Type': 'image/png', Accept: 'image/png' }, data: png });
    expect(res.status).toBe(200);
    expect(res.body.equals(png)).toBe(true);
  });

  test('a Function URL by host name reaches its container', async () => {
    const url = (urls.services.get('http') as HttpService).routes().find((route) => route.functionName === 'Echo')!.hostUrl!;
    const res = await curl(`${url}hi`);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ rawPath: '/hi', routeKey: '$default' });
  });
});
