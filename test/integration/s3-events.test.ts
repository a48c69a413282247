/**
 * S3 through real clients — Debian's AWS CLI v2 (`aws s3 cp`, small and multipart) and
 * @aws-sdk/client-s3 — and bucket notifications into a function that reads the object back with
 * the SDK from inside its sandbox. Functions run as host processes here; one test repeats the
 * round trip in Docker. Real clock: the waits are bounded polls on real processes.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, NoSuchBucket, NoSuchKey, NotFound, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { S3Notified } from '../../electron/engine/triggers/s3/s3-service.ts';
import { collectLogs, s3Client, s3Of, SQS_S3_PROJECT, until } from '../fixtures/sqs-s3/harness.ts';
import { awsCli } from './support/aws-clients.ts';
import { dockerAvailable } from './support/docker-required.ts';
import { copyProject, startEngine } from './support/engine-fixture.ts';

type Started = Awaited<ReturnType<typeof startEngine>>;
interface Seen {
  key: string;
  length: number;
  md5: string;
  head: string;
  contentType: string;
  metadata: Record<string, string>;
  record: { eventName: string; s3: { object: { key: string; size: number; eTag: string; sequencer: string }; bucket: { name: string; arn: string } } };
}

const hasDocker = await dockerAvailable();
const files = mkdtempSync(join(tmpdir(), 'lambdadesk-s3-files-'));

/** What ObjectReader wrote after reading the object that triggered it. */
async function processed(s3: S3Client, key: string): Promise<Seen> {
  return until(async () => {
    const object = await s3.send(new GetObjectCommand({ Bucket: 'uploads', Key: `processed/${key}.json` })).catch(() => undefined);
    return object ? (JSON.parse(await object.Body!.transformToString()) as Seen) : undefined;
  }, `processed/${key}.json`, 60_000);
}

