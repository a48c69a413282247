/**
 * SNS through real clients: Debian's AWS CLI v2 and @aws-sdk/client-sns against the engine's
 * AWS endpoint, with functions running as host processes (the fan-out, not the sandbox, is what
 * is under test here).
 */
import { CreateTopicCommand, GetTopicAttributesCommand, InvalidParameterException, ListSubscriptionsCommand, ListTopicsCommand, NotFoundException, PublishBatchCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AsyncDisposition } from '../../electron/engine/invoke/async-invoke-queue.ts';
import type { SnsService } from '../../electron/engine/triggers/sns/sns-service.ts';
import { awsCli } from './support/aws-clients.ts';
import { copyProject, REPO_ROOT, startEngine } from './support/engine-fixture.ts';

const PROJECT = `${REPO_ROOT}/test/fixtures/schedules-sns-eventbridge/events-project`;
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:orders';
type Started = Awaited<ReturnType<typeof startEngine>>;
let engine: Started;
let sns: SnsService;
const settled: AsyncDisposition[] = [];

interface SnsEvent {
  Records: Array<{ EventSource: string; EventVersion: string; EventSubscriptionArn: string; Sns: Record<string, unknown> & { Message: string; MessageAttributes: Record<string, { Type: string; Value: string }> } }>;
}

