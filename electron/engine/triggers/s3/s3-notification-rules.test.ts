import { expect, test } from 'vitest';
import type { FunctionConfig, ProjectModel } from '../../contract.ts';
import type { TemplateResourceView } from '../../project/template-resources.ts';
import { readNotificationRules, ruleMatches, type NotificationRule } from './s3-notification-rules.ts';

const at = { file: 'template.yaml', line: 1, column: 1 };
const fn = (events: FunctionConfig['events']): FunctionConfig => ({ logicalId: 'Reader', functionName: 'Reader', events, location: at } as FunctionConfig);
const model = (functions: FunctionConfig[]): ProjectModel => ({ dir: '/p', templatePath: '/p/template.yaml', functions, layers: [], parameters: {}, warnings: [] });
const bucket: TemplateResourceView = { logicalId: 'Uploads', type: 'AWS::S3::Bucket', properties: { BucketName: 'uploads' }, location: at, ref: 'uploads', attributes: {} };

test('event types match exactly or by wildcard; prefix and suffix filters hold', () => {
  const rule: NotificationRule = { configurationId: 'c', bucket: 'b', events: ['s3:ObjectCreated:*'], prefix: 'incoming/', suffix: '.txt', target: { kind: 'function', functionName: 'F' } };
  expect(ruleMatches(rule, 'ObjectCreated:Put', 'incoming/a.txt')).toBe(true);
  expect(ruleMatches(rule, 'ObjectCreated:CompleteMultipartUpload', 'incoming/a.txt')).toBe(true);
  expect(ruleMatches(rule, 'ObjectRemoved:Delete', 'incoming/a.txt')).toBe(false);
  expect(ruleMatches(rule, 'ObjectCreated:Put', 'other/a.txt')).toBe(false);
  expect(ruleMatches(rule, 'ObjectCreated:Put', 'incoming/a.png')).toBe(false);
  expect(ruleMatches({ ...rule, events: ['s3:ObjectCreated:Copy'], prefix: undefined, suffix: undefined }, 'ObjectCreated:Put', 'x')).toBe(false);
});

test('SAM S3 events become rules; mistakes are warnings that name the property', () => {
  const { rules, warnings } = readNotificationRules(
    model([
      fn([
        { name: 'Good', type: 'S3', location: at, properties: { Bucket: 'uploads', Events: 's3:ObjectCreated:*', Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'in/' }, { Name: 'Suffix', Value: '.csv' }] } } } },
        { name: 'BadEvent', type: 'S3', location: at, properties: { Bucket: 'uploads', Events: ['s3:ObjectCreated'] } },
        { name: 'BadFilter', type: 'S3', location: at, properties: { Bucket: 'uploads', Events: 's3:ObjectRemoved:*', Filter: { S3Key: { Rules: [{ Name: 'middle', Value: 'x' }] } } } },
      ]),
    ]),
    [bucket],
  );
  expect(rules).toHaveLength(1);
  expect(rules[0]).toMatchObject({ bucket: 'uploads', events: ['s3:ObjectCreated:*'], prefix: 'in/', suffix: '.csv', target: { kind: 'function', functionName: 'Reader' } });
  expect(warnings.map((w) => w.field)).toEqual(['Resources.Reader.Properties.Events.BadEvent.Properties.Events', 'Resources.Reader.Properties.Events.BadFilter.Properties.Filter']);
  expect(warnings[0]!.message).toContain('s3:ObjectCreated is not an S3 event type');
});

test('a bucket’s NotificationConfiguration sends to functions by ARN and to queues', () => {
  const configured: TemplateResourceView = {
    ...bucket,
    properties: {
      NotificationConfiguration: {
        LambdaConfigurations: [{ Event: 's3:ObjectCreated:Put', Function: 'arn:aws:lambda:us-east-1:123456789012:function:Reader' }],
        QueueConfigurations: [{ Event: 's3:ObjectRemoved:*', Queue: 'arn:aws:sqs:us-east-1:123456789012:removed' }],
      },
    },
  };
  const { rules } = readNotificationRules(model([fn([])]), [configured]);
  expect(rules.map((r) => r.target)).toEqual([
    { kind: 'function', functionName: 'Reader' },
    { kind: 'arn', arn: 'arn:aws:sqs:us-east-1:123456789012:removed' },
  ]);
});
