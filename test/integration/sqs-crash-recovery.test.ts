/**
 * `kill -9` of `lambdadesk serve` in the middle of traffic: every message SendMessage acknowledged,
 * every message received but not deleted, and every object PutObject acknowledged is there after
 * a restart. Real processes, real clock: the waits are bounded polls.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterEach, expect, test } from 'vitest';
import { s3Client, SQS_S3_PROJECT, sqsClient } from '../fixtures/sqs-s3/harness.ts';
import { copyProject, REPO_ROOT } from './support/engine-fixture.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts `lambdadesk serve` as a real process and waits for its endpoint. */
async function serve(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/lambdadesk.js'), 'serve', dir, '--port', '0', '--api-port', '0', '--sandbox', 'process'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (c: Buffer) => {
      output += c.toString();
      const match = /AWS endpoint: (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
  return { child, url };
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

test('after kill -9 and a restart, no acknowledged message or object is lost and in-flight messages come back', async () => {
  const dir = copyProject(SQS_S3_PROJECT);
  const first = await serve(dir);
  const sqs = sqsClient(first.url);
  const s3 = s3Client(first.url);
  const queueUrl = `${first.url}/123456789012/parked`;
  const bodies = Array.from({ length: 60 }, (_, i) => `message-${i}`);
  // Sent concurrently, so they share journal writes; each 200 means "on disk".
  await Promise.all(bodies.map((body) => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageAttributes: { n: { DataType: 'Number', StringValue: body.split('-')[1]! } } }))));
  const inFlight = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 5, VisibilityTimeout: 2 }))).Messages!;
  expect(inFlight).toHaveLength(5);
  await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'keep/me.txt', Body: 'durable', ContentType: 'text/plain', Metadata: { owner: 'crash-test' } }));
  // A send that is still on its way when the process dies may or may not have landed; it was never acknowledged.
  void sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'unacknowledged' })).catch(() => undefined);
  await killed(first.child);
  sqs.destroy();
  s3.destroy();

  const second = await serve(dir);
  const sqsAgain = sqsClient(second.url);
  const s3Again = s3Client(second.url);
  const urlAgain = `${second.url}/123456789012/parked`;
  const seen = new Map<string, number>();
  const deadline = Date.now() + 30_000;
  while (bodies.some((b) => !seen.has(b)) && Date.now() < deadline) {
    const { Messages = [] } = await sqsAgain.send(new ReceiveMessageCommand({ QueueUrl: urlAgain, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['ApproximateReceiveCount'], MessageAttributeNames: ['All'] }));
    for (const m of Messages) {
      seen.set(m.Body!, Number(m.Attributes!.ApproximateReceiveCount));
      expect(m.MessageAttributes?.n?.StringValue).toBe(m.Body === 'unacknowledged' ? undefined : m.Body!.split('-')[1]);
    }
    if (Messages.length) await sqsAgain.send(new DeleteMessageBatchCommand({ QueueUrl: urlAgain, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
  }
  expect(bodies.filter((b) => !seen.has(b))).toEqual([]);
  // The messages received before the crash kept their receive: they come back as second receives.
  for (const message of inFlight) expect(seen.get(message.Body!)).toBe(2);

  const object = await s3Again.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'keep/me.txt' }));
  expect(await object.Body!.transformToString()).toBe('durable');
  expect(object).toMatchObject({ ContentType: 'text/plain', Metadata: { owner: 'crash-test' } });
  sqsAgain.destroy();
  s3Again.destroy();
  await killed(second.child);
});
