import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { loadProject } from './load-project.ts';
import { projectGraph } from './project-graph.ts';

const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/projects/editing/commented');
const scratch = mkdtempSync(path.join(tmpdir(), 'project-graph-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test('functions, resources, routes and schedules of the commented fixture, with triggers and access', async () => {
  const graph = projectGraph(await loadProject(fixture));
  expect(graph.nodes.map(({ id, kind, label, virtual }) => ({ id, kind, label, virtual }))).toEqual([
    { id: 'OrdersApi', kind: 'function', label: 'OrdersApi', virtual: false },
    { id: 'OrdersWorker', kind: 'function', label: 'OrdersWorker', virtual: false },
    { id: 'Reports', kind: 'function', label: 'Reports', virtual: false },
    { id: 'OrdersQueue', kind: 'queue', label: 'OrdersQueue', virtual: false },
    { id: 'OrdersTable', kind: 'table', label: 'OrdersTable', virtual: false },
    { id: 'Uploads', kind: 'bucket', label: 'Uploads', virtual: false },
    { id: 'OrdersApi.PostOrder', kind: 'http-route', label: 'POST /orders', virtual: true },
    { id: 'OrdersApi.GetOrder', kind: 'http-route', label: 'GET /orders/{id}', virtual: true },
    { id: 'Reports.Nightly', kind: 'schedule', label: 'cron(0 2 * * ? *)', virtual: true },
  ]);
  expect(graph.edges).toEqual([
    { id: 'OrdersApi.PostOrder->OrdersApi:PostOrder', source: 'OrdersApi.PostOrder', target: 'OrdersApi', relation: 'trigger', eventName: 'PostOrder' },
    { id: 'OrdersApi.GetOrder->OrdersApi:GetOrder', source: 'OrdersApi.GetOrder', target: 'OrdersApi', relation: 'trigger', eventName: 'GetOrder' },
    { id: 'OrdersApi->OrdersQueue:access', source: 'OrdersApi', target: 'OrdersQueue', relation: 'access' },
    { id: 'OrdersQueue->OrdersWorker:FromQueue', source: 'OrdersQueue', target: 'OrdersWorker', relation: 'trigger', eventName: 'FromQueue' },
    { id: 'Reports.Nightly->Reports:Nightly', source: 'Reports.Nightly', target: 'Reports', relation: 'trigger', eventName: 'Nightly' },
  ]);
  const queue = graph.nodes.find((node) => node.id === 'OrdersQueue');
  expect(queue).toMatchObject({ resourceType: 'AWS::SQS::Queue', location: { file: 'template.yaml', line: 34, column: 3 } });
  expect(graph.nodes.find((node) => node.id === 'Reports.Nightly')).toMatchObject({ resourceType: 'Schedule event', eventOf: { functionId: 'Reports', eventName: 'Nightly' } });
});

test('sources outside the template, connectors, event source mappings and rule targets', async () => {
  const dir = path.join(scratch, 'raw');
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  writeFileSync(path.join(dir, 'src/index.mjs'), 'export const handler = async () => ({});\n');
  writeFileSync(
    path.join(dir, 'template.yaml'),
    [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      CodeUri: src/',
      '      Handler: index.handler',
      '      Runtime: nodejs20.x',
      '      Events:',
      '        Shared:',
      '          Type: SQS',
      '          Properties: { Queue: arn:aws:sqs:us-east-1:123456789012:shared-jobs }',
      '        Anything:',
      '          Type: EventBridgeRule',
      '          Properties: { Pattern: { source: [my.app] } }',
      '    Connectors:',
      '      WriteTable:',
      '        Properties: { Destination: { Id: Table }, Permissions: [Write] }',
      '  Table: { Type: AWS::Serverless::SimpleTable }',
      '  Stream: { Type: AWS::Kinesis::Stream, Properties: { ShardCount: 1 } }',
      '  Mapping:',
      '    Type: AWS::Lambda::EventSourceMapping',
      '    Properties: { FunctionName: !Ref Fn, EventSourceArn: !GetAtt Stream.Arn, StartingPosition: LATEST }',
      '  Rule:',
      '    Type: AWS::Events::Rule',
      '    Properties: { EventPattern: { source: [x] }, Targets: [{ Id: fn, Arn: !GetAtt Fn.Arn }] }',
      '',
    ].join('\n'),
  );
  const graph = projectGraph(await loadProject(dir));
  expect(graph.nodes.filter((node) => node.virtual).map(({ id, kind, label }) => ({ id, kind, label }))).toEqual([
    { id: 'Fn.Shared', kind: 'queue', label: 'shared-jobs' },
    { id: 'Fn.Anything', kind: 'event-rule', label: 'Rule on the default bus' },
  ]);
  expect(graph.edges.map((edge) => edge.id)).toEqual(['Fn.Shared->Fn:Shared', 'Fn.Anything->Fn:Anything', 'Fn->Table:access', 'Stream->Fn:mapping', 'Rule->Fn:target']);
});
