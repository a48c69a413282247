import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConditionalCheckFailedException, CreateTableCommand, DynamoDBClient, ResourceNotFoundException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, onTestFinished, test } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { InvokeRequest, InvokeResult } from '../../contract.ts';
import { createArnTargets, type EngineContext } from '../../engine-context.ts';
import { AwsEndpoint } from '../../http/aws-endpoint.ts';
import { loadProject } from '../../project/load-project.ts';
import { DynamoDbService } from './dynamodb-service.ts';

const START = Date.parse('2024-06-01T12:00:00Z');

function template(viewType: string, extraEvent = ''): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: orders
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - { AttributeName: customer, AttributeType: S }
        - { AttributeName: orderId, AttributeType: N }
        - { AttributeName: status, AttributeType: S }
      KeySchema:
        - { AttributeName: customer, KeyType: HASH }
        - { AttributeName: orderId, KeyType: RANGE }
      GlobalSecondaryIndexes:
        - IndexName: byStatus
          KeySchema: [{ AttributeName: status, KeyType: HASH }]
          Projection: { ProjectionType: KEYS_ONLY }
      StreamSpecification:
        StreamViewType: ${viewType}
  Notes:
    Type: AWS::Serverless::SimpleTable
  Consumer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: src
      Events:
        Changes:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt Orders.StreamArn
            StartingPosition: TRIM_HORIZON
            BatchSize: 10
