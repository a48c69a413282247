import { expect, test } from 'vitest';
import { sqsErrors } from './sqs-errors.ts';
import { parseQueryRequest, renderQueryError, renderQueryResponse } from './sqs-query-protocol.ts';

test('flattened query parameters become the JSON protocol shape', () => {
  const params = new URLSearchParams({
    Action: 'SendMessageBatch',
    Version: '2012-11-05',
    QueueUrl: 'http://127.0.0.1:3001/123456789012/q',
    'SendMessageBatchRequestEntry.1.Id': 'a',
    'SendMessageBatchRequestEntry.1.MessageBody': 'one',
    'SendMessageBatchRequestEntry.1.MessageAttribute.1.Name': 'color',
    'SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType': 'String',
    'SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue': 'red',
    'SendMessageBatchRequestEntry.2.Id': 'b',
    'SendMessageBatchRequestEntry.2.MessageBody': 'two',
    'SendMessageBatchRequestEntry.2.DelaySeconds': '5',
  });
  expect(parseQueryRequest(params)).toEqual({
    action: 'SendMessageBatch',
    input: {
      QueueUrl: 'http://127.0.0.1:3001/123456789012/q',
      Entries: [
        { Id: 'a', MessageBody: 'one', MessageAttributes: { color: { DataType: 'String', StringValue: 'red' } } },
        { Id: 'b', MessageBody: 'two', DelaySeconds: '5' },
      ],
    },
  });
  const create = parseQueryRequest(new URLSearchParams({ Action: 'CreateQueue', QueueName: 'q', 'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': '60', 'Tag.1.Key': 'team', 'Tag.1.Value': 'x' }));
  expect(create.input).toEqual({ QueueName: 'q', Attributes: { VisibilityTimeout: '60' }, tags: { team: 'x' } });
  const receive = parseQueryRequest(new URLSearchParams({ Action: 'ReceiveMessage', 'AttributeName.1': 'All', 'MessageAttributeName.1': 'All', MaxNumberOfMessages: '10' }));
  expect(receive.input).toEqual({ AttributeNames: ['All'], MessageAttributeNames: ['All'], MaxNumberOfMessages: '10' });
});

test('responses are SQS XML: flattened lists and maps, \\r escaped so parsers keep it', () => {
  const xml = renderQueryResponse(
    'ReceiveMessage',
    { Messages: [{ MessageId: 'm', Body: 'a\r\nb <c>', Attributes: { SentTimestamp: '1' }, MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }] },
    'req',
  );
  expect(xml).toBe(
    '<?xml version="1.0"?><ReceiveMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><ReceiveMessageResult><Message><MessageId>m</MessageId><Body>a&#xD;\nb &lt;c&gt;</Body><Attribute><Name>SentTimestamp</Name><Value>1</Value></Attribute><MessageAttribute><Name>k</Name><Value><DataType>String</DataType><StringValue>v</StringValue></Value></MessageAttribute></Message></ReceiveMessageResult><ResponseMetadata><RequestId>req</RequestId></ResponseMetadata></ReceiveMessageResponse>',
  );
  expect(renderQueryResponse('SendMessageBatch', { Successful: [{ Id: 'a' }], Failed: [{ Id: 'b', SenderFault: true, Code: 'X', Message: 'm' }] }, 'r')).toContain(
    '<SendMessageBatchResult><SendMessageBatchResultEntry><Id>a</Id></SendMessageBatchResultEntry><BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault><Code>X</Code><Message>m</Message></BatchResultErrorEntry></SendMessageBatchResult>',
  );
  expect(renderQueryResponse('DeleteMessage', {}, 'r')).toBe('<?xml version="1.0"?><DeleteMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteMessageResponse>');
});

test('errors carry the query code the AWS CLI shows', () => {
  expect(renderQueryError(sqsErrors.queueDoesNotExist(), 'r')).toContain('<Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist.</Message><Detail/></Error>');
});
