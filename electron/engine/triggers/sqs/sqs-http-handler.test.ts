import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { ManualClock } from '../../clock.ts';
import { AwsEndpoint } from '../../http/aws-endpoint.ts';
import { QueueRegistry } from './queue-registry.ts';
import { createSqsHttpHandler } from './sqs-http-handler.ts';
import { createSqsOperations } from './sqs-operations.ts';

let endpoint: AwsEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

/** SQS alone on the AWS endpoint, with one queue `work`, as the SQS service wires it. */
async function serveSqs(): Promise<string> {
  const clock = new ManualClock(1_700_000_000_000);
  const registry = new QueueRegistry({ dir: mkdtempSync(join(tmpdir(), 'lambdadesk-sqs-http-')), clock, region: 'us-east-1', accountId: '123456789012' });
  await registry.open();
  await registry.create('work', {});
  endpoint = new AwsEndpoint({ host: '127.0.0.1', port: 0, region: 'us-east-1' });
  endpoint.register('sqs', createSqsHttpHandler({ operations: createSqsOperations({ registry, clock, accountId: '123456789012' }), accountId: '123456789012', ready: async () => {} }));
  await endpoint.listen();
  return endpoint.url;
}

test('an unsigned query-protocol request posted to the queue URL names the queue by its path (curl --data Action=…)', async () => {
  const url = await serveSqs();
  const sent = await fetch(`${url}/123456789012/work`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=SendMessage&MessageBody=by+hand' });
  expect(sent.status).toBe(200);
  expect(await sent.text()).toMatch(/<SendMessageResponse[\s\S]*<MessageId>[0-9a-f-]{36}<\/MessageId>/);
  const received = await fetch(`${url}/123456789012/work?Action=ReceiveMessage`);
  expect(await received.text()).toContain('<Body>by hand</Body>');
});

test('a queue URL path of a queue that does not exist gets SQS’s NonExistentQueue', async () => {
  const url = await serveSqs();
  const res = await fetch(`${url}/123456789012/nope`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=SendMessage&MessageBody=x' });
  expect(res.status).toBe(400);
  expect(await res.text()).toContain('AWS.SimpleQueueService.NonExistentQueue');
});