${extraEvent}`;
}

async function setup(viewType = 'NEW_AND_OLD_IMAGES', options: { dir?: string; handler?: (payload: string) => string; extraEvent?: string } = {}) {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'lambdadesk-ddb-'));
  if (!options.dir) {
    writeFileSync(join(dir, 'template.yaml'), template(viewType, options.extraEvent));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'index.js'), '');
  }
  const { model } = await loadProject(dir);
  const clock = new ManualClock(START);
  const endpoint = new AwsEndpoint({ host: '127.0.0.1', port: 0, region: 'us-east-1' });
  await endpoint.listen();
  const invocations: Array<{ request: InvokeRequest; records: Array<Record<string, unknown>> }> = [];
  const invoker = {
    async invoke(request: InvokeRequest): Promise<InvokeResult> {
      invocations.push({ request, records: (JSON.parse(request.payload!) as { Records: Array<Record<string, unknown>> }).Records });
      const body = options.handler?.(request.payload!) ?? 'null';
      return { record: { requestId: `r${invocations.length}` }, payload: Buffer.from(body), executedVersion: '$LATEST' } as unknown as InvokeResult;
    },
  };
  const ctx = { model: () => model, invoker, endpoint, arnTargets: createArnTargets(), clock, stateDir: join(dir, '.lambdadesk'), region: 'us-east-1', accountId: '123456789012', events: new EventEmitter() } as unknown as EngineContext;
  const service = new DynamoDbService(ctx);
  await service.start();
  const client = new DynamoDBClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, maxAttempts: 1 });
  const doc = DynamoDBDocumentClient.from(client);
  const stop = async () => {
    client.destroy();
    await service.stop();
    await endpoint.close();
  };
  onTestFinished(stop);
  const settle = async () => {
    await clock.advance(0);
    await service.idle();
  };
  return { dir, service, client, doc, invocations, settle, stop, clock };
}

describe('DynamoDB API', () => {
  test('the template tables exist, and the SDK and document client read and write them', async () => {
    const t = await setup();
    expect(t.service.tables().map((x) => x.tableName).sort()).toEqual([expect.stringMatching(/^lambdadesk-ddb-.*-Notes$/), 'orders']);
    await t.doc.send(new PutCommand({ TableName: 'orders', Item: { customer: 'ann', orderId: 2, status: 'new', amount: 12.5, tags: ['a'] } }));
    await t.doc.send(new PutCommand({ TableName: 'orders', Item: { customer: 'ann', orderId: 1, status: 'paid', amount: 0.1 } }));
    await t.doc.send(new PutCommand({ TableName: 'orders', Item: { customer: 'bob', orderId: 1, status: 'new' } }));
    const got = await t.doc.send(new GetCommand({ TableName: 'orders', Key: { customer: 'ann', orderId: 2 }, ProjectionExpression: 'amount, tags[0]' }));
    expect(got.Item).toEqual({ amount: 12.5, tags: ['a'] });
    const query = await t.doc.send(new QueryCommand({ TableName: 'orders', KeyConditionExpression: 'customer = :c AND orderId BETWEEN :a AND :b', ExpressionAttributeValues: { ':c': 'ann', ':a': 1, ':b': 5 }, ScanIndexForward: false }));
    expect(query.Items?.map((i) => i.orderId)).toEqual([2, 1]);
    const page = await t.doc.send(new QueryCommand({ TableName: 'orders', KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': 'ann' }, Limit: 1 }));
    expect(page.Items?.map((i) => i.orderId)).toEqual([1]);
    const rest = await t.doc.send(new QueryCommand({ TableName: 'orders', KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': 'ann' }, ExclusiveStartKey: page.LastEvaluatedKey }));
    expect(rest.Items?.map((i) => i.orderId)).toEqual([2]);
    expect(rest.LastEvaluatedKey).toBeUndefined();
    const byStatus = await t.doc.send(new QueryCommand({ TableName: 'orders', IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': 'new' } }));
    expect(byStatus.Items).toEqual(expect.arrayContaining([{ customer: 'ann', orderId: 2, status: 'new' }, { customer: 'bob', orderId: 1, status: 'new' }]));
    const scan = await t.doc.send(new ScanCommand({ TableName: 'orders', FilterExpression: 'amount > :t', ExpressionAttributeValues: { ':t': 1 } }));
    expect(scan.Items?.map((i) => `${i.customer}/${i.orderId}`)).toEqual(['ann/2']);
    expect(scan.ScannedCount).toBe(3);
  });

  test('UpdateExpression SET/REMOVE/ADD/DELETE with ReturnValues, and exact decimal arithmetic', async () => {
    const t = await setup();
    await t.doc.send(new PutCommand({ TableName: 'orders', Item: { customer: 'c', orderId: 1, count: 1, price: 0.1, colors: new Set(['red', 'blue']), gone: 'x', nested: { a: { b: 1 } } } }));
    const out = await t.doc.send(
      new UpdateCommand({
        TableName: 'orders',
        Key: { customer: 'c', orderId: 1 },
        UpdateExpression: 'SET price = price + :p, nested.a.c = :n, #l = list_append(if_not_exists(#l, :empty), :one) REMOVE gone ADD #count :two DELETE colors :red',
        ExpressionAttributeNames: { '#l': 'list', '#count': 'count' },
        ExpressionAttributeValues: { ':p': 0.2, ':n': 'deep', ':empty': [], ':one': [1], ':two': 2, ':red': new Set(['red']) },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(out.Attributes).toEqual({ customer: 'c', orderId: 1, count: 3, price: 0.3, colors: new Set(['blue']), nested: { a: { b: 1, c: 'deep' } }, list: [1] });
    const old = await t.doc.send(new UpdateCommand({ TableName: 'orders', Key: { customer: 'c', orderId: 1 }, UpdateExpression: 'SET price = :p', ExpressionAttributeValues: { ':p': 5 }, ReturnValues: 'UPDATED_OLD' }));
    expect(old.Attributes).toEqual({ price: 0.3 });
  });

  test('conditions fail with ConditionalCheckFailedException, and expressions are checked as on AWS', async () => {
    const t = await setup();
    const put = (condition?: string, values?: Record<string, unknown>) => t.doc.send(new PutCommand({ TableName: 'orders', Item: { customer: 'd', orderId: 1, v: 1 }, ConditionExpression: condition, ExpressionAttributeValues: values }));
    await put('attribute_not_exists(customer)');
    await expect(put('attribute_not_exists(customer)')).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await put('v = :one AND begins_with(customer, :d)', { ':one': 1, ':d': 'd' });
    await expect(put('v <> :one', { ':one': 1 })).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await expect(t.doc.send(new UpdateCommand({ TableName: 'orders', Key: { customer: 'd', orderId: 1 }, UpdateExpression: 'SET status = :s', ExpressionAttributeValues: { ':s': 'x' } }))).rejects.toThrow('Attribute name is a reserved keyword; reserved keyword: status');
    await expect(put('attribute_exists(customer)', { ':unused': 1 })).rejects.toThrow('Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}');
    await expect(t.doc.send(new GetCommand({ TableName: 'orders', Key: { customer: 'd' } }))).rejects.toThrow('The provided key element does not match the schema');
    await expect(t.doc.send(new GetCommand({ TableName: 'missing', Key: { id: 'x' } }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      t.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: 'orders', Item: { customer: 'e', orderId: 1 } } },
            { ConditionCheck: { TableName: 'orders', Key: { customer: 'd', orderId: 1 }, ConditionExpression: 'v = :two', ExpressionAttributeValues: { ':two': 2 } } },
          ],
        }),
      ),
    ).rejects.toBeInstanceOf(TransactionCanceledException);
    expect((await t.doc.send(new GetCommand({ TableName: 'orders', Key: { customer: 'e', orderId: 1 } }))).Item).toBeUndefined();
  });

  test('tables created with the SDK survive a restart, with their items', async () => {
    const t = await setup();
    await t.client.send(new CreateTableCommand({ TableName: 'made-by-sdk', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    await t.doc.send(new BatchWriteCommand({ RequestItems: { 'made-by-sdk': [1, 2, 3].map((n) => ({ PutRequest: { Item: { pk: `k${n}`, n } } })) } }));
    await t.stop();
    const again = await setup('NEW_AND_OLD_IMAGES', { dir: t.dir });
    const scan = await again.doc.send(new ScanCommand({ TableName: 'made-by-sdk' }));
    expect(scan.Items?.map((i) => i.n).sort()).toEqual([1, 2, 3]);
  });
});

describe('DynamoDB streams to a function', () => {
  const sequence = async (t: Awaited<ReturnType<typeof setup>>) => {
    await t.doc.send(new PutCommand({ TableName: 'orders', Item: { customer: 'ann', orderId: 1, note: 'first' } }));
    await t.doc.send(new UpdateCommand({ TableName: 'orders', Key: { customer: 'ann', orderId: 1 }, UpdateExpression: 'SET note = :n', ExpressionAttributeValues: { ':n': 'second' } }));
    await t.doc.send(new DeleteCommand({ TableName: 'orders', Key: { customer: 'ann', orderId: 1 } }));
    await t.settle();
    return t.invocations.flatMap((i) => i.records) as Array<{ eventName: string; dynamodb: Record<string, unknown>; eventSourceARN: string }>;
  };
  const keys = { customer: { S: 'ann' }, orderId: { N: '1' } };
  const first = { ...keys, note: { S: 'first' } };
  const second = { ...keys, note: { S: 'second' } };

  test.each([
    ['NEW_AND_OLD_IMAGES', [{ NewImage: first }, { NewImage: second, OldImage: first }, { OldImage: second }]],
    ['NEW_IMAGE', [{ NewImage: first }, { NewImage: second }, {}]],
    ['OLD_IMAGE', [{}, { OldImage: first }, { OldImage: second }]],
    ['KEYS_ONLY', [{}, {}, {}]],
  ])('%s: PutItem, UpdateItem, DeleteItem arrive as INSERT, MODIFY, REMOVE in order with the right images', async (viewType, images) => {
    const t = await setup(viewType);
    const records = await sequence(t);
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    records.forEach((record, i) => {
      const { NewImage, OldImage, Keys, StreamViewType } = record.dynamodb;
      expect({ ...(NewImage ? { NewImage } : {}), ...(OldImage ? { OldImage } : {}) }).toEqual(images[i]);
      expect(Keys).toEqual(keys);
      expect(StreamViewType).toBe(viewType);
    });
    const seqs = records.map((r) => BigInt(r.dynamodb.SequenceNumber as string));
    expect(seqs[0]! < seqs[1]! && seqs[1]! < seqs[2]!).toBe(true);
    expect(records[0]).toMatchObject({
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/1970-01-01T00:00:00.000',
      dynamodb: { ApproximateCreationDateTime: START / 1000, SizeBytes: expect.any(Number) },
    });
    expect(Object.keys(records[0]!)).toEqual(['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'eventSourceARN']);
    expect(t.invocations[0]?.request.trigger).toBe('dynamodb:orders');
  });

  test('an event whose Stream names no table stream is reported, with the streams there are', async () => {
    expect((await setup()).service.problems()).toEqual([]);
    const extraEvent = `        Elsewhere:
          Type: DynamoDB
          Properties:
            Stream: arn:aws:dynamodb:us-east-1:123456789012:table/nope/stream/2020-01-01T00:00:00.000
            StartingPosition: LATEST
        Broken:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt Orders.StreamArn
            StartingPosition: AT_TIMESTAMP
