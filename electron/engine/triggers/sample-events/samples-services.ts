import { P, param, type SampleEventDefinition, type SampleValues } from './sample-event-types.ts';

const regional = [P.region, P.partition, P.account];

// AWS Config rule invocations: invokingEvent and ruleParameters are JSON text, kept byte for byte.
function configRule(event: string, help: string, invokingEvent: (v: SampleValues) => string, ruleParameters: string, ruleName: string): SampleEventDefinition {
  return {
    service: 'config',
    event,
    help: `Generates an AWS Config ${help} Event`,
    parameters: regional,
    build: (v) => ({
      invokingEvent: invokingEvent(v),
      ruleParameters,
      resultToken: 'myResultToken',
      eventLeftScope: false,
      executionRoleArn: `arn:${v.partition}:iam::${v['account-id']}:role/config-role`,
      configRuleArn: `arn:${v.partition}:config:${v.region}:${v['account-id']}:config-rule/config-rule-0123456`,
      configRuleName: ruleName,
      configRuleId: 'config-rule-0123456',
      accountId: v['account-id'],
      version: '1.0',
    }),
  };
}
const instanceArn = (v: SampleValues) => `arn:${v.partition}:ec2:${v.region}:${v['account-id']}:instance/i-00000000`;

// S3 notifications (and Rekognition's, which are S3's).
function s3Record(v: SampleValues, eventName: string, object: Record<string, unknown>) {
  return {
    eventVersion: '2.0',
    eventSource: 'aws:s3',
    awsRegion: v.region,
    eventTime: '1970-01-01T00:00:00.000Z',
    eventName,
    userIdentity: { principalId: 'EXAMPLE' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': 'EXAMPLE123456789', 'x-amz-id-2': 'EXAMPLE123/5678abcdefghijklambdaisawesome/mnopqrstuvwxyzABCDEFGH' },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'testConfigRule',
      bucket: { name: v.bucket, ownerIdentity: { principalId: 'EXAMPLE' }, arn: `arn:${v.partition}:s3:::${v.bucket}` },
      object: { key: v.key, ...object },
    },
  };
}
const s3Parameters = [P.region, P.partition, param('bucket', 'example-bucket'), param('key', 'test/key', { encoding: 'url' })];
const putObject = { size: 1024, eTag: '0123456789abcdef0123456789abcdef', sequencer: '0A1B2C3D4E5F678901' };

const sesHeader = (name: string, value: string) => ({ name, value });
const DKIM =
  'v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=example; h=mime-version:from:date:message-id:subject:to:content-type; bh=jX3F0bCAI7sIbkHyy3mLYO28ieDQz2R0P8HwQkklFj4=; b=sQwJ+LMe9RjkesGu+vqU56asvMhrLRRYrWCbVt6WJulueecwfEwRf9JVWgkBTKiL6m2hr70xDbPWDhtLdLO+jB3hzjVnXwK3pYIOHw3vxG6NtJ6o61XSUwjEsp9tdyxQjZf2HNYee873832l3K1EeSXKzxYk9Pwqcpi3dMC74ct9GukjIevf1H46hm1L2d9VYTL0LGZGHOAyMnHmEGB8ZExWbI+k6khpurTQQ4sp4PZPRlgHtnj3Zzv7nmpTo7dtPG5z5S9J+L+Ba7dixT0jn3HuhaJ9b+VThboo4YfsX9PMNhWWxGjVksSFOcGluPO7QutCPyoY4gbxtwkN9W69HA==';

