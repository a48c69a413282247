/**
 * `kill -9` of `lambdadesk serve` while stream records are being delivered, then a restart:
 * every Kinesis record and DynamoDB change written is delivered, and never before an earlier
 * record of its partition key (at least once, in order: a batch cut off by the crash may come again).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, expect, test } from 'vitest';
import { copyProject, REPO_ROOT } from './support/engine-fixture.ts';
import { PIPELINE, orderProblems, parseLine, until, type Delivered } from '../fixtures/streams/stream-test-helpers.ts';

const credentials = { accessKeyId: 'AKIDLAMBDADESKTEST', secretAccessKey: 'lambdadesk-test-secret' };
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** `node bin/lambdadesk.js serve DIR --port 0 --sandbox process`, with what its functions log. */
async function serve(dir: string, delivered: Delivered[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/lambdadesk.js'), 'serve', dir, '--port', '0', '--api-port', '0', '--sandbox', 'process'], {
    env: { ...process.env, LAMBDADESK_MQTT_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  let pending = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const parsed = parseLine(line);
      if (parsed?.kind === 'DELIVERED') delivered.push(parsed.value as Delivered);
    }
  });
  // A busy machine can take a while to start the runtimes; say what serve said if it never gets there.
  const url = await until(
    'the AWS endpoint line',
    () => {
      if (child.exitCode !== null) throw new Error(`serve exited early:\n${stderr}`);
      return /AWS endpoint: (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1];
    },
    180_000,
  ).catch((err: Error) => {
    throw new Error(`${err.message}\nserve's stderr so far:\n${stderr}`);
  });
  return { child, url };
}

function clients(url: string) {
  const kinesis = new KinesisClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 }));
  return { kinesis, doc, destroy: () => (kinesis.destroy(), doc.destroy()) };
}

test('after kill -9 and a restart, no stream record is lost or delivered out of order', async () => {
  const dir = copyProject(PIPELINE);
  // A slower consumer, so the crash comes while records are still waiting.
  const template = join(dir, 'template.yaml');
  writeFileSync(template, readFileSync(template, 'utf8').replace('    Timeout: 10\n', "    Timeout: 10\n    Environment:\n      Variables:\n        PAUSE_MS: '250'\n"));
  const delivered: Delivered[] = [];
  const kinesisWritten: Array<{ key: string; id: string }> = [];
  const dynamoWritten: Array<{ key: string; id: string }> = [];
  const keys = ['alpha', 'beta', 'gamma'];
  const versions = new Map(keys.map((k) => [k, 0]));

  const write = async (url: string, rounds: number) => {
    const c = clients(url);
    try {
      for (let round = 0; round < rounds; round++) {
        const batch = keys.map((key) => ({ key, id: `${key}:${kinesisWritten.filter((w) => w.key === key).length}` }));
        await c.kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: batch.map((b) => ({ PartitionKey: b.key, Data: Buffer.from(b.id) })) }));
        kinesisWritten.push(...batch);
        for (const key of keys) {
          const v = versions.get(key)!;
          if (v === 0) await c.doc.send(new PutCommand({ TableName: 'orders', Item: { id: key, v } }));
          else await c.doc.send(new UpdateCommand({ TableName: 'orders', Key: { id: key }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': v } }));
          dynamoWritten.push({ key, id: `${key}:${v}` });
          versions.set(key, v + 1);
        }
      }
    } finally {
      c.destroy();
    }
  };
  const kinesisSeen = () => delivered.filter((d) => d.source === 'kinesis').map((d) => ({ key: d.pk!, id: d.data! }));
  const dynamoSeen = () =>
    delivered.filter((d) => d.source === 'dynamodb').map((d) => {
      const key = (d.keys as { id: { S: string } }).id.S;
      return { key, id: `${key}:${(d.newImage as { v: { N: string } }).v.N}` };
    });

  const first = await serve(dir, delivered);
  await write(first.url, 12);
  await until('some deliveries before the crash', () => kinesisSeen().length >= 4 && dynamoSeen().length >= 1);
  first.child.kill('SIGKILL');
  await until('the crashed serve to exit', () => first.child.signalCode === 'SIGKILL');
  const beforeRestart = kinesisSeen().length;
  expect(beforeRestart).toBeLessThan(kinesisWritten.length); // the crash cut delivery short

  const second = await serve(dir, delivered);
  await write(second.url, 4);
  await until('every record after the restart', () => new Set(kinesisSeen().map((d) => d.id)).size === kinesisWritten.length && new Set(dynamoSeen().map((d) => d.id)).size === dynamoWritten.length, 240_000);
  second.child.kill('SIGTERM');
  await until('serve to stop', () => second.child.exitCode !== null || second.child.signalCode !== null, 30_000);

  expect(orderProblems(kinesisWritten, kinesisSeen())).toEqual([]);
  expect(orderProblems(dynamoWritten, dynamoSeen())).toEqual([]);
}, 600_000);