function client(): SNSClient {
  return new SNSClient({ endpoint: engine.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLAMBDADESKTEST', secretAccessKey: 'lambdadesk-test-secret' }, maxAttempts: 1 });
}

/** The events functions received for one message, once every queued delivery has run. */
async function deliveredFor(messageId: string, expectedCount: number): Promise<Map<string, SnsEvent>> {
  const out = new Map<string, SnsEvent>();
  for (let i = 0; i < 600 && out.size < expectedCount; i++) {
    out.clear();
    for (const d of settled) {
      if (d.kind !== 'succeeded') continue;
      const event = JSON.parse(d.event.payload) as SnsEvent;
      if (event.Records?.[0]?.Sns?.MessageId === messageId) out.set(d.event.functionName, event);
    }
    if (out.size < expectedCount) await new Promise((r) => setTimeout(r, 100));
  }
  await engine.asyncQueue.drain();
  return out;
}

function publishedReport(): Promise<{ messageId: string; deliveries: Array<{ endpoint: string; outcome: string }> }> {
  return new Promise((resolve) => sns.events.once('sns:published', resolve));
}

beforeAll(async () => {
  engine = await startEngine(copyProject(PROJECT), { sandbox: 'process' });
  sns = engine.services.get('sns') as SnsService;
  engine.asyncQueue.events.on('async:settled', (d) => settled.push(d));
});
afterAll(async () => {
  await engine?.stop();
});

describe('aws sns publish (AWS CLI v2, query protocol)', () => {
  test('fans out to both subscribed functions when the filter policy holds', async () => {
    const report = publishedReport();
    const result = await awsCli(
      ['sns', 'publish', '--topic-arn', TOPIC, '--message', 'order 42 placed', '--message-attributes', JSON.stringify({ kind: { DataType: 'String', StringValue: 'order' }, total: { DataType: 'Number', StringValue: '250' }, region: { DataType: 'String', StringValue: 'eu-west-1' } })],
      engine.url,
    );
    expect(result.code, result.stderr).toBe(0);
    const { MessageId } = JSON.parse(result.stdout) as { MessageId: string };
    expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await report).deliveries.map((d) => `${d.endpoint.split(':').at(-1)}:${d.outcome}`).sort()).toEqual(['AllOrders:queued', 'BigOrders:queued', 'RefundsByBody:filtered']);

    const delivered = await deliveredFor(MessageId, 2);
    expect([...delivered.keys()].sort()).toEqual(['AllOrders', 'BigOrders']);
    const record = delivered.get('BigOrders')!.Records[0]!;
    expect(Object.keys(record)).toEqual(['EventSource', 'EventVersion', 'EventSubscriptionArn', 'Sns']);
    expect(record.EventSource).toBe('aws:sns');
    expect(record.EventVersion).toBe('1.0');
    expect(record.EventSubscriptionArn).toMatch(/^arn:aws:sns:us-east-1:123456789012:orders:[0-9a-f-]{36}$/);
    expect(Object.keys(record.Sns)).toEqual(['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertUrl', 'UnsubscribeUrl', 'MessageAttributes']);
    expect(record.Sns).toMatchObject({ Type: 'Notification', MessageId, TopicArn: TOPIC, Subject: null, Message: 'order 42 placed', SignatureVersion: '1' });
    expect(record.Sns.MessageAttributes).toEqual({ kind: { Type: 'String', Value: 'order' }, total: { Type: 'Number', Value: '250' }, region: { Type: 'String', Value: 'eu-west-1' } });
    expect(record.Sns.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  test('a small order reaches only the unfiltered subscriber', async () => {
    const report = publishedReport();
    const result = await awsCli(['sns', 'publish', '--topic-arn', TOPIC, '--subject', 'small', '--message', 'order 7', '--message-attributes', '{"kind":{"DataType":"String","StringValue":"order"},"total":{"DataType":"Number","StringValue":"99.5"},"region":{"DataType":"String","StringValue":"eu-west-1"}}'], engine.url);
    expect(result.code, result.stderr).toBe(0);
    const { MessageId } = JSON.parse(result.stdout) as { MessageId: string };
    expect((await report).deliveries.filter((d) => d.outcome === 'queued').map((d) => d.endpoint.split(':').at(-1))).toEqual(['AllOrders']);
    const delivered = await deliveredFor(MessageId, 1);
    expect([...delivered.keys()]).toEqual(['AllOrders']);
    expect(delivered.get('AllOrders')!.Records[0]!.Sns.Subject).toBe('small');
  });

  test('errors are SNS errors, and the engine keeps serving', async () => {
    const missing = await awsCli(['sns', 'publish', '--topic-arn', 'arn:aws:sns:us-east-1:123456789012:nope', '--message', 'x'], engine.url);
    expect(missing.code).toBe(254);
    expect(missing.stderr).toContain('An error occurred (NotFound) when calling the Publish operation: Topic does not exist');
    const badNumber = await awsCli(['sns', 'publish', '--topic-arn', TOPIC, '--message', 'x', '--message-attributes', '{"total":{"DataType":"Number","StringValue":"lots"}}'], engine.url);
    expect(badNumber.code).toBe(254);
    expect(badNumber.stderr).toContain("(InvalidParameter) when calling the Publish operation: Invalid parameter: Could not cast message attribute 'total' value to number.");
    const badPolicy = await awsCli(['sns', 'subscribe', '--topic-arn', TOPIC, '--protocol', 'lambda', '--notification-endpoint', 'arn:aws:lambda:us-east-1:123456789012:function:AllOrders', '--attributes', '{"FilterPolicy":"{\\"a\\":[{\\"wildcard\\":\\"x*\\"}]}"}'], engine.url);
    expect(badPolicy.code).toBe(254);
    expect(badPolicy.stderr).toContain('Invalid parameter: FilterPolicy: Unrecognized match type wildcard');
    const topics = await awsCli(['sns', 'list-topics'], engine.url);
    expect(topics.code, topics.stderr).toBe(0);
    expect(JSON.parse(topics.stdout)).toEqual({ Topics: [{ TopicArn: TOPIC }] });
  });
});

describe('@aws-sdk/client-sns', () => {
  test('a MessageBody filter policy sees the JSON body', async () => {
    const out = await client().send(new PublishCommand({ TopicArn: TOPIC, Message: JSON.stringify({ type: 'refund', orderId: 42 }) }));
    const delivered = await deliveredFor(out.MessageId!, 2);
    expect([...delivered.keys()].sort()).toEqual(['AllOrders', 'RefundsByBody']);
    expect(JSON.parse(delivered.get('RefundsByBody')!.Records[0]!.Sns.Message)).toEqual({ type: 'refund', orderId: 42 });
  });

  test('CreateTopic, Subscribe with a filter policy, PublishBatch, GetTopicAttributes, ListSubscriptions', async () => {
    const sdk = client();
    const { TopicArn } = await sdk.send(new CreateTopicCommand({ Name: 'alerts', Attributes: { DisplayName: 'Alerts' } }));
    expect(TopicArn).toBe('arn:aws:sns:us-east-1:123456789012:alerts');
    const { SubscriptionArn } = await sdk.send(
      new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: 'arn:aws:lambda:us-east-1:123456789012:function:Shipper', Attributes: { FilterPolicy: JSON.stringify({ severity: [{ 'anything-but': ['debug'] }] }) }, ReturnSubscriptionArn: true }),
    );
    expect(SubscriptionArn).toMatch(/^arn:aws:sns:us-east-1:123456789012:alerts:/);
    const batch = await sdk.send(
      new PublishBatchCommand({
        TopicArn,
        PublishBatchRequestEntries: [
          { Id: 'a', Message: 'disk full', MessageAttributes: { severity: { DataType: 'String', StringValue: 'error' } } },
          { Id: 'b', Message: 'noise', MessageAttributes: { severity: { DataType: 'String', StringValue: 'debug' } } },
          { Id: 'c', Message: '' },
        ],
      }),
    );
    expect(batch.Successful?.map((s) => s.Id)).toEqual(['a', 'b']);
    expect(batch.Failed).toEqual([{ Id: 'c', Code: 'InvalidParameter', Message: 'Invalid parameter: Empty message', SenderFault: true }]);
    const delivered = await deliveredFor(batch.Successful![0]!.MessageId!, 1);
    expect(delivered.get('Shipper')?.Records[0]?.Sns.Message).toBe('disk full');
    const noise = await deliveredFor(batch.Successful![1]!.MessageId!, 0);
    expect(noise.size).toBe(0);

    const attributes = await sdk.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(attributes.Attributes).toMatchObject({ TopicArn, DisplayName: 'Alerts', SubscriptionsConfirmed: '1', Owner: '123456789012' });
    const subscriptions = await sdk.send(new ListSubscriptionsCommand({}));
    expect(subscriptions.Subscriptions?.map((s) => `${s.TopicArn?.split(':').at(-1)} ${s.Protocol} ${s.Endpoint?.split(':').at(-1)}`).sort()).toEqual([
      'alerts lambda Shipper',
      'orders lambda AllOrders',
      'orders lambda BigOrders',
      'orders lambda RefundsByBody',
    ]);
    const topics = await sdk.send(new ListTopicsCommand({}));
    expect(topics.Topics?.map((t) => t.TopicArn)).toEqual(['arn:aws:sns:us-east-1:123456789012:alerts', TOPIC]);
  });

  test('SDK exceptions are typed', async () => {
    await expect(client().send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:nope', Message: 'x' }))).rejects.toBeInstanceOf(NotFoundException);
    await expect(client().send(new PublishCommand({ TopicArn: TOPIC, Message: '{}', MessageStructure: 'json' }))).rejects.toBeInstanceOf(InvalidParameterException);
  });
});
