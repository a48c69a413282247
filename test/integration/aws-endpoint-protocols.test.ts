/**
 * One AWS endpoint for HTTP/1.1 and cleartext HTTP/2: SDK clients with their default settings,
 * whichever protocol that is (Kinesis: HTTP/2; Lambda, S3: HTTP/1.1), from the host and from a
 * function in Docker.
 */
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListStreamsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { InvokeCommand, InvokeWithResponseStreamCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import { build } from 'esbuild';
import { once } from 'node:events';
import { request as http1Request, type IncomingMessage } from 'node:http';
import { connect, type IncomingHttpHeaders, type IncomingHttpStatusHeader } from 'node:http2';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lambdaClient } from './support/aws-clients.ts';
import { dockerAvailable } from './support/docker-required.ts';
import { copyProject, REPO_ROOT, startEngine } from './support/engine-fixture.ts';
import { PIPELINE } from '../fixtures/streams/stream-test-helpers.ts';

const credentials = { accessKeyId: 'AKIDLAMBDADESKTEST', secretAccessKey: 'lambdadesk-test-secret' };
const SDK_WRITER = join(REPO_ROOT, 'test/fixtures/streams/sdk-writer');

/** The record a shard holds at a sequence number, read with the default (HTTP/2) client. */
async function recordAt(kinesis: KinesisClient, stream: string, shardId: string, sequenceNumber: string): Promise<{ key?: string; data: string }> {
  const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: sequenceNumber }));
  const { Records = [] } = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 1 }));
  return { key: Records[0]?.PartitionKey, data: Buffer.from(Records[0]?.Data ?? []).toString('utf8') };
}

type Answer = { status: number; contentType: unknown; body: unknown };

/** The answer without LastModified, which the Lambda API fills with the time of each call. */
function sameBesidesClock(answer: Answer): Answer {
  const functions = (answer.body as { Functions: Array<Record<string, unknown>> }).Functions;
  for (const fn of functions) expect(fn.LastModified).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+\+0000$/);
  return { ...answer, body: { ...(answer.body as object), Functions: functions.map(({ LastModified: _clock, ...rest }) => rest) } };
}

async function listFunctionsOverHttp1(url: string): Promise<Answer> {
  const req = http1Request(`${url}/2015-03-31/functions/?MaxItems=2`, { agent: false });
  req.end();
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  let text = '';
  for await (const chunk of res) text += String(chunk);
  return { status: res.statusCode!, contentType: res.headers['content-type'], body: JSON.parse(text) };
}

async function listFunctionsOverHttp2(url: string): Promise<Answer> {
  const session = connect(url);
  try {
    const stream = session.request({ ':method': 'GET', ':path': '/2015-03-31/functions/?MaxItems=2' });
    stream.end();
    const [headers] = (await once(stream, 'response')) as [IncomingHttpHeaders & IncomingHttpStatusHeader];
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    return { status: headers[':status']!, contentType: headers['content-type'], body: JSON.parse(text) };
  } finally {
    session.close();
  }
}

