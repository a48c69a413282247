/**
 * `lambdadesk queue …` and `lambdadesk bucket …` against a running engine's AWS endpoint, run
 * in-process through the CLI's `main` with captured output.
 */
import { PassThrough } from 'node:stream';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CliIo } from '../../electron/cli/cli-io.ts';
import { main } from '../../electron/cli/main.ts';
import { SQS_S3_PROJECT, sqsOf, until } from '../fixtures/sqs-s3/harness.ts';
import { copyProject, startEngine } from './support/engine-fixture.ts';

type Started = Awaited<ReturnType<typeof startEngine>>;
let engine: Started;
const cwd = mkdtempSync(join(tmpdir(), 'lambdadesk-cli-'));

async function run(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const [out, err, input] = [new PassThrough(), new PassThrough(), new PassThrough()];
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (c: Buffer) => chunks.out.push(c));
  err.on('data', (c: Buffer) => chunks.err.push(c));
  input.end(stdin);
  const io: CliIo = { stdout: out, stderr: err, stdin: input, env: { LAMBDADESK_ENDPOINT_URL: engine.url }, cwd, stopSignal: new Promise(() => {}) };
  const code = await main(args, io);
  return { code, stdout: Buffer.concat(chunks.out).toString(), stderr: Buffer.concat(chunks.err).toString() };
}

beforeAll(async () => {
  engine = await startEngine(copyProject(SQS_S3_PROJECT), { sandbox: 'process', apiPort: 0 });
});
afterAll(async () => {
  await engine?.stop();
});

describe('lambdadesk queue', () => {
  test('send, list, receive --delete and purge, in text and JSON', async () => {
    const sent = await run(['queue', 'send', 'parked', 'hello from the CLI', '--attribute', 'source=cli']);
    expect(sent).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Sent message [0-9a-f-]{36} to parked\.\n$/) });
    const listed = await run(['queue', 'list']);
    expect(listed.stdout).toMatch(/^QUEUE +VISIBLE +IN FLIGHT +DELAYED +URL\n/);
    expect(listed.stdout).toMatch(new RegExp(`parked +1 +0 +0  ${engine.url}/123456789012/parked`));
    const received = await run(['queue', 'receive', 'parked', '--delete', '--json']);
    const [message] = JSON.parse(received.stdout) as Array<{ Body: string; MessageAttributes: Record<string, { StringValue: string }> }>;
    expect(message).toMatchObject({ Body: 'hello from the CLI', MessageAttributes: { source: { StringValue: 'cli' } } });
    expect(sqsOf(engine).queue('parked').attributes.ApproximateNumberOfMessages).toBe('0');
    expect((await run(['queue', 'receive', 'parked'])).stdout).toBe('No messages in parked right now.\n');

    await run(['queue', 'send', 'parked', '-'], 'from stdin');
    expect(await run(['queue', 'purge', 'parked'])).toMatchObject({ code: 0, stdout: 'Purged parked.\n' });
    expect(sqsOf(engine).queue('parked').attributes.ApproximateNumberOfMessages).toBe('0');
  });

  test('a message sent with the CLI reaches the queue’s function', async () => {
    const batches: Array<{ messageIds: string[]; failedIds: string[] }> = [];
    sqsOf(engine).events.on('sqs:batch', (b) => batches.push(b));
    const sent = JSON.parse((await run(['queue', 'send', 'orders', 'via lambdadesk queue', '--json'])).stdout) as { MessageId: string };
    const batch = await until(() => batches.find((b) => b.messageIds.includes(sent.MessageId)), 'the consumer to get the message');
    expect(batch.failedIds).toEqual([]);
  });

  test('mistakes name the fix', async () => {
    const unknown = await run(['queue', 'send', 'nowhere', 'x']);
    expect(unknown).toMatchObject({ code: 1, stderr: `lambdadesk queue: The queue nowhere does not exist at ${engine.url}.\n  Run \`lambdadesk queue list\` to see the queues, or declare it as an AWS::SQS::Queue in template.yaml.\n` });
    const usage = await run(['queue', 'shout']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Unknown action 'shout': use list, send, receive or purge.");
    const down = await run(['queue', 'list', '--endpoint-url', 'http://127.0.0.1:9']);
    expect(down.stderr).toContain('Nothing answers at http://127.0.0.1:9.\n  Start `lambdadesk serve DIR` first');
  });
});

describe('lambdadesk bucket', () => {
  test('put, list, get and rm, with s3:// addresses too', async () => {
    const file = join(cwd, 'report.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    const put = await run(['bucket', 'put', 'uploads', 'reports/2024.csv', 'report.csv', '--content-type', 'text/csv', '--metadata', 'team=qa']);
    expect(put.code, put.stderr).toBe(0);
    expect(put.stdout).toMatch(/^Uploaded report\.csv to s3:\/\/uploads\/reports\/2024\.csv \(8 bytes, ETag "[0-9a-f]{32}"\)\.\n$/);
    const listed = await run(['bucket', 'list', 's3://uploads/reports/']);
    expect(listed.stdout).toMatch(/^\S+ +8 {2}reports\/2024\.csv\n$/);
    expect((await run(['bucket', 'list'])).stdout).toMatch(/uploads\n$/);
    expect((await run(['bucket', 'get', 's3://uploads/reports/2024.csv'])).stdout).toBe('a,b\n1,2\n');
    const saved = await run(['bucket', 'get', 'uploads', 'reports/2024.csv', '--out', 'copy.csv']);
    expect(saved.stdout).toBe('Saved s3://uploads/reports/2024.csv to copy.csv (8 bytes, text/csv).\n');
    expect(readFileSync(join(cwd, 'copy.csv'), 'utf8')).toBe('a,b\n1,2\n');
    const json = JSON.parse((await run(['bucket', 'list', 'uploads', '--prefix', 'reports/', '--json'])).stdout) as Array<{ Key: string; Size: number }>;
    expect(json.map((o) => [o.Key, o.Size])).toEqual([['reports/2024.csv', 8]]);
    expect(await run(['bucket', 'rm', 'uploads', 'reports/2024.csv'])).toMatchObject({ code: 0, stdout: 'Deleted s3://uploads/reports/2024.csv.\n' });
    const gone = await run(['bucket', 'get', 'uploads', 'reports/2024.csv']);
    expect(gone).toMatchObject({ code: 1, stderr: expect.stringContaining('s3://uploads/reports/2024.csv does not exist.') });
  });

  test('a file put with the CLI raises the bucket’s event', async () => {
    await run(['bucket', 'put', 'uploads', 'incoming/cli.txt', '-'], 'piped in');
    const text = await until(async () => {
      const result = await run(['bucket', 'get', 'uploads', 'processed/incoming/cli.txt.json']);
      return result.code === 0 ? result.stdout : undefined;
    }, 'the function to process the upload');
    expect(JSON.parse(text)).toMatchObject({ head: 'piped in', record: { eventName: 'ObjectCreated:Put' } });
  });
});
