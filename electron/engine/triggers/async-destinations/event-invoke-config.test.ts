import { expect, test } from 'vitest';
import type { TemplateResourceView } from '../../project/template-resources.ts';
import { readAsyncInvokeConfig } from './event-invoke-config.ts';

const fn = (properties: Record<string, unknown>): TemplateResourceView => ({
  logicalId: 'Worker',
  type: 'AWS::Serverless::Function',
  properties,
  location: { file: 'template.yaml', line: 3, column: 3 },
  ref: 'Worker',
  attributes: { Arn: 'arn:aws:lambda:eu-west-1:111122223333:function:Worker' },
});

test('EventInvokeConfig and DeadLetterQueue are read with their destinations', () => {
  const { config, warnings } = readAsyncInvokeConfig(
    fn({
      EventInvokeConfig: {
        MaximumRetryAttempts: 0,
        MaximumEventAgeInSeconds: '120',
        DestinationConfig: { OnSuccess: { Type: 'EventBridge', Destination: 'arn:aws:events:eu-west-1:111122223333:event-bus/default' }, OnFailure: { Type: 'Lambda', Destination: 'arn:aws:lambda:eu-west-1:111122223333:function:Fallback' } },
      },
      DeadLetterQueue: { Type: 'SNS', TargetArn: 'arn:aws:sns:eu-west-1:111122223333:dead' },
    }),
    'stack',
  );
  expect(warnings).toEqual([]);
  expect(config).toEqual({
    functionName: 'Worker',
    maximumRetryAttempts: 0,
    maximumEventAgeSeconds: 120,
    onSuccess: { type: 'EventBridge', arn: 'arn:aws:events:eu-west-1:111122223333:event-bus/default' },
    onFailure: { type: 'Lambda', arn: 'arn:aws:lambda:eu-west-1:111122223333:function:Fallback' },
    deadLetterQueue: { type: 'SNS', arn: 'arn:aws:sns:eu-west-1:111122223333:dead' },
  });
});

test('an SQS destination without Destination gets a queue of its own, as SAM creates one', () => {
  const { config } = readAsyncInvokeConfig(fn({ EventInvokeConfig: { DestinationConfig: { OnFailure: { Type: 'SQS' } } } }), 'stack');
  expect(config.onFailure).toEqual({ type: 'SQS', arn: 'arn:aws:sqs:eu-west-1:111122223333:stack-WorkerEventInvokeConfigOnFailureQueue' });
});

test('values AWS would refuse are warnings that name the property and are not used', () => {
  const { config, warnings } = readAsyncInvokeConfig(
    fn({ EventInvokeConfig: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 30, DestinationConfig: { OnFailure: { Type: 'SQS', Destination: 'arn:aws:sns:eu-west-1:1:topic' } } }, DeadLetterQueue: { Type: 'Kinesis', TargetArn: 'x' } }),
    'stack',
  );
  expect(config).toEqual({ functionName: 'Worker' });
  expect(warnings.map((w) => w.field)).toEqual([
    'Resources.Worker.Properties.EventInvokeConfig.MaximumRetryAttempts',
    'Resources.Worker.Properties.EventInvokeConfig.MaximumEventAgeInSeconds',
    'Resources.Worker.Properties.EventInvokeConfig.DestinationConfig.OnFailure.Destination',
    'Resources.Worker.Properties.DeadLetterQueue.Type',
  ]);
  expect(warnings[0]!.message).toContain('use a whole number from 0 to 2');
});