`;
    const t = await setup('NEW_IMAGE', { extraEvent });
    const problems = t.service.problems().map((p) => p.message);
    expect(problems).toContainEqual(expect.stringContaining('Consumer Elsewhere: Stream arn:aws:dynamodb:us-east-1:123456789012:table/nope/stream/2020-01-01T00:00:00.000 is not the stream of a table here'));
    expect(problems).toContainEqual(expect.stringMatching(/template\.yaml:\d+:\d+ Resources\.Consumer\.Properties\.Events\.Broken\.Properties\.StartingPosition: StartingPosition is required and must be one of TRIM_HORIZON, LATEST/));
  });

  test('writing an item exactly as it was leaves no stream record', async () => {
    const t = await setup();
    await t.doc.send(new PutCommand({ TableName: 'orders', Item: { customer: 'same', orderId: 1, n: 1 } }));
    await t.doc.send(new PutCommand({ TableName: 'orders', Item: { customer: 'same', orderId: 1, n: 1 } }));
    await t.doc.send(new UpdateCommand({ TableName: 'orders', Key: { customer: 'same', orderId: 1 }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 1 } }));
    await t.doc.send(new DeleteCommand({ TableName: 'orders', Key: { customer: 'nobody', orderId: 1 } }));
    await t.settle();
    expect(t.invocations.flatMap((i) => i.records).map((r) => r.eventName)).toEqual(['INSERT']);
  });

  test('a restarted engine delivers what was written but not yet delivered, and nothing twice', async () => {
    const t = await setup();
    await t.doc.send(new PutCommand({ TableName: 'orders', Item: { customer: 'x', orderId: 1 } }));
    await t.settle();
    expect(t.invocations).toHaveLength(1);
    await t.service.mappings.stop(); // the poller stops; the table keeps taking writes
    await t.doc.send(new PutCommand({ TableName: 'orders', Item: { customer: 'x', orderId: 2 } }));
    await t.stop();
    const again = await setup('NEW_AND_OLD_IMAGES', { dir: t.dir });
    await again.settle();
    expect(again.invocations.flatMap((i) => i.records).map((r) => (r as { dynamodb: { Keys: { orderId: { N: string } } } }).dynamodb.Keys.orderId.N)).toEqual(['2']);
  });
});
