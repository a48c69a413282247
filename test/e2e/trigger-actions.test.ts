import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { InvocationRecord } from '../../electron/engine/contract.ts';
import { fireTrigger } from '../../electron/engine/control/trigger-actions.ts';
import { createEngine, type Engine } from '../../electron/engine/create-engine.ts';

// What the canvas' inspector fires (send to a queue, drop a file into a bucket, fire a schedule)
// goes through the real emulated services and ends in an invocation.
let engine: Engine;
const records: InvocationRecord[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lambdadesk-triggers-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src/index.js'), 'exports.handler = async (event) => { console.log(JSON.stringify(event).slice(0, 80)); return {}; };\n');
  writeFileSync(
    join(dir, 'template.yaml'),
    `Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::SQS::Queue
  Uploads:
    Type: AWS::S3::Bucket
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: src
      Events:
        FromOrders:
          Type: SQS
          Properties: { Queue: !GetAtt Orders.Arn, BatchSize: 1 }
        FromUploads:
          Type: S3
          Properties: { Bucket: !Ref Uploads, Events: s3:ObjectCreated:* }
        Nightly:
          Type: Schedule
          Properties: { Schedule: cron(0 3 * * ? *) }
`,
  );
  engine = await createEngine({ projectDir: dir, sandbox: 'process', port: 0, apiPort: 0, watch: false });
  engine.events.on('event', (e) => e.type === 'invocations:finished' && records.push(e.payload));
  await engine.start();
});

afterAll(async () => {
  await engine?.stop();
});

async function invokedBy(trigger: RegExp): Promise<InvocationRecord> {
  for (let i = 0; i < 200; i++) {
    const found = records.find((r) => trigger.test(r.trigger));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no invocation by ${trigger}; saw ${records.map((r) => r.trigger).join(', ') || 'none'}`);
}

test('a message sent to a queue by its logical id invokes its function', async () => {
  const reply = await fireTrigger(engine, { kind: 'queue:send', queue: 'Orders', body: '{"id":1}' });
  expect(reply.summary).toMatch(/^Sent message .* to .*Orders/);
  expect((await invokedBy(/^sqs/)).outcome).toBe('success');
});

test('a file put into a bucket by its logical id invokes its function', async () => {
  const reply = await fireTrigger(engine, { kind: 'bucket:put', bucket: 'Uploads', key: 'in/a.json', body: '{}' });
  expect(reply.summary).toContain('/in/a.json');
  expect((await invokedBy(/^s3/)).outcome).toBe('success');
});

test('a schedule fired by hand invokes its function now', async () => {
  const reply = await fireTrigger(engine, { kind: 'schedule:fire', functionName: 'Worker', eventName: 'Nightly' });
  expect(reply.summary).toContain('Fired Nightly of Worker');
  expect((await invokedBy(/schedule|events/)).outcome).toBe('success');
});

test('a queue that is not in the project is refused, naming the ones that are', async () => {
  await expect(fireTrigger(engine, { kind: 'queue:send', queue: 'Missing', body: '{}' })).rejects.toThrow(/There is no queue 'Missing'/);
});
