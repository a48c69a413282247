/** Kinesis streams from template.yaml: the AWS CLI and the SDK put records, functions get them in order per shard. */
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { awsCli } from './support/aws-clients.ts';
import { dockerAvailable } from './support/docker-required.ts';
import { copyProject, REPO_ROOT, startEngine } from './support/engine-fixture.ts';
import { PIPELINE, orderProblems, until, watchLogs, type Delivered } from '../fixtures/streams/stream-test-helpers.ts';

const credentials = { accessKeyId: 'AKIDLAMBDADESKTEST', secretAccessKey: 'lambdadesk-test-secret' };

/** The SDK's defaults: the Kinesis client opens HTTP/2 connections (for SubscribeToShard). */
function kinesisClient(endpoint: string): KinesisClient {
  return new KinesisClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

function kinesisDelivered(delivered: Delivered[], prefix: string): Delivered[] {
  return delivered.filter((d) => d.source === 'kinesis' && d.data?.startsWith(prefix));
}

describe('Kinesis in process sandboxes', () => {
  let engine: Awaited<ReturnType<typeof startEngine>>;
  let logs: ReturnType<typeof watchLogs>;

  beforeAll(async () => {
    process.env.LAMBDADESK_MQTT_PORT = '0';
    engine = await startEngine(copyProject(PIPELINE), { sandbox: 'process', apiPort: 0 });
    logs = watchLogs(engine);
  });

  afterAll(async () => {
    await engine?.stop();
  });

  test('aws kinesis put-record reaches the function, in order per shard and partition key', async () => {
    const written: Array<{ key: string; id: string; shard: string; seq: string }> = [];
    for (let i = 0; i < 4; i++) {
      for (const key of ['alice', 'bob']) {
        const data = `cli:${key}:${i}`;
        const out = await awsCli(['kinesis', 'put-record', '--stream-name', 'clicks', '--partition-key', key, '--data', Buffer.from(data).toString('base64')], engine.url);
        expect(out.stderr).toBe('');
        const { ShardId, SequenceNumber } = JSON.parse(out.stdout) as { ShardId: string; SequenceNumber: string };
        written.push({ key, id: data, shard: ShardId, seq: SequenceNumber });
      }
    }
    // MD5 of the partition key picks the shard, as on AWS: these two keys land on different shards.
    expect(new Set(written.map((w) => w.shard))).toEqual(new Set(['shardId-000000000000', 'shardId-000000000001']));
    const delivered = await until('every record put with the CLI', () => {
      const mine = kinesisDelivered(logs.delivered, 'cli:');
      return mine.length >= written.length && mine;
    });
    expect(orderProblems(written, delivered.map((d) => ({ key: d.pk!, id: d.data! })))).toEqual([]);
    for (const shard of ['shardId-000000000000', 'shardId-000000000001']) {
      const seqs = delivered.filter((d) => d.shard === shard).map((d) => BigInt(d.seq));
      expect(seqs).toEqual([...seqs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(written.filter((w) => w.shard === shard).map((w) => w.seq)).toEqual(delivered.filter((d) => d.shard === shard).map((d) => d.seq));
    }
  });

  test('lambdadesk stream put reaches the function', async () => {
    const out = await new Promise<{ stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, [join(REPO_ROOT, 'bin/lambdadesk.js'), 'stream', 'put', 'clicks', 'from-the-cli', '--partition-key', 'cli-user', '--endpoint-url', engine.url], { timeout: 60_000 }, (_err, stdout, stderr) => resolve({ stdout, stderr })),
    );
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/^Put 12 byte\(s\) into clicks shardId-00000000000\d as sequence number \d{56}\./);
    await until('the CLI record', () => kinesisDelivered(logs.delivered, 'from-the-cli').length === 1);
  });

  test('a poisoned record is isolated by bisecting and sent to the on-failure queue after its retries, while the shard moves on', async () => {
    const kinesis = kinesisClient(engine.url);
    const sqs = new SQSClient({ endpoint: engine.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      const data = ['p:1', 'p:2', 'p:poison', 'p:3', 'p:4', 'p:5'];
      const put = await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: data.map((d) => ({ PartitionKey: 'same-key', Data: Buffer.from(d) })) }));
      expect(put.FailedRecordCount).toBe(0);
      const poisonSeq = put.Records![2]!.SequenceNumber!;
      const shard = put.Records![2]!.ShardId!;
      const delivered = await until('every good record', () => {
        const mine = kinesisDelivered(logs.delivered, 'p:');
        return mine.length >= 5 && mine;
      });
      expect([...new Set(delivered.map((d) => d.data))]).toEqual(['p:1', 'p:2', 'p:3', 'p:4', 'p:5']);
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'failed-records' }));
      const failure = await until('the on-failure record', async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }))).Messages?.[0], 30_000);
      const body = JSON.parse(failure.Body!) as Record<string, Record<string, unknown>>;
      expect(body.requestContext).toMatchObject({ condition: 'RetryAttemptsExhausted', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:ClickCounter' });
      expect(body.responseContext).toMatchObject({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
      expect(body.KinesisBatchInfo).toMatchObject({ shardId: shard, startSequenceNumber: poisonSeq, endSequenceNumber: poisonSeq, batchSize: 1, streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks' });
      // Records after the poison are not held back for good: a new one goes through.
      await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: [{ PartitionKey: 'same-key', Data: Buffer.from('p:after') }] }));
      await until('the record after the poison', () => kinesisDelivered(logs.delivered, 'p:after').length === 1);
    } finally {
      kinesis.destroy();
      sqs.destroy();
    }
  });
});

describe('Kinesis in Docker', async () => {
  const docker = await dockerAvailable();
  test.skipIf(!docker)('records put with the SDK reach a function in a container, in order', async () => {
    process.env.LAMBDADESK_MQTT_PORT = '0';
    const engine = await startEngine(copyProject(PIPELINE), { sandbox: 'docker', apiPort: 0 });
    const logs = watchLogs(engine);
    const kinesis = kinesisClient(engine.url);
    try {
      const written = Array.from({ length: 6 }, (_, i) => ({ key: `k${i % 2}`, id: `docker:${i}` }));
      for (const w of written) await kinesis.send(new PutRecordsCommand({ StreamName: 'clicks', Records: [{ PartitionKey: w.key, Data: Buffer.from(w.id) }] }));
      const delivered = await until('the records in Docker', () => {
        const mine = kinesisDelivered(logs.delivered, 'docker:');
        return mine.length >= written.length && mine;
      }, 300_000);
      expect(orderProblems(written, delivered.map((d) => ({ key: d.pk!, id: d.data! })))).toEqual([]);
    } finally {
      kinesis.destroy();
      await engine.stop();
    }
  }, 600_000);
});
