import { afterEach, expect, test } from 'vitest';
import { AwsEndpoint } from './aws-endpoint.ts';
import { readBody } from './aws-request.ts';

let endpoint: AwsEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

/** An endpoint whose services answer with their name and the body they read. */
async function start(services: string[]): Promise<AwsEndpoint> {
  endpoint = new AwsEndpoint({ host: '127.0.0.1', port: 0, region: 'us-east-1' });
  for (const service of services) {
    endpoint.register(service, async (req, res) => {
      const body = (await readBody(req, 1024)).toString('utf8');
      res.end(JSON.stringify({ service, body }));
    });
  }
  await endpoint.listen();
  return endpoint;
}

test('an unsigned request a service claims goes to it, with its body unread', async () => {
  const aws = await start(['s3', 'sqs']);
  const seen: string[] = [];
  aws.claimUnsigned('s3', (req, url) => {
    seen.push(`${req.method} ${url.pathname}`);
    return url.pathname.startsWith('/uploads/');
  });
  const res = await fetch(`${aws.url}/uploads/a.txt`, { method: 'PUT', body: 'hello' });
  expect(await res.json()).toEqual({ service: 's3', body: 'hello' });
  expect(seen).toEqual(['PUT /uploads/a.txt']);
});

test('claims are asked in registration order and may answer asynchronously', async () => {
  const aws = await start(['first', 'second']);
  aws.claimUnsigned('first', async () => false);
  aws.claimUnsigned('second', async () => true);
  const res = await fetch(`${aws.url}/anything`, { method: 'POST', body: 'x' });
  expect(await res.json()).toEqual({ service: 'second', body: 'x' });
});

test('a request its shape places never reaches the claims', async () => {
  const aws = await start(['s3', 'sqs']);
  aws.claimUnsigned('s3', () => true);
  const res = await fetch(`${aws.url}/123456789012/orders`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=SendMessage&MessageBody=hi' });
  expect(await res.json()).toEqual({ service: 'sqs', body: 'Action=SendMessage&MessageBody=hi' });
});

test('an unsigned request nobody claims gets UnknownServiceException', async () => {
  const aws = await start(['s3']);
  aws.claimUnsigned('s3', () => false);
  const res = await fetch(`${aws.url}/nowhere/key`, { method: 'PUT', body: 'x' });
  expect(res.status).toBe(400);
  expect(res.headers.get('x-amzn-errortype')).toBe('UnknownServiceException');
});