describe('SDK clients with their defaults, and raw HTTP/2', () => {
  let engine: Awaited<ReturnType<typeof startEngine>>;

  beforeAll(async () => {
    process.env.LAMBDADESK_MQTT_PORT = '0';
    engine = await startEngine(copyProject(PIPELINE), { sandbox: 'process', apiPort: 0 });
  });

  afterAll(async () => {
    await engine?.stop();
  });

  test('the default Kinesis client (HTTP/2) puts a record and gets it back', async () => {
    const kinesis = new KinesisClient({ endpoint: engine.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      expect(kinesis.config.requestHandler).toBeInstanceOf(NodeHttp2Handler);
      const put = await kinesis.send(new PutRecordCommand({ StreamName: 'clicks', PartitionKey: 'h2-user', Data: Buffer.from('over http/2') }));
      expect(put.ShardId).toMatch(/^shardId-00000000000[01]$/);
      expect(await recordAt(kinesis, 'clicks', put.ShardId!, put.SequenceNumber!)).toEqual({ key: 'h2-user', data: 'over http/2' });
    } finally {
      kinesis.destroy();
    }
  });

  test('the default Lambda and S3 clients (HTTP/1.1) still work', async () => {
    const lambda = lambdaClient(engine.url);
    const s3 = new S3Client({ endpoint: engine.url, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });
    try {
      expect(lambda.config.requestHandler).toBeInstanceOf(NodeHttpHandler);
      expect(s3.config.requestHandler).toBeInstanceOf(NodeHttpHandler);
      const { Functions = [] } = await lambda.send(new ListFunctionsCommand({}));
      expect(Functions.map((f) => f.FunctionName).sort()).toEqual(['ClickCounter', 'OrderChanges', 'Telemetry']);
      const invoked = await lambda.send(new InvokeCommand({ FunctionName: 'ClickCounter', Payload: JSON.stringify({}) }));
      expect(invoked.FunctionError).toBeUndefined();
      expect(Buffer.from(invoked.Payload!).toString('utf8')).toBe('null');
      await s3.send(new CreateBucketCommand({ Bucket: 'h1-bucket' }));
      await s3.send(new PutObjectCommand({ Bucket: 'h1-bucket', Key: 'a/b.txt', Body: 'hello over http/1.1', ContentType: 'text/plain' }));
      const got = await s3.send(new GetObjectCommand({ Bucket: 'h1-bucket', Key: 'a/b.txt' }));
      expect(await got.Body!.transformToString()).toBe('hello over http/1.1');
    } finally {
      lambda.destroy();
      s3.destroy();
    }
  });

  test('a raw HTTP/2 client gets the same ListFunctions answer as an HTTP/1.1 client', async () => {
    const [one, two] = await Promise.all([listFunctionsOverHttp1(engine.url), listFunctionsOverHttp2(engine.url)]);
    expect(one.status).toBe(200);
    expect((one.body as { Functions: unknown[] }).Functions).toHaveLength(2);
    expect(sameBesidesClock(two)).toEqual(sameBesidesClock(one));
  });

  test('over HTTP/2, streamed answers work too: InvokeWithResponseStream, S3 objects, an SQS long poll', async () => {
    const h2 = { endpoint: engine.url, region: 'us-east-1', credentials, maxAttempts: 1, requestHandler: new NodeHttp2Handler() };
    const lambda = new LambdaClient(h2);
    const s3 = new S3Client({ ...h2, forcePathStyle: true });
    const sqs = new SQSClient(h2);
    try {
      const streamed = await lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'ClickCounter', Payload: JSON.stringify({}) }));
      const events: string[] = [];
      for await (const event of streamed.EventStream!) {
        if (event.PayloadChunk) events.push(`chunk:${Buffer.from(event.PayloadChunk.Payload ?? []).toString('utf8')}`);
        if (event.InvokeComplete) events.push(`complete:${event.InvokeComplete.ErrorCode ?? 'ok'}`);
      }
      expect(events).toEqual(['chunk:null', 'complete:ok']);

      const body = Buffer.alloc(300 * 1024, 'h2');
      await s3.send(new CreateBucketCommand({ Bucket: 'h2-bucket' }));
      await s3.send(new PutObjectCommand({ Bucket: 'h2-bucket', Key: 'big.bin', Body: body }));
      expect((await s3.send(new HeadObjectCommand({ Bucket: 'h2-bucket', Key: 'big.bin' }))).ContentLength).toBe(body.length);
      const got = await s3.send(new GetObjectCommand({ Bucket: 'h2-bucket', Key: 'big.bin' }));
      expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);

      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'failed-records' }));
      const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'h2 message' }));
      expect((await polling).Messages?.map((m) => m.Body)).toEqual(['h2 message']);
    } finally {
      lambda.destroy();
      s3.destroy();
      sqs.destroy();
    }
  });
});

test('stopping the engine ends the HTTP/2 sessions clients keep open', async () => {
  process.env.LAMBDADESK_MQTT_PORT = '0';
  const engine = await startEngine(copyProject(PIPELINE), { sandbox: 'process', apiPort: 0 });
  const kinesis = new KinesisClient({ endpoint: engine.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    expect((await kinesis.send(new ListStreamsCommand({}))).StreamNames).toEqual(['clicks']);
    // The client keeps its session for the next call; stop() must not wait for it to go.
    await engine.stop();
    await expect(kinesis.send(new ListStreamsCommand({}))).rejects.toThrow(/ECONNREFUSED|GOAWAY|closed|destroyed/i);
  } finally {
    kinesis.destroy();
  }
});

describe('a function in Docker', async () => {
  const docker = await dockerAvailable();
  test.skipIf(!docker)('puts a Kinesis record with the default client, over HTTP/2 to AWS_ENDPOINT_URL', async () => {
    process.env.LAMBDADESK_MQTT_PORT = '0';
    const dir = copyProject(SDK_WRITER);
    // Functions bring their own SDK clients; esbuild bundles this one as `sam build` would.
    await build({ entryPoints: [join(SDK_WRITER, 'writer.mjs')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: join(dir, 'dist/writer.js'), logLevel: 'silent' });
    const engine = await startEngine(dir, { sandbox: 'docker', apiPort: 0 });
    const lambda = lambdaClient(engine.url);
    const kinesis = new KinesisClient({ endpoint: engine.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      const invoked = await lambda.send(new InvokeCommand({ FunctionName: 'Writer', Payload: JSON.stringify({ stream: 'sdk-events', partitionKey: 'container', data: 'from docker' }) }));
      const result = JSON.parse(Buffer.from(invoked.Payload!).toString('utf8')) as Record<string, string>;
      expect(invoked.FunctionError, JSON.stringify(result)).toBeUndefined();
      expect(result).toMatchObject({ shardId: 'shardId-000000000000', endpoint: engine.url, requestHandler: expect.stringMatching(/NodeHttp2Handler$/) });
      expect(await recordAt(kinesis, 'sdk-events', result.shardId!, result.sequenceNumber!)).toEqual({ key: 'container', data: 'from docker' });
    } finally {
      lambda.destroy();
      kinesis.destroy();
      await engine.stop();
    }
  }, 600_000);
});