export const SERVICE_SAMPLES: SampleEventDefinition[] = [
  { service: 'batch', event: 'get-job', help: 'Generates an AWS Batch Get Job Event', parameters: [], build: () => ({ jobName: 'hello_world', jobQueue: 'default', jobDefinition: 'hello_world' }) },
  { service: 'batch', event: 'submit-job', help: 'Generates an AWS Batch Submit Job Event', parameters: [], build: () => ({ jobId: '38fd08ce-5f5e-434c-8997-6bba5e3f5a74' }) },
  {
    service: 'cloudformation',
    event: 'create-request',
    help: 'Generates an AWS CloudFormation Create Request Event',
    parameters: [P.account, P.partition, P.region, param('stack', 'MyStack')],
    build: (v) => ({
      RequestType: 'Create',
      ResponseURL: 'http://pre-signed-S3-url-for-response',
      StackId: `arn:${v.partition}:cloudformation:${v.region}:${v['account-id']}:stack/${v.stack}/guid`,
      RequestId: 'unique id for this create request',
      ResourceType: 'Custom::TestResource',
      LogicalResourceId: 'MyTestResource',
      ResourceProperties: { StackName: v.stack, List: ['1', '2', '3'] },
    }),
  },
  {
    service: 'cloudwatch',
    event: 'logs',
    help: 'Generates an Amazon Cloudwatch Logs Event',
    parameters: [],
    build: () => ({
      awslogs: {
        data: 'H4sIAAAAAAAAAHWPwQqCQBCGX0Xm7EFtK+smZBEUgXoLCdMhFtKV3akI8d0bLYmibvPPN3wz00CJxmQnTO41whwWQRIctmEcB6sQbFC3CjW3XW8kxpOpP+OC22d1Wml1qZkQGtoMsScxaczKN3plG8zlaHIta5KqWsozoTYw3/djzwhpLwivWFGHGpAFe7DL68JlBUk+l7KSN7tCOEJ4M3/qOI49vMHj+zCKdlFqLaU2ZHV2a4Ct/an0/ivdX8oYc1UVX860fQDQiMdxRQEAAA==',
      },
    }),
  },
  {
    service: 'cloudwatch',
    event: 'scheduled-event',
    help: 'Generates an Amazon CloudWatch Events Scheduled Event',
    parameters: [P.account, P.partition, P.region, param('rule', 'ExampleRule')],
    // SAM's sample has no `version`; the schedule service's real events do ("0").
    build: (v) => ({
      id: 'cdc73f9d-aea9-11e3-9d5a-835b769c0d9c',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: v['account-id'],
      time: '1970-01-01T00:00:00Z',
      region: v.region,
      resources: [`arn:${v.partition}:events:${v.region}:${v['account-id']}:rule/${v.rule}`],
      detail: {},
    }),
  },
  {
    service: 'codecommit',
    event: 'repository',
    help: 'Generates an AWS CodeCommit Repository Event ',
    parameters: [P.account, P.partition, P.region, param('repository', 'my-repo'), param('trigger', 'my-trigger'), param('custom-data', 'this is custom data')],
    build: (v) => ({
      Records: [
        {
          awsRegion: v.region,
          codecommit: { references: [{ commit: '5c4ef1049f1d27deadbeeff313e0730018be182b', ref: 'refs/heads/master' }] },
          customData: v['custom-data'],
          eventId: '5a824061-17ca-46a9-bbf9-114edeadbeef',
          eventName: 'TriggerEventTest',
          eventPartNumber: 1,
          eventSource: 'aws:codecommit',
          eventSourceARN: `arn:${v.partition}:codecommit:${v.region}:${v['account-id']}:${v.repository}`,
          eventTime: '2016-01-01T23:59:59.000+0000',
          eventTotalParts: 1,
          eventTriggerConfigId: '5a824061-17ca-46a9-bbf9-114edeadbeef',
          eventTriggerName: v.trigger,
          eventVersion: '1.0',
          userIdentityARN: `arn:${v.partition}:iam::${v['account-id']}:root`,
        },
      ],
    }),
  },
  {
    service: 'codepipeline',
    event: 'job',
    help: 'Generates an AWS CodePipeline Job Event',
    parameters: [P.account, param('input-bucket', 'example-bucket'), param('input-key', 'test/key'), param('output-bucket', 'example-bucket2'), param('output-key', 'test/key2')],
    build: (v) => ({
      'CodePipeline.job': {
        data: {
          artifactCredentials: { secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'token', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' },
          actionConfiguration: { configuration: { FunctionName: 'my-function', UserParameters: 'user-parameter-string' } },
          inputArtifacts: [{ revision: 'ca2bdeadbeef7d1932acb4977e08c803295d9896', name: 'input-artifact', location: { type: 'S3', s3Location: { objectKey: v['input-key'], bucketName: v['input-bucket'] } } }],
          outputArtifacts: [{ revision: null, name: 'output-artifact', location: { type: 'S3', s3Location: { objectKey: v['output-key'], bucketName: v['output-bucket'] } } }],
        },
        id: 'c968ef10-6415-4127-80b1-42502218a8c7',
        accountId: v['account-id'],
      },
    }),
  },
  {
    service: 'cognito',
    event: 'sync-trigger',
    help: 'Generates an Amazon Cognito Sync Trigger Event',
    parameters: [P.region],
    build: (v) => ({
      version: 2,
      eventType: 'SyncTrigger',
      region: v.region,
      identityPoolId: 'identityPoolId',
      identityId: 'identityId',
      datasetName: 'datasetName',
      datasetRecords: { SampleKey1: { oldValue: 'oldValue1', newValue: 'newValue1', op: 'replace' }, SampleKey2: { oldValue: 'oldValue2', newValue: 'newValue2', op: 'replace' } },
    }),
  },
  configRule(
    'item-change-notification',
    'Configuration Item Change Notification',
    (v) =>
      `{"configurationItem":{"configurationItemCaptureTime":"2016-10-06T16:46:16.261Z","awsAccountId":"${v['account-id']}","configurationItemStatus":"OK","resourceId":"i-00000000","resourceName":"foo","configurationStateMd5Hash":"8f1ee69b297895a0f8bc5753eca68e96","resourceCreationTime":"2016-10-06T16:46:10.489Z","configurationStateId":0,"configurationItemVersion":"1.2","ARN":"${instanceArn(v)}","awsRegion":"${v.region}","availabilityZone":"${v.region}","resourceType":"AWS::EC2::Instance","tags":{"<Foo>":"<Bar>"},"relationships":[{"resourceId":"eipalloc-00000000","resourceType":"AWS::EC2::EIP","name":"Is attached to ElasticIp"}],"configuration":{"<foo>":"<bar>"}},"messageType":"ConfigurationItemChangeNotification"}`,
    '{"<exampleKey>":"<exampleValue>"}',
    'change-triggered-config-rule',
  ),
  configRule(
    'oversized-item-change-notification',
    'Oversized Configuration Item Change Notification',
    (v) =>
      `{"configurationItemSummary": {"changeType": "UPDATE","configurationItemVersion": "1.2","configurationItemCaptureTime":"2016-10-06T16:46:16.261Z","configurationStateId": 0,"awsAccountId":"${v['account-id']}","configurationItemStatus": "OK","resourceType": "AWS::EC2::Instance","resourceId":"i-00000000","resourceName":null,"ARN":"${instanceArn(v)}","awsRegion": "${v.region}","availabilityZone":"${v.region}","configurationStateMd5Hash":"8f1ee69b287895a0f8bc5753eca68e96","resourceCreationTime":"2016-10-06T16:46:10.489Z"},"messageType":"OversizedConfigurationItemChangeNotification"}`,
    '{"<myParameterKey>":"<myParameterValue>"}',
    'change-triggered-config-rule',
  ),
  configRule(
    'periodic-rule',
    'Periodic Rule',
    (v) => `{"awsAccountId":"${v['account-id']}","notificationCreationTime":"1970-01-01T00:00:00.0Z","messageType":"ScheduledNotification","recordVersion":"1.0"}`,
    '{"myParameterKey":"myParameterValue"}',
    'periodic-config-rule',
  ),
  {
    service: 'rekognition',
    event: 's3-request',
    help: 'Generates an Amazon Rekognition S3 Request Event',
    parameters: s3Parameters,
    build: (v) => ({ Records: [s3Record(v, 'ObjectCreated:Put', putObject)] }),
  },
  {
    service: 's3',
    event: 'batch-invocation',
    help: 'Generates an Amazon S3 Batch Operations Invocation Event',
    parameters: [param('bucket-arn', 'arn:aws:s3:::examplebucket'), param('key', 'test/key', { encoding: 'url' })],
    build: (v) => ({
      invocationSchemaVersion: '1.0',
      invocationId: 'YXNkbGZqYWRmaiBhc2RmdW9hZHNmZGpmaGFzbGtkaGZza2RmaAo',
      job: { id: 'f3cc4f60-61f6-4a2b-8a21-d07600c373ce' },
      tasks: [{ taskId: 'dGFza2lkZ29lc2hlcmUK', s3Key: v.key, s3VersionId: '1', s3BucketArn: v['bucket-arn'] }],
    }),
  },
  { service: 's3', event: 'delete', help: 'Generates an Amazon S3 Delete Event', parameters: s3Parameters, build: (v) => ({ Records: [s3Record(v, 'ObjectRemoved:Delete', { sequencer: '0A1B2C3D4E5F678901' })] }) },
  { service: 's3', event: 'put', help: 'Generates an Amazon S3 Put Event', parameters: s3Parameters, build: (v) => ({ Records: [s3Record(v, 'ObjectCreated:Put', putObject)] }) },
  {
    service: 'sagemaker',
    event: 'ground-truth-pre-human',
    help: 'Generates a SageMaker Ground Truth PreHumanTask request',
    parameters: [...regional, param('source-ref', 's3://sagemakerexample/object_to_annotate.jpg'), param('labeling-job-name', 'example-job')],
    build: (v) => ({
      version: '2018-10-16',
      labelingJobArn: `arn:${v.partition}:sagemaker:${v.region}:${v['account-id']}:labeling-job/${v['labeling-job-name']}`,
      dataObject: { 'source-ref': v['source-ref'] },
    }),
  },
  {
    service: 'sagemaker',
    event: 'ground-truth-annotation-consolidation',
    help: 'Generates a SageMaker Ground Truth AnnotationConsolidation request',
    parameters: [
      ...regional,
      param('labeling-job-name', 'example-job'),
      param('label-attribute-name', 'example-attribute'),
      param('s3-output-path', 's3://sagemakerexample/output'),
      param('execution-role', 'sagemaker-role'),
      param('iteration-object-timestamp', 'iteration-1/0/2019-09-06_18:35:03'),
    ],
    // SAM's sample writes this role ARN as `aws:…` rather than `arn:…`; kept as SAM has it.
    build: (v) => ({
      version: '2018-10-16',
      labelingJobArn: `arn:${v.partition}:sagemaker:${v.region}:${v['account-id']}:labeling-job/${v['labeling-job-name']}`,
      labelAttributeName: v['label-attribute-name'],
      roleArn: `aws:${v.partition}:iam::${v['account-id']}:role/${v['execution-role']}`,
      payload: { s3Uri: `${v['s3-output-path']}/${v['labeling-job-name']}/annotations/worker_response/${v['iteration-object-timestamp']}.json` },
    }),
  },
  {
    service: 'ses',
    event: 'email-receiving',
    help: 'Generates an Amazon SES Email Receiving Event',
    parameters: [...regional, param('dns-suffix', 'us-east-1.amazonaws.com')],
    build: (v) => ({
      Records: [
        {
          eventSource: 'aws:ses',
          eventVersion: '1.0',
          ses: {
            mail: {
              commonHeaders: {
                date: 'Wed, 7 Oct 2015 12:34:56 -0700',
                from: ['Jane Doe <janedoe@example.com>'],
                messageId: '<0123456789example.com>',
                returnPath: 'janedoe@example.com',
                subject: 'Test Subject',
                to: ['johndoe@example.com'],
              },
              destination: ['johndoe@example.com'],
              headers: [
                sesHeader('Return-Path', '<janedoe@example.com>'),
                sesHeader(
                  'Received',
                  `from mailer.example.com (mailer.example.com [203.0.113.1]) by inbound-smtp.${v['dns-suffix']} with SMTP id o3vrnil0e2ic28trm7dfhrc2v0cnbeccl4nbp0g1 for johndoe@example.com; Wed, 07 Oct 2015 12:34:56 +0000 (UTC)`,
                ),
                sesHeader('DKIM-Signature', DKIM),
                sesHeader('MIME-Version', '1.0'),
                sesHeader('From', 'Jane Doe <janedoe@example.com>'),
                sesHeader('Date', 'Wed, 7 Oct 2015 12:34:56 -0700'),
                sesHeader('Message-ID', '<0123456789example.com>'),
                sesHeader('Subject', 'Test Subject'),
                sesHeader('To', 'johndoe@example.com'),
                sesHeader('Content-Type', 'text/plain; charset=UTF-8'),
              ],
              headersTruncated: false,
              messageId: 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1',
              source: 'janedoe@example.com',
              timestamp: '1970-01-01T00:00:00.000Z',
            },
            receipt: {
              action: { functionArn: `arn:${v.partition}:lambda:${v.region}:${v['account-id']}:function:Example`, invocationType: 'Event', type: 'Lambda' },
              dkimVerdict: { status: 'PASS' },
              processingTimeMillis: 574,
              recipients: ['johndoe@example.com'],
              spamVerdict: { status: 'PASS' },
              spfVerdict: { status: 'PASS' },
              timestamp: '1970-01-01T00:00:00.000Z',
              virusVerdict: { status: 'PASS' },
            },
          },
        },
      ],
    }),
  },
  {
    service: 'stepfunctions',
    event: 'error',
    help: 'Generates an AWS StepFunctions Error Event',
    parameters: [param('error', 'ErrorName'), param('cause', 'This is the cause of the error.')],
    build: (v) => ({ Error: v.error, Cause: v.cause }),
  },
  {
    service: 'workmail',
    event: 'email',
    help: 'Generates an Amazon Work Mail Event',
    parameters: [param('flow-direction', 'INBOUND'), param('mail-from', 'from@example.com'), param('sender', 'sender@example.com')],
    build: (v) => ({
      summaryVersion: '2018-10-10',
      envelope: { mailFrom: { address: v['mail-from'] }, recipients: [{ address: 'recipient1@example.com' }, { address: 'recipient2@example.com' }] },
      sender: { address: v.sender },
      subject: 'Hello From Amazon WorkMail!',
      messageId: '00000000-0000-0000-0000-000000000000',
      invocationId: '00000000000000000000000000000000',
      flowDirection: v['flow-direction'],
      truncated: false,
    }),
  },
];
