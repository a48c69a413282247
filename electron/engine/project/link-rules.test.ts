import { describe, expect, test } from 'vitest';
import { variableName } from './access-policies.ts';
import { PALETTE, accessModesFor, canLink, defaultEventFor } from './link-rules.ts';
import type { NodeKind } from './link-rules.ts';
import { previewEdits } from './template-edits.ts';

const SOURCES: NodeKind[] = ['http-route', 'schedule', 'queue', 'bucket', 'topic', 'event-rule', 'table', 'stream'];

describe('canLink', () => {
  test('every source triggers a function with its SAM event type', () => {
    expect(SOURCES.map((source) => canLink(source, 'function'))).toEqual(
      ['HttpApi', 'Schedule', 'SQS', 'S3', 'SNS', 'EventBridgeRule', 'DynamoDB', 'Kinesis'].map((eventType) => ({ ok: true, relation: 'trigger', eventType })),
    );
  });

  test('a function gets access to stores and channels', () => {
    for (const target of ['queue', 'bucket', 'topic', 'event-rule', 'table', 'stream'] as const) {
      expect(canLink('function', target)).toEqual({ ok: true, relation: 'access' });
    }
  });

  test('everything else says why not', () => {
    expect(canLink('schedule', 'queue')).toEqual({ ok: false, reason: 'A schedule can only trigger a function.' });
    expect(canLink('function', 'schedule')).toEqual({ ok: false, reason: 'A schedule triggers a function; draw the link from the schedule to the function.' });
    expect(canLink('function', 'http-route')).toEqual({ ok: false, reason: 'An HTTP route triggers a function; draw the link from the route to the function.' });
    expect(canLink('function', 'function')).toMatchObject({ ok: false, reason: expect.stringContaining('cannot trigger another function directly') });
    expect(canLink('queue', 'bucket')).toEqual({ ok: false, reason: 'A queue can only be linked to a function: it triggers one, or a function is given access to it.' });
  });

  test('a topic and a bus only take messages in', () => {
    expect(accessModesFor('topic')).toEqual(['write']);
    expect(accessModesFor('event-rule')).toEqual(['write']);
    expect(accessModesFor('queue')).toEqual(['write', 'read', 'read-write']);
    expect(accessModesFor('table')[0]).toBe('read-write');
    expect(accessModesFor('schedule')).toEqual([]);
  });
});

describe('defaultEventFor', () => {
  test('a queue gives an SQS event on its ARN', () => {
    expect(defaultEventFor('queue', 'Orders')).toEqual({ eventType: 'SQS', properties: { Queue: { 'Fn::GetAtt': ['Orders', 'Arn'] }, BatchSize: 10 } });
  });

  test('each default makes an edit that passes the engine’s own checks', () => {
    const template = [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties: { CodeUri: src/, Handler: index.handler, Runtime: nodejs20.x }',
      '  Orders: { Type: AWS::SQS::Queue }',
      '  Uploads: { Type: AWS::S3::Bucket }',
      '  Alerts: { Type: AWS::SNS::Topic }',
      '  Bus: { Type: AWS::Events::EventBus, Properties: { Name: bus } }',
      '  Table: { Type: AWS::DynamoDB::Table, Properties: { StreamSpecification: { StreamViewType: KEYS_ONLY } } }',
      '  Stream: { Type: AWS::Kinesis::Stream, Properties: { ShardCount: 1 } }',
      '',
    ].join('\n');
    const ids: Record<string, string> = { 'http-route': 'Items', schedule: 'Tick', queue: 'Orders', bucket: 'Uploads', topic: 'Alerts', 'event-rule': 'Bus', table: 'Table', stream: 'Stream' };
    const edits = SOURCES.map((source) => ({ kind: 'add-event' as const, functionId: 'Fn', ...defaultEventFor(source, ids[source] as string) }));
    const preview = previewEdits(template, edits);
    expect(preview.results.map((result) => result.eventName)).toEqual(['GetItems', 'Schedule', 'FromOrders', 'FromUploads', 'FromAlerts', 'FromBus', 'FromTable', 'FromStream']);
  });
});

describe('PALETTE', () => {
  test('offers every kind once; routes and schedules are virtual', () => {
    expect(PALETTE.map((entry) => entry.kind).sort()).toEqual([...SOURCES, 'function'].sort());
    expect(PALETTE.filter((entry) => entry.virtual).map((entry) => entry.kind)).toEqual(['http-route', 'schedule']);
    expect(PALETTE.find((entry) => entry.kind === 'function')).toMatchObject({ resourceType: 'AWS::Serverless::Function', defaults: { Runtime: 'nodejs20.x', Handler: 'index.handler' } });
  });

  test('dropping a palette entry adds a resource that needs nothing more', () => {
    const template = 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: { CodeUri: src/, Handler: index.handler, Runtime: nodejs20.x }\n';
    const edits = PALETTE.filter((entry) => entry.resourceType).map((entry) => ({ kind: 'add-resource' as const, resourceType: entry.resourceType as string, properties: entry.defaults }));
    const preview = previewEdits(template, edits);
    expect(preview.results.map((result) => result.logicalId)).toEqual(['Function1', 'Queue1', 'Bucket1', 'Topic1', 'EventBus1', 'Table1', 'Stream1']);
    expect(preview.after).toContain("      Name: !Sub '${AWS::StackName}-event-bus1'\n");
    expect(preview.after).toContain('      CodeUri: src/function1/\n');
  });
});

test('environment variable names come from the logical id without repeating the noun', () => {
  expect(variableName('Orders', 'QUEUE', 'URL')).toBe('ORDERS_QUEUE_URL');
  expect(variableName('OrdersQueue', 'QUEUE', 'URL')).toBe('ORDERS_QUEUE_URL');
  expect(variableName('Topic', 'TOPIC', 'ARN')).toBe('TOPIC_ARN');
  expect(variableName('Uploads', 'BUCKET', 'NAME')).toBe('UPLOADS_BUCKET_NAME');
  expect(variableName('EventBus1', 'EVENT_BUS', 'NAME')).toBe('EVENT_BUS1_EVENT_BUS_NAME');
});
