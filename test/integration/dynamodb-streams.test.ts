/** DynamoDB tables from template.yaml, reached by the SDK and the AWS CLI, with their stream feeding a function. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { awsCli } from './support/aws-clients.ts';
import { copyProject, REPO_ROOT, startEngine } from './support/engine-fixture.ts';
import { PIPELINE, until, watchLogs } from '../fixtures/streams/stream-test-helpers.ts';

let engine: Awaited<ReturnType<typeof startEngine>>;
let logs: ReturnType<typeof watchLogs>;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  process.env.LAMBDADESK_MQTT_PORT = '0';
  engine = await startEngine(copyProject(PIPELINE), { sandbox: 'process', apiPort: 0 });
  logs = watchLogs(engine);
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: engine.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLAMBDADESKTEST', secretAccessKey: 'lambdadesk-test-secret' }, maxAttempts: 1 }));
});

afterAll(async () => {
  doc?.destroy();
  await engine?.stop();
});

test('an SDK PutItem, UpdateItem and DeleteItem reach the function as INSERT, MODIFY and REMOVE, in order, with both images', async () => {
  await doc.send(new PutCommand({ TableName: 'orders', Item: { id: 'order-1', status: 'new', qty: 1 } }));
  await doc.send(new UpdateCommand({ TableName: 'orders', Key: { id: 'order-1' }, UpdateExpression: 'SET #s = :s ADD qty :one', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': 'paid', ':one': 1 } }));
  await doc.send(new DeleteCommand({ TableName: 'orders', Key: { id: 'order-1' } }));
  const records = await until('three DynamoDB stream records', () => {
    const mine = logs.delivered.filter((d) => d.source === 'dynamodb' && JSON.stringify(d.keys) === '{"id":{"S":"order-1"}}');
    return mine.length >= 3 && mine;
  });
  expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
  const v1 = { id: { S: 'order-1' }, status: { S: 'new' }, qty: { N: '1' } };
  const v2 = { id: { S: 'order-1' }, status: { S: 'paid' }, qty: { N: '2' } };
  expect(records.map((r) => [r.newImage, r.oldImage])).toEqual([
    [v1, undefined],
    [v2, v1],
    [undefined, v2],
  ]);
  expect(BigInt(records[0]!.seq) < BigInt(records[1]!.seq) && BigInt(records[1]!.seq) < BigInt(records[2]!.seq)).toBe(true);
});

test('aws dynamodb put-item, get-item and query work against the table, and the write reaches the stream', async () => {
  const put = await awsCli(['dynamodb', 'put-item', '--table-name', 'orders', '--item', '{"id":{"S":"cli-1"},"total":{"N":"12.50"}}'], engine.url);
  expect(put.stderr).toBe('');
  expect(put.code).toBe(0);
  const got = await awsCli(['dynamodb', 'get-item', '--table-name', 'orders', '--key', '{"id":{"S":"cli-1"}}'], engine.url);
  expect(JSON.parse(got.stdout)).toEqual({ Item: { id: { S: 'cli-1' }, total: { N: '12.5' } } });
  const query = await awsCli(['dynamodb', 'query', '--table-name', 'orders', '--key-condition-expression', 'id = :id', '--expression-attribute-values', '{":id":{"S":"cli-1"}}'], engine.url);
  expect(JSON.parse(query.stdout)).toMatchObject({ Count: 1, Items: [{ id: { S: 'cli-1' } }] });
  const conflict = await awsCli(['dynamodb', 'put-item', '--table-name', 'orders', '--item', '{"id":{"S":"cli-1"}}', '--condition-expression', 'attribute_not_exists(id)'], engine.url);
  expect(conflict.code).not.toBe(0);
  expect(conflict.stderr).toContain('ConditionalCheckFailedException');
  await until('the CLI write on the stream', () => logs.delivered.some((d) => d.source === 'dynamodb' && JSON.stringify(d.keys) === '{"id":{"S":"cli-1"}}'));
});

function lambdadesk(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [join(REPO_ROOT, 'bin/lambdadesk.js'), ...args], { timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr })),
  );
}

test('lambdadesk table put and scan work on the running engine, in plain JSON', async () => {
  const put = await lambdadesk('table', 'put', 'orders', '{"id": "from-cli", "qty": 3, "tags": ["a", "b"]}', '--endpoint-url', engine.url);
  expect(put.stderr).toBe('');
  expect(put.stdout).toContain('Put {"id":"from-cli","qty":3,"tags":["a","b"]} into orders.');
  const scan = await lambdadesk('table', 'scan', 'orders', '--endpoint-url', engine.url, '--json');
  expect((JSON.parse(scan.stdout) as { Items: unknown[] }).Items).toContainEqual({ id: 'from-cli', qty: 3, tags: ['a', 'b'] });
  await until('the CLI put on the stream', () => logs.delivered.some((d) => d.source === 'dynamodb' && JSON.stringify(d.keys) === '{"id":{"S":"from-cli"}}'));
  const missing = await lambdadesk('table', 'scan', 'nope', '--endpoint-url', engine.url);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('There is no table nope');
  expect(missing.stderr).toContain('Tables: orders');
});
