import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { AwsEndpoint } from '../../http/aws-endpoint.ts';
import { BucketStore } from './bucket-store.ts';
import { claimsBucketRequest, createS3HttpHandler } from './s3-http-handler.ts';

let endpoint: AwsEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

/** The AWS endpoint with only S3 on it, as the S3 service registers it. */
async function serveS3(): Promise<{ url: string; store: BucketStore }> {
  const store = new BucketStore({ root: mkdtempSync(join(tmpdir(), 'lambdadesk-s3-claim-')) });
  await store.init();
  await store.createBucket('photos');
  endpoint = new AwsEndpoint({ host: '127.0.0.1', port: 0, region: 'us-east-1' });
  endpoint.register('s3', createS3HttpHandler({ store, region: 'us-east-1', now: () => 0, ready: async () => {}, changed: async () => {} }));
  endpoint.claimUnsigned('s3', claimsBucketRequest(store));
  await endpoint.listen();
  return { url: endpoint.url, store };
}

test('unsigned path-style requests to a bucket that exists are S3 (curl -T, then a plain GET)', async () => {
  const { url } = await serveS3();
  const put = await fetch(`${url}/photos/albums/cat.txt`, { method: 'PUT', body: 'meow', headers: { 'content-type': 'text/plain' } });
  expect(put.status).toBe(200);
  const get = await fetch(`${url}/photos/albums/cat.txt`);
  expect(await get.text()).toBe('meow');
  expect(get.headers.get('content-type')).toBe('text/plain');
  const list = await fetch(`${url}/photos?list-type=2`);
  expect(await list.text()).toContain('<Key>albums/cat.txt</Key>');
});

test('a bucket folder made by hand counts as soon as it is there', async () => {
  const { url, store } = await serveS3();
  expect((await fetch(`${url}/later/x.txt`, { method: 'PUT', body: 'x' })).headers.get('x-amzn-errortype')).toBe('UnknownServiceException');
  await store.createBucket('later');
  expect((await fetch(`${url}/later/x.txt`, { method: 'PUT', body: 'x' })).status).toBe(200);
});

test('bucket.localhost virtual-hosted requests are claimed by their bucket too', async () => {
  const { url } = await serveS3();
  const { port } = new URL(url);
  const status = await new Promise<number | undefined>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/note.txt', method: 'PUT', headers: { host: `photos.localhost:${port}` } }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.once('error', reject);
    req.end('hi');
  });
  expect(status).toBe(200);
  expect(await (await fetch(`${url}/photos/note.txt`)).text()).toBe('hi');
});

test('an unsigned request naming no existing bucket is not S3’s', async () => {
  const { url } = await serveS3();
  for (const path of ['/', '/missing/key', '/%E0%A4%A/key']) {
    const res = await fetch(`${url}${path}`);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownServiceException');
  }
});
