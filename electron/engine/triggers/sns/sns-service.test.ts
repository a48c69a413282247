import { EventEmitter } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { FunctionConfig, InvokeResult, ProjectModel } from '../../contract.ts';
import { createArnTargets, type EngineContext } from '../../engine-context.ts';
import { AsyncInvokeQueue, type AsyncEvent } from '../../invoke/async-invoke-queue.ts';
import { EventBridgeService } from '../eventbridge/eventbridge-service.ts';
import { SnsService } from './sns-service.ts';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:orders';

function fn(logicalId: string, events: Record<string, { type: string; properties: Record<string, unknown> }> = {}): FunctionConfig {
  return {
    logicalId,
    functionName: logicalId,
    events: Object.entries(events).map(([name, e]) => ({ name, type: e.type, properties: e.properties, location: { file: 'template.yaml', line: 1, column: 1 } })),
  } as Partial<FunctionConfig> as FunctionConfig;
}

/** SNS and EventBridge wired as the engine wires them, around a real async queue and ARN targets. */
async function setup(functions: FunctionConfig[], stateDir = mkdtempSync(join(tmpdir(), 'lambdadesk-sns-'))) {
  const dir = mkdtempSync(join(tmpdir(), 'lambdadesk-sns-project-'));
  writeFileSync(join(dir, 'template.yaml'), 'Resources:\n  Orders:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: orders\n  Jobs:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: jobs.fifo\n      FifoTopic: true\n');
  const model: ProjectModel = { dir, templatePath: join(dir, 'template.yaml'), functions, layers: [], parameters: {}, warnings: [] };
  const clock = new ManualClock(Date.parse('2024-01-01T00:00:00Z'));
  const delivered: AsyncEvent[] = [];
  const asyncQueue = new AsyncInvokeQueue({ dir: join(stateDir, 'async'), clock, invoke: async (e) => (delivered.push(e), { record: {}, payload: Buffer.from('null') } as unknown as InvokeResult) });
  const arnTargets = createArnTargets();
  const sqs: Array<{ arn: string; message: string; attributes?: Record<string, string> }> = [];
  arnTargets.register('sqs', async (arn, message, attributes) => void sqs.push({ arn, message, attributes }));
  const invoker = {
    target(arn: string) {
      const name = /function:([^:]+)/.exec(arn)?.[1] ?? arn;
      const found = functions.find((f) => f.functionName === name);
      if (!found) throw new Error(`Function not found: ${arn}`);
      return { fn: found, qualifier: undefined };
    },
  };
  const ctx = {
    model: () => model,
    asyncQueue,
    arnTargets,
    invoker,
    clock,
    stateDir,
    region: 'us-east-1',
    accountId: '123456789012',
    events: new EventEmitter(),
    endpoint: { register() {} },
  } as unknown as EngineContext;
  const sns = new SnsService(ctx);
  const eventbridge = new EventBridgeService(ctx);
  await asyncQueue.start();
  await sns.start();
  await eventbridge.start();
  onTestFinished(() => asyncQueue.stop());
  const settle = async () => {
    await clock.advance(0);
    await asyncQueue.drain();
  };
  return { sns, eventbridge, arnTargets, delivered, sqs, settle, stateDir };
}