describe('S3 with functions as processes', () => {
  let engine: Started;
  let s3: S3Client;
  let logs: ReturnType<typeof collectLogs>;
  const notified: S3Notified[] = [];
  beforeAll(async () => {
    engine = await startEngine(copyProject(SQS_S3_PROJECT), { sandbox: 'process', apiPort: 0 });
    s3 = s3Client(engine.url);
    logs = collectLogs(engine);
    s3Of(engine).events.on('s3:notified', (n) => notified.push(n));
  });
  afterAll(async () => {
    s3?.destroy();
    await engine?.stop();
  });

  test('aws s3 cp into the bucket invokes the function, which reads the object with the SDK', async () => {
    const file = join(files, 'greeting.txt');
    writeFileSync(file, 'hello from the AWS CLI\n');
    const copied = await awsCli(['s3', 'cp', file, 's3://uploads/incoming/my greeting (1).txt'], engine.url);
    expect(copied.code, copied.stderr).toBe(0);
    const seen = await processed(s3, 'incoming/my greeting (1).txt');
    expect(seen).toMatchObject({ key: 'incoming/my greeting (1).txt', head: 'hello from the AWS CLI\n', contentType: 'text/plain' });
    expect(seen.record.eventName).toBe('ObjectCreated:Put');
    expect(seen.record.s3.bucket).toMatchObject({ name: 'uploads', arn: 'arn:aws:s3:::uploads' });
    expect(seen.record.s3.object).toMatchObject({ key: 'incoming/my+greeting+%281%29.txt', size: 23, eTag: createHash('md5').update('hello from the AWS CLI\n').digest('hex') });
  });

  test('a file of 8 MB or more goes up as a multipart upload and raises CompleteMultipartUpload', async () => {
    const file = join(files, 'large.txt');
    const content = Buffer.alloc(9 * 1024 * 1024, 'abcdefghij');
    writeFileSync(file, content);
    const copied = await awsCli(['s3', 'cp', file, 's3://uploads/incoming/large.txt'], engine.url);
    expect(copied.code, copied.stderr).toBe(0);
    const seen = await processed(s3, 'incoming/large.txt');
    expect(seen.record.eventName).toBe('ObjectCreated:CompleteMultipartUpload');
    expect(seen.length).toBe(content.length);
    expect(seen.md5).toBe(createHash('md5').update(content).digest('hex'));
    expect(seen.record.s3.object.eTag).toMatch(/^[0-9a-f]{32}-2$/);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'uploads', Key: 'incoming/large.txt' }));
    expect(head.ContentLength).toBe(content.length);
  });

  test('prefix and suffix filters hold: other keys raise nothing', async () => {
    for (const key of ['other/note.txt', 'incoming/picture.png']) {
      await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: 'x' }));
    }
    await until(() => notified.some((n) => n.key === 'incoming/picture.png'), 'the picture upload to be processed');
    expect(notified.filter((n) => n.key === 'other/note.txt' || n.key === 'incoming/picture.png').map((n) => n.targets)).toEqual([[], []]);
    // processed/… (written by the function itself) does not match either, so nothing loops.
    expect(notified.filter((n) => n.key.startsWith('processed/')).every((n) => n.targets.length === 0)).toBe(true);
  });

  test('a file copied into the bucket’s folder raises the event too, and deleting raises ObjectRemoved', async () => {
    writeFileSync(join(s3Of(engine).bucketDir('uploads'), 'incoming', 'dropped by hand.txt'), 'from the file manager');
    const seen = await processed(s3, 'incoming/dropped by hand.txt');
    expect(seen).toMatchObject({ head: 'from the file manager', contentType: 'text/plain' });
    expect(seen.record.s3.object.key).toBe('incoming/dropped+by+hand.txt');

    await s3.send(new DeleteObjectCommand({ Bucket: 'uploads', Key: 'incoming/dropped by hand.txt' }));
    const removal = await until(() => logs.tagged<{ eventName: string; key: string; size?: number }>('S3EVENT').find((e) => e.eventName === 'ObjectRemoved:Delete'), 'the ObjectRemoved event');
    expect(removal).toEqual({ eventName: 'ObjectRemoved:Delete', key: 'incoming/dropped by hand.txt', rawKey: 'incoming/dropped+by+hand.txt' });
  });

  test('the SDK streams uploads (aws-chunked with a checksum trailer), reads ranges, copies and lists', async () => {
    const body = Buffer.from('0123456789'.repeat(1000));
    await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'sdk/stream.bin', Body: Readable.from([body.subarray(0, 4000), body.subarray(4000)]), ContentLength: body.length, ContentType: 'application/x-test', Metadata: { Origin: 'sdk' } }));
    const ranged = await s3.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'sdk/stream.bin', Range: 'bytes=10-19' }));
    expect(await ranged.Body!.transformToString()).toBe('0123456789');
    expect(ranged).toMatchObject({ ContentRange: 'bytes 10-19/10000', ContentType: 'application/x-test', Metadata: { origin: 'sdk' } });
    const copy = await s3.send(new CopyObjectCommand({ Bucket: 'uploads', Key: 'sdk/copy.bin', CopySource: 'uploads/sdk/stream.bin' }));
    expect(copy.CopyObjectResult?.ETag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'uploads', Prefix: 'sdk/', Delimiter: '/' }));
    expect(listed.Contents?.map((o) => [o.Key, o.Size])).toEqual([
      ['sdk/copy.bin', 10_000],
      ['sdk/stream.bin', 10_000],
    ]);
    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'uploads', Delimiter: '/' }));
    expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual(expect.arrayContaining(['incoming/', 'sdk/']));
    const page = await s3.send(new ListObjectsV2Command({ Bucket: 'uploads', Prefix: 'sdk/', MaxKeys: 1 }));
    expect(page).toMatchObject({ IsTruncated: true, KeyCount: 1 });
    const rest = await s3.send(new ListObjectsV2Command({ Bucket: 'uploads', Prefix: 'sdk/', ContinuationToken: page.NextContinuationToken }));
    expect(rest.Contents?.map((o) => o.Key)).toEqual(['sdk/stream.bin']);
  });

  test('missing buckets and keys get S3’s errors; the engine keeps serving', async () => {
    await expect(s3.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'nope.txt' }))).rejects.toBeInstanceOf(NoSuchKey);
    await expect(s3.send(new HeadObjectCommand({ Bucket: 'uploads', Key: 'nope.txt' }))).rejects.toBeInstanceOf(NotFound);
    await expect(s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'k', Body: 'x' }))).rejects.toBeInstanceOf(NoSuchBucket);
    const range = await s3.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'sdk/stream.bin', Range: 'bytes=20000-' })).catch((err: Error) => err);
    expect(range).toMatchObject({ name: 'InvalidRange' });
    const cli = await awsCli(['s3api', 'get-object', '--bucket', 'uploads', '--key', 'nope.txt', join(files, 'out')], engine.url);
    expect(cli.code).toBe(254);
    expect(cli.stderr).toContain('An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist.');
    const conflict = await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'sdk/stream.bin/inside', Body: 'x' })).catch((err: Error) => err);
    expect(conflict).toMatchObject({ name: 'InvalidRequest' });
    const ls = await awsCli(['s3', 'ls', 's3://uploads/sdk/'], engine.url);
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toMatch(/10000 stream\.bin/);
  });
});

describe.runIf(hasDocker)('S3 with functions in Docker', () => {
  let engine: Started;
  let s3: S3Client;
  beforeAll(async () => {
    engine = await startEngine(copyProject(SQS_S3_PROJECT), { sandbox: 'docker', apiPort: 0 });
    s3 = s3Client(engine.url);
    await engine.invoker.prepare(engine.model().functions.find((f) => f.functionName === 'ObjectReader')!);
  });
  afterAll(async () => {
    s3?.destroy();
    await engine?.stop();
  });

  test('a function in a container reads the object that triggered it through AWS_ENDPOINT_URL', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'incoming/from-docker.txt', Body: 'read me from a container', ContentType: 'text/plain' }));
    const seen = await processed(s3, 'incoming/from-docker.txt');
    expect(seen).toMatchObject({ head: 'read me from a container', contentType: 'text/plain', length: 24 });
  });
});
