import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { loadProject } from './load-project.ts';
import { TemplateErrors } from './template-errors.ts';
import { readResourcesOfType, readTemplateResources } from './template-resources.ts';

const scratch: string[] = [];
afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

const identity = { region: 'us-east-1', accountId: '123456789012' };

/** A throwaway project in a folder named `folder`, so the stack name is known. */
async function project(template: string, folder = 'shop'): Promise<string> {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'lambdadesk-resources-'));
  scratch.push(parent);
  const dir = path.join(parent, folder);
  await mkdir(path.join(dir, 'src'), { recursive: true });
  await writeFile(path.join(dir, 'template.yaml'), template);
  return dir;
}

const HEADER = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
`;

test('a queue named by a parameter gets the ARN that a function event referring to it resolves to', async () => {
  const dir = await project(`${HEADER}
Parameters:
  Stage: { Type: String, Default: dev }
Resources:
  Orders:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub orders-\${Stage}
      VisibilityTimeout: 60
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: index.handler
      Runtime: nodejs20.x
      Events:
        Work:
          Type: SQS
          Properties:
            Queue: !GetAtt Orders.Arn
`);
  const { model } = await loadProject(dir, { parameterOverrides: { Stage: 'prod' } });
  const [queue] = (await readTemplateResources(model, identity)).ofType('AWS::SQS::Queue');
  expect(queue).toMatchObject({
    logicalId: 'Orders',
    properties: { QueueName: 'orders-prod', VisibilityTimeout: 60 },
    ref: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-prod',
    attributes: { QueueName: 'orders-prod' },
    location: { line: 7 },
  });
  expect(queue?.attributes.Arn).toBe(model.functions[0]?.events[0]?.properties.Queue);
});

test('unnamed resources are named after the stack (the project folder), and every created resource is listed in template order', async () => {
  const dir = await project(`${HEADER}
Resources:
  Uploads:
    Type: AWS::S3::Bucket
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      FifoQueue: true
  Alerts:
    Type: AWS::SNS::Topic
`, 'my_shop');
  const template = await readTemplateResources((await loadProject(dir)).model, identity);
  expect(template.stack).toMatchObject({ stackName: 'my-shop', partition: 'aws' });
  expect(template.resources.map((r) => [r.logicalId, r.ref])).toEqual([
    ['Uploads', 'my-shop-uploads'],
    ['Jobs', 'https://sqs.us-east-1.amazonaws.com/123456789012/my-shop-Jobs.fifo'],
    ['Alerts', 'arn:aws:sns:us-east-1:123456789012:my-shop-Alerts'],
  ]);
  expect(template.ofType('AWS::SNS::Topic', 'AWS::S3::Bucket').map((r) => r.logicalId)).toEqual(['Uploads', 'Alerts']);
});

test('a resource whose Condition is false is left out', async () => {
  const dir = await project(`${HEADER}
Parameters:
  WithDlq: { Type: String, Default: 'no', AllowedValues: ['yes', 'no'] }
Conditions:
  HasDlq: !Equals [!Ref WithDlq, 'yes']
Resources:
  Dlq:
    Type: AWS::SQS::Queue
    Condition: HasDlq
  Main:
    Type: AWS::SQS::Queue
`);
  const names = async (overrides: Record<string, string>) =>
    (await readResourcesOfType((await loadProject(dir, { parameterOverrides: overrides })).model, identity, ['AWS::SQS::Queue'])).map((r) => r.logicalId);
  expect(await names({})).toEqual(['Main']);
  expect(await names({ WithDlq: 'yes' })).toEqual(['Dlq', 'Main']);
});

test("each SAM resource gets its own type's Globals section, unless it ignores them", async () => {
  const dir = await project(`${HEADER}
Globals:
  Function:
    Timeout: 20
    EventInvokeConfig:
      MaximumRetryAttempts: 1
  SimpleTable:
    SSESpecification: { SSEEnabled: true }
  Api:
    Cors: "'*'"
Resources:
  Plain:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: src/, Handler: index.handler, Runtime: nodejs20.x }
  Opted:
    Type: AWS::Serverless::Function
    IgnoreGlobals: '*'
    Properties: { CodeUri: src/, Handler: index.handler, Runtime: nodejs20.x, Timeout: 5 }
  Items:
    Type: AWS::Serverless::SimpleTable
  Queue:
    Type: AWS::SQS::Queue
`);
  const template = await readTemplateResources((await loadProject(dir)).model, identity);
  const [plain, opted] = template.ofType('AWS::Serverless::Function');
  expect(plain?.properties).toMatchObject({ Timeout: 20, EventInvokeConfig: { MaximumRetryAttempts: 1 } });
  expect(opted?.properties.Timeout).toBe(5);
  expect(opted?.properties.EventInvokeConfig).toBeUndefined();
  expect(template.ofType('AWS::Serverless::SimpleTable')[0]?.properties).toEqual({ SSESpecification: { SSEEnabled: true } });
  expect(template.ofType('AWS::SQS::Queue')[0]?.properties).toEqual({});
  expect(template.globals('Api')).toMatchObject({ properties: { Cors: "'*'" }, location: { line: 11 } });
  expect(template.globals('HttpApi').properties).toEqual({});
});

test('a name that cannot be known offline is left out of the ARN, as references to it resolve, and warned about', async () => {
  const dir = await project(`${HEADER}
Resources:
  Shared:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !ImportValue SharedQueueName
`);
  const template = await readTemplateResources((await loadProject(dir)).model, identity);
  expect(template.resources[0]?.attributes.Arn).toBe('arn:aws:sqs:us-east-1:123456789012:shop-Shared');
  expect(template.resources[0]?.properties.QueueName).toContain('<unresolved');
  expect(template.warnings.map((w) => w.field)).toContain('Resources.Shared.Properties.QueueName');
});

test('ARNs follow the partition of the region', async () => {
  const dir = await project(`${HEADER}
Resources:
  Alerts:
    Type: AWS::SNS::Topic
    Properties: { TopicName: alerts }
`);
  const [topic] = await readResourcesOfType((await loadProject(dir)).model, { region: 'cn-north-1', accountId: '123456789012' }, ['AWS::SNS::Topic']);
  expect(topic?.ref).toBe('arn:aws-cn:sns:cn-north-1:123456789012:alerts');
});

test('a template that stopped parsing after the model was loaded throws its syntax errors', async () => {
  const dir = await project(`${HEADER}
Resources:
  Alerts:
    Type: AWS::SNS::Topic
`);
  const { model } = await loadProject(dir);
  await writeFile(model.templatePath, `${HEADER}Resources:\n  Alerts:\n    Type: [AWS::SNS::Topic\n`);
  await expect(readTemplateResources(model, identity)).rejects.toBeInstanceOf(TemplateErrors);
});