describe('SNS service', () => {
  test('other services publish by ARN (destinations, DLQs): string attributes reach the function', async () => {
    const t = await setup([fn('Worker', { O: { type: 'SNS', properties: { Topic: TOPIC, FilterPolicy: { kind: ['job'] } } } })]);
    await t.arnTargets.deliver(TOPIC, 'hello', { kind: 'job' });
    await t.arnTargets.deliver(TOPIC, 'ignored', { kind: 'other' });
    await t.settle();
    expect(t.delivered).toHaveLength(1);
    const record = (JSON.parse(t.delivered[0]!.payload) as { Records: Array<{ Sns: { Message: string; MessageAttributes: unknown } }> }).Records[0]!;
    expect(record.Sns.Message).toBe('hello');
    expect(record.Sns.MessageAttributes).toEqual({ kind: { Type: 'String', Value: 'job' } });
    expect(t.delivered[0]!.trigger).toBe('sns:orders');
  });

  test('SQS subscriptions get the envelope, or the raw message with RawMessageDelivery', async () => {
    const t = await setup([]);
    await t.sns.subscribe(TOPIC, 'sqs', 'arn:aws:sqs:us-east-1:123456789012:audit');
    await t.sns.subscribe(TOPIC, 'sqs', 'arn:aws:sqs:us-east-1:123456789012:raw', { RawMessageDelivery: 'true' });
    const { messageId } = await t.sns.publish({ topicArn: TOPIC, message: 'm', subject: 'S', attributes: { a: { dataType: 'String', stringValue: 'x' } } });
    const audit = t.sqs.find((m) => m.arn.endsWith(':audit'))!;
    const envelope = JSON.parse(audit.message) as Record<string, unknown>;
    expect(Object.keys(envelope)).toEqual(['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
    expect(envelope).toMatchObject({ Type: 'Notification', MessageId: messageId, TopicArn: TOPIC, Subject: 'S', Message: 'm', MessageAttributes: { a: { Type: 'String', Value: 'x' } } });
    expect(t.sqs.find((m) => m.arn.endsWith(':raw'))).toMatchObject({ message: 'm', attributes: { a: 'x' } });
  });

  test("SAM's SqsSubscription: the function gets an SQS event whose body is the SNS envelope", async () => {
    const t = await setup([fn('Poller', { O: { type: 'SNS', properties: { Topic: TOPIC, SqsSubscription: true } } })]);
    await t.sns.publish({ topicArn: TOPIC, message: 'queued' });
    await t.settle();
    const record = (JSON.parse(t.delivered[0]!.payload) as { Records: Array<Record<string, unknown>> }).Records[0]!;
    expect(record).toMatchObject({ eventSource: 'aws:sqs', awsRegion: 'us-east-1' });
    expect(record.eventSourceARN).toMatch(/^arn:aws:sqs:us-east-1:123456789012:.+-PollerOQueue$/);
    expect(JSON.parse(record.body as string)).toMatchObject({ Type: 'Notification', Message: 'queued', TopicArn: TOPIC });
  });

  test('MessageStructure json picks the text per protocol', async () => {
    const t = await setup([fn('Fn', { O: { type: 'SNS', properties: { Topic: TOPIC } } })]);
    await t.sns.subscribe(TOPIC, 'sqs', 'arn:aws:sqs:us-east-1:123456789012:q');
    await t.sns.publish({ topicArn: TOPIC, message: JSON.stringify({ default: 'd', lambda: 'for functions' }), messageStructure: 'json' });
    await t.settle();
    expect((JSON.parse(t.delivered[0]!.payload) as { Records: Array<{ Sns: { Message: string } }> }).Records[0]!.Sns.Message).toBe('for functions');
    expect((JSON.parse(t.sqs[0]!.message) as { Message: string }).Message).toBe('d');
    await expect(t.sns.publish({ topicArn: TOPIC, message: '{"lambda":"x"}', messageStructure: 'json' })).rejects.toThrow('No default entry in JSON message body');
  });

  test('FIFO topics need a group id and deduplicate', async () => {
    const t = await setup([]);
    const fifo = 'arn:aws:sns:us-east-1:123456789012:jobs.fifo';
    await expect(t.sns.subscribe(fifo, 'lambda', 'arn:aws:lambda:us-east-1:123456789012:function:X')).rejects.toThrow('Invalid protocol type: lambda');
    await t.sns.subscribe(fifo, 'sqs', 'arn:aws:sqs:us-east-1:123456789012:jobs.fifo');
    await expect(t.sns.publish({ topicArn: fifo, message: 'a' })).rejects.toThrow('MessageGroupId parameter is required');
    await expect(t.sns.publish({ topicArn: fifo, message: 'a', messageGroupId: 'g' })).rejects.toThrow('ContentBasedDeduplication enabled or MessageDeduplicationId');
    const first = await t.sns.publish({ topicArn: fifo, message: 'a', messageGroupId: 'g', messageDeduplicationId: 'd1' });
    const again = await t.sns.publish({ topicArn: fifo, message: 'a', messageGroupId: 'g', messageDeduplicationId: 'd1' });
    expect(again.messageId).toBe(first.messageId);
    expect(first.sequenceNumber).toMatch(/^\d{20}$/);
    expect(t.sqs).toHaveLength(1);
    await expect(t.sns.publish({ topicArn: TOPIC, message: 'a', messageGroupId: 'g' })).rejects.toThrow('not valid for this topic type');
  });

  test('topics and subscriptions made through the API survive a restart', async () => {
    const first = await setup([]);
    const topic = await first.sns.createTopic('alerts', { DisplayName: 'Alerts' });
    await first.sns.subscribe(topic.arn, 'sqs', 'arn:aws:sqs:us-east-1:123456789012:q', { FilterPolicy: '{"level":["error"]}' });
    const second = await setup([], first.stateDir);
    expect(second.sns.topics().map((t) => `${t.name} ${t.origin}`).sort()).toEqual(['alerts api', 'jobs.fifo template', 'orders template']);
    expect(second.sns.subscriptions(topic.arn)).toEqual([expect.objectContaining({ protocol: 'sqs', filterPolicy: '{"level":["error"]}', origin: 'api' })]);
    await second.sns.publish({ topicArn: topic.arn, message: 'x', attributes: { level: { dataType: 'String', stringValue: 'info' } } });
    expect(second.sqs).toHaveLength(0);
  });

  test('publish checks its input as SNS does', async () => {
    const t = await setup([]);
    await expect(t.sns.publish({ topicArn: '', message: 'x' })).rejects.toThrow('Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
    await expect(t.sns.publish({ topicArn: TOPIC, message: '' })).rejects.toThrow('Invalid parameter: Empty message');
    await expect(t.sns.publish({ topicArn: 'arn:aws:sns:us-east-1:123456789012:none', message: 'x' })).rejects.toThrow('Topic does not exist');
    await expect(t.sns.publish({ topicArn: TOPIC, message: 'x'.repeat(262_145) })).rejects.toThrow('Message too long');
    await expect(t.sns.publish({ topicArn: TOPIC, message: 'x', subject: 'a\nb' })).rejects.toThrow('Invalid parameter: Subject');
    await expect(t.sns.publish({ topicArn: TOPIC, message: 'x', attributes: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, { dataType: 'String', stringValue: 'v' }])) })).rejects.toThrow('more than 10');
    await expect(t.sns.publish({ topicArn: TOPIC, message: 'x', attributes: { 'AWS.x': { dataType: 'String', stringValue: 'v' } } })).rejects.toThrow("Message attribute name 'AWS.x' is not valid");
    await expect(t.sns.publish({ topicArn: TOPIC, message: 'x', attributes: { t: { dataType: 'String.Array', stringValue: 'a,b' } } })).rejects.toThrow('must be a JSON array');
    await expect(t.sns.publish({ topicArn: TOPIC, message: 'x', attributes: { t: { dataType: 'Blob', stringValue: 'v' } } })).rejects.toThrow('invalid message attribute type');
  });
});

describe('EventBridge as an ARN target', () => {
  test('a Lambda destination record sent to a bus is the event AWS builds, and rules match it', async () => {
    const t = await setup([
      fn('OnSuccess', { R: { type: 'EventBridgeRule', properties: { Pattern: { source: ['lambda'], 'detail-type': ['Lambda Function Invocation Result - Success'] } } } }),
    ]);
    const record = { version: '1.0', timestamp: '2024-01-01T00:00:00.000Z', requestContext: { requestId: 'r', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:Src:$LATEST', condition: 'Success', approximateInvokeCount: 1 }, responsePayload: { ok: true } };
    await t.arnTargets.deliver('arn:aws:events:us-east-1:123456789012:event-bus/default', JSON.stringify(record));
    await t.settle();
    const event = JSON.parse(t.delivered[0]!.payload) as Record<string, unknown>;
    expect(event).toMatchObject({ source: 'lambda', 'detail-type': 'Lambda Function Invocation Result - Success', resources: ['arn:aws:lambda:us-east-1:123456789012:function:Src:$LATEST'], detail: record });
    await expect(t.arnTargets.deliver('arn:aws:events:us-east-1:123456789012:event-bus/nope', '{}')).rejects.toThrow('Event bus nope does not exist.');
  });
});
