import { P, param, type SampleEventDefinition, type SampleValues } from './sample-event-types.ts';

const SEQUENCE = '49545115243490985018280067714973144582180062593244200961';
const RECORD_ID = '49546986683135544286507457936321625675700192471156785154';
const FIREHOSE_ARRIVAL = 1495072949453;
const analyticsArns = (v: SampleValues) => ({
  applicationArn: `arn:${v.partition}:kinesisanalytics:${v.region}:${v['account-id']}:application/${v.application}`,
  streamArn: `arn:${v.partition}:kinesis:${v.region}:${v['account-id']}:stream/${v.stream}`,
});
const analyticsParameters = (data: string, encoding?: 'base64') => [
  P.partition,
  P.region,
  P.account,
  param('application', 'example-application'),
  param('stream', 'example-stream'),
  param('data', data, encoding ? { encoding } : {}),
];

function dynamoRecord(v: SampleValues, n: number, eventID: string, eventName: string, images: Record<string, unknown>, sizeBytes: number) {
  return {
    eventID,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: v.region,
    dynamodb: {
      Keys: { Id: { N: '101' } },
      ...images,
      ApproximateCreationDateTime: 1428537600,
      SequenceNumber: `442158450000000001745043909${n}`,
      SizeBytes: sizeBytes,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: `arn:${v.partition}:dynamodb:${v.region}:${v['account-id']}:table/${v.table}/stream/2015-06-27T00:48:05.899`,
  };
}
const item = (message: string) => ({ Message: { S: message }, Id: { N: '101' } });

// A Kinesis Data Firehose transformation batch: four gzip'd CloudWatch Logs subscriptions.
const CWL_RECORDS: Array<[string, string, number]> = [
  [
    '49578734086442259037497492980620233840400173390482112514000000',
    'H4sIAAAAAAAAADWO0QqCMBiFX2XsWiJFi7wLUW8sIYUuQmLpnxvpJttMQnz3Ztrlxzmc8424BaVIDfmnA+zjID3nlzS5n8IsO8YhtrAYOMg5aURfDUSXNBG1MkEj6liKvjPZQpmWQNoFVf9QpWSdZoJHrNEgFfZvxa8XvoHrGUfMqqWumdHQpDVjtmdvHc91dwdn71p/vVngmqBVD616PgoolC/Ga0SBNJoi8USVWWKczM8oYhKoULDBUzF9Aeua5yHsAAAA',
    1510254469499,
  ],
  [
    '49578734086442259037497492980621442766219788363254202370000000',
    'H4sIAAAAAAAAAJWRTWsbMRCG/8ueLZjRjL5yc9NNLnZDapemlFAkrTYstb3Lep0Qgv97x00KgTSHnAQzmkeP3nmqtmW/j3dl/TiU6qz6PF/Pfy3r1Wp+WVezqn/YlVHK2pK3Hr0Jxkt5099djv1hkE7uh0eVHzZqE7epiarb3fe/ixzDYVJoELRhssYQqsXLlEJ3jd8//biy4QYWz7jVNJa4/TDveQwV+qsada0v/HnthLg/pH0eu2Hq+t1Ft5nKuK/Ofn4EvnpDUAu7Xi6/LL9en3/z1e1f7fq+7KYT+qnqGrEnsi54AGS2wbHWxjCjoWAYGawmzawByIG3Dp0JzjOxsaI8dbKJKW4l1BcTdgg+zP5tSPCeQ/Bso/I+o+I2kUptjgrRlQyasslUHWdvZRwGJ4+HYJGCtiKgQTYKSJ4gODLgAkpFk3f0rkyA1zLGSsvoVsVCRTFakUkNqKxt1IyFc8T/y0gEmoHZo5a/W9HhU0TeWHMyIJaoQC6zDvC+DL6WSW3MqZSkiolJcWoalWybJSNIJTXcRgjV8fb4BwwLrNzwAgAA',
    1510254473773,
  ],
  [
    '49578734086442259037497492980622651692039402992428908546000000',
    'H4sIAAAAAAAAAJWRbWsbMQyA/8t9jkGSJdnut2zLCiXZyJKyZaMM352vHEty4e7SUkr++9yXwUbXD8Vgg2w9eizdF7s0DPE6re8OqTgrPkzX05+L2Wo1PZ8Vk6K73ac+h0mtV49egvgc3nbX5313POSbqjvcmep2a7ZxV9bRtPub7lfKx+E4GhQEErYqYtHMn7MMuiV+fbf5rOEbzJ9wq7FPcfdm3lOaNReXyws/3cw2fvk9A4djOVR9exjbbv+x3Y6pH4qzH29hr14QzFzXi8WnxZfl+0tfXD1az27SfnxA3xdtneWtVRc8ADJrcEwkwoxigzAyiBNxzkJuIxGrei+g3gbgrDy2eRBj3OWePpuwQ/Bh8mdAGR+J69pJMFXKihwTGJ+aYJArpkjYQB2K0+SljMPgyFIIijaQgs2BAMEyexbns1NeoqpsCV+VCfCPTOVLLgUMU4h5S5UpE4BRm6ROqCEF/r8MExBDro3ED0XBMigFVM0iQlkRvZLml9a/LoN/yzSYKoIKTOmVTf6VNTHZxkjTIElkqlCL09XpN5PgkxrvAgAA',
    1510254474027,
  ],
  [
    '49578734086442259037497492980623860617859017621603614722000000',
    'H4sIAAAAAAAAAJWRW28aQQyF/8s+M9J47LHHeaMtzUOhEQXSVlVUDctstCqwCJZEUcR/r3OpFCnNQ17mcjw+8+n4vtqUwyFfl/ndrlRn1afhfPh7MprNhuejalB1t9uyNzkwJk6QosZk8rq7Pt93x51V6m535+rbtVvnzXKVXbu96f4U23bH3kEEHyIhx4jgxs9dDmQK3z/8vGD94cdPdrN+X/Lm3X5PbcHp5QLkYrqYLC6/mOHhuDzU+3bXt932c7vuy/5Qnf16j/fslYMb83wy+Tr5Nv24SNXVI/Xopmz7B+v7ql0ZPCKLJu+BiFUohBiJIKJGAvIkSTgpsU8aVBNangymsCH3rQ2izxvL9JmEBOzh4N+AzL6gX3JD7CLn4kg8OiVduahNkIa0BtbqNHgNI6AS0P5kQA3sUcA4IDCElCBKwgdgiCoI+CaM+pcwbAVfN8F5r2owGV0OdpWkS8kp52a1/D8MBR8sDUoQKDIbDnqlhAgQLTMWz8YbRQT92zDwEkbIQ10YHUZbKGfvUmrAIWodih2btKpOV6e/zXGIX+8CAAA=',
    1510254474388,
  ],
];

const KPL_RECORDS: Array<[string, string, string, number, string]> = [
  [
    '49571347871967966406409637155186850213682522142927749122',
    'shardId-000000000001',
    'partitionKey-01',
    1505169657117,
    '84mawgoNMTUwNTE2OTY0NTI1MBIlODYwOTcwOTY1NTE0NjQwMzU1MjIwNTI5MjgyNDk2MzU3MTUzNxImNzk1MTM3MTQxMzM4MTE5NTU1OTExMzA1ODMxNDEyOTg2NTM2OTgaiAEIABAAGoEBNDAsYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWEKGogBCAAQARqBATQxLGFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhCkU/elbPye5g1wGkAmxGCNg=',
  ],
  [
    '49571347871967966406409637141563465152445265354688561154',
    'shardId-000000000002',
    'partitionKey-02',
    1505169647777,
    'NCxhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWEK',
  ],
];

function analytics(event: string, help: string, data: string, encoding?: 'base64'): SampleEventDefinition {
  return {
    service: 'kinesis',
    event,
    help: `Generates an Amazon Kinesis Data Analytics ${help}Event`,
    parameters: analyticsParameters(data, encoding),
    build: (v) => ({ invocationId: 'invocationIdExample', ...analyticsArns(v), records: [{ recordId: '49571347871967966406409637155186850213682522142927749122', data: v.data }] }),
  };
}

export const STREAM_SAMPLES: SampleEventDefinition[] = [
  {
    service: 'dynamodb',
    event: 'update',
    help: 'Generates an Amazon DynamoDB Update Event',
    parameters: [P.account, P.partition, P.region, param('table', 'ExampleTableWithStream')],
    build: (v) => ({
      Records: [
        dynamoRecord(v, 1, 'c4ca4238a0b923820dcc509a6f75849b', 'INSERT', { NewImage: item('New item!') }, 26),
        dynamoRecord(v, 2, 'c81e728d9d4c2f636f067f89cc14862c', 'MODIFY', { NewImage: item('This item has changed'), OldImage: item('New item!') }, 59),
        dynamoRecord(v, 3, 'eccbc87e4b5ce2fe28308fd9f2a7baf3', 'REMOVE', { OldImage: item('This item has changed') }, 38),
      ],
    }),
  },
  {
    service: 'kinesis',
    event: 'get-records',
    help: 'Generates an Amazon Kinesis Data Stream Event',
    parameters: [P.region, P.partition, param('sequence', SEQUENCE), param('data', 'Hello, this is a test 123.', { encoding: 'base64' }), param('partition-key', 'partitionKey-03')],
    build: (v) => ({
      Records: [
        {
          kinesis: { partitionKey: v['partition-key'], kinesisSchemaVersion: '1.0', data: v.data, sequenceNumber: v.sequence, approximateArrivalTimestamp: 1428537600 },
          eventSource: 'aws:kinesis',
          eventID: `shardId-000000000000:${v.sequence}`,
          invokeIdentityArn: `arn:${v.partition}:iam::EXAMPLE`,
          eventVersion: '1.0',
          eventName: 'aws:kinesis:record',
          eventSourceARN: `arn:${v.partition}:kinesis:EXAMPLE`,
          awsRegion: v.region,
        },
      ],
    }),
  },
  {
    service: 'kinesis',
    event: 'kinesis-firehose',
    help: 'Generates an Amazon Kinesis Data Firehose Event',
    parameters: [P.partition, P.region, param('data', 'SGVsbG8sIHRoaXMgaXMgYSB0ZXN0IDEyMy4=')],
    build: (v) => ({
      invocationId: 'invocationIdExample',
      deliveryStreamArn: `arn:${v.partition}:kinesis:EXAMPLE`,
      region: v.region,
      records: [{ recordId: RECORD_ID, approximateArrivalTimestamp: FIREHOSE_ARRIVAL, data: v.data }],
    }),
  },
  analytics('analytics', '', 'This is a test from Kinesis Analytics', 'base64'),
  analytics('analytics-compressed', 'Compressed ', 'H4sIAAAAAAAA/6vmUspLzE1VslLKTsxNzFHS4VJKTEkpSi0uBgol5SRmKHHVAgDd1tysJAAAAA=='),
  analytics('analytics-dynamodb', 'DynamoDB ', '{"ROWTIME_TIMESTAMP":"2017-12-15 01:09:50.000","VEHICLEID":"5","VEHICLECOUNT":18}', 'base64'),
  {
    service: 'kinesis',
    event: 'analytics-kpl',
    help: 'Generates an Amazon Kinesis Data Analytics KPL Event',
    parameters: [P.partition, P.region, P.account, param('application', 'example-application'), param('stream', 'example-stream')],
    build: (v) => ({
      invocationId: 'invocationIdExample',
      ...analyticsArns(v),
      records: KPL_RECORDS.map(([recordId, shardId, partitionKey, approximateArrivalTimestamp, data]) => ({
        recordId,
        kinesisStreamRecordMetadata: { shardId, partitionKey, approximateArrivalTimestamp, sequenceNumber: recordId },
        data,
      })),
    }),
  },
  {
    service: 'kinesis',
    event: 'apachelog',
    help: 'Generates an Amazon Kinesis Data Firehose Apachelog Event',
    parameters: [P.region, param('data', 'NjQuMjQyLjg4LjEwIC0gLSBbMDcvTWFyLzIwMDQ6MTY6MTA6MDIgLTA4MDBdICJHRVQgL21haWxtYW4vbGlzdGluZm8vaHNkaXZpc2lvbiBIVFRQLzEuMSIgMjAwIDYyOTE==')],
    build: (v) => ({ invocationId: 'invocationIdExample', region: v.region, records: [{ recordId: RECORD_ID, approximateArrivalTimestamp: FIREHOSE_ARRIVAL, data: v.data }] }),
  },
  {
    service: 'kinesis',
    event: 'cloudwatch-logs-processor',
    help: 'Generates an Amazon Kinesis Data Firehose Cloudwatch Logs Processor Event',
    parameters: [P.region, P.partition, P.account],
    build: (v) => ({
      records: CWL_RECORDS.map(([recordId, data, approximateArrivalTimestamp]) => ({ recordId, data, approximateArrivalTimestamp })),
      region: v.region,
      deliveryStreamArn: `arn:${v.partition}:firehose:${v.region}:${v['account-id']}:deliverystream/copy-cwl-lambda-invoke-input-151025436553-Firehose-8KILJ01Q5OBN`,
      invocationId: 'a7234216-12b6-4bc0-96d7-82606c0e80cf',
    }),
  },
  {
    service: 'kinesis',
    event: 'streams-as-source',
    help: 'Generates an Amazon Kinesis Data Firehose Streams as Source Event',
    parameters: [P.partition, P.region, param('partition-key', 'partitionKey-03'), param('data', 'SGVsbG8sIHRoaXMgaXMgYSB0ZXN0IDEyMy4='), param('sequence', SEQUENCE)],
    // `deliverySteamArn` (sic) is how SAM's sample spells it.
    build: (v) => ({
      invocationId: 'invocationIdExample',
      deliverySteamArn: `arn:${v.partition}:kinesis:EXAMPLE`,
      region: v.region,
      records: [
        {
          recordId: RECORD_ID,
          approximateArrivalTimestamp: FIREHOSE_ARRIVAL,
          kinesisRecordMetadata: { sequenceNumber: v.sequence, subsequenceNumber: '123456', partitionKey: v['partition-key'], shardId: 'shardId-000000000000', approximateArrivalTimestamp: FIREHOSE_ARRIVAL },
          data: v.data,
        },
      ],
    }),
  },
  {
    service: 'kinesis',
    event: 'syslog',
    help: 'Generates an Amazon Kinesis Data Firehose Syslog Event',
    parameters: [P.region, param('data', 'SGVsbG8sIHRoaXMgaXMgYSB0ZXN0IDEyMy4=')],
    build: (v) => ({
      invocationId: 'fir',
      region: v.region,
      records: [
        { recordId: RECORD_ID, approximateArrivalTimestamp: FIREHOSE_ARRIVAL, data: v.data },
        { recordId: RECORD_ID, approximateArrivalTimestamp: '2012-04-23T18:25:43.511Z', data: v.data },
      ],
    }),
  },
  {
    service: 'sqs',
    event: 'receive-message',
    help: 'Generates an Amazon SQS Event',
    parameters: [P.partition, P.region, P.account, param('queue-name', 'MyQueue'), param('body', 'Hello from SQS!')],
    derived: [{ name: 'md5-of-body', from: 'body', hashing: 'md5' }],
    build: (v) => ({
      Records: [
        {
          messageId: '19dd0b57-b21e-4ac1-bd88-01bbb068cb78',
          receiptHandle: 'MessageReceiptHandle',
          body: v.body,
          attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1523232000000', SenderId: v['account-id'], ApproximateFirstReceiveTimestamp: '1523232000001' },
          messageAttributes: {},
          md5OfBody: v['md5-of-body'],
          eventSource: 'aws:sqs',
          eventSourceARN: `arn:${v.partition}:sqs:${v.region}:${v['account-id']}:${v['queue-name']}`,
          awsRegion: v.region,
        },
      ],
    }),
  },
  {
    service: 'sns',
    event: 'notification',
    help: 'Generates an Amazon SNS Topic Notification Event',
    parameters: [P.account, P.partition, P.region, param('topic', 'ExampleTopic'), param('subject', 'example subject'), param('message', 'example message')],
    build: (v) => ({
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          // SAM's template names `accountId`, which it never sets: the account is empty in this ARN.
          EventSubscriptionArn: `arn:${v.partition}:sns:${v.region}::${v.topic}`,
          Sns: {
            Type: 'Notification',
            MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
            TopicArn: `arn:${v.partition}:sns:${v.region}:${v['account-id']}:${v.topic}`,
            Subject: v.subject,
            Message: v.message,
            Timestamp: '1970-01-01T00:00:00.000Z',
            SignatureVersion: '1',
            Signature: 'EXAMPLE',
            SigningCertUrl: 'EXAMPLE',
            UnsubscribeUrl: 'EXAMPLE',
            MessageAttributes: { Test: { Type: 'String', Value: 'TestString' }, TestBinary: { Type: 'Binary', Value: 'TestBinary' } },
          },
        },
      ],
    }),
  },
];
