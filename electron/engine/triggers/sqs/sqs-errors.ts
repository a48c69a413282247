import { LambdaDeskError } from '../../errors.ts';

/**
 * An SQS error as both protocols send it: the query protocol's `<Code>` (also sent as
 * `x-amzn-query-error` on the JSON protocol, which is where current SDKs take the exception
 * class from) and the JSON protocol's shape name for `__type`.
 */
export class SqsError extends LambdaDeskError {
  readonly awsName: string;
  readonly status: number;
  constructor(
    /** `AWS.SimpleQueueService.NonExistentQueue`, `InvalidParameterValue`, … */
    readonly queryCode: string,
    /** The Smithy shape (`QueueDoesNotExist`), sent as `com.amazonaws.sqs#<shape>`. */
    shape: string,
    status: number,
    message: string,
    fix?: string,
  ) {
    super(message, fix);
    this.awsName = shape;
    this.status = status;
  }
  /** `Sender` for the caller's mistakes, `Receiver` for ours. */
  get faultType(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

export const sqsErrors = {
  queueDoesNotExist: (name?: string) =>
    new SqsError('AWS.SimpleQueueService.NonExistentQueue', 'QueueDoesNotExist', 400, 'The specified queue does not exist.', name ? `Create the queue ${name} (aws sqs create-queue, or an AWS::SQS::Queue in template.yaml) or check its name.` : undefined),
  invalidParameterValue: (message: string) => new SqsError('InvalidParameterValue', 'InvalidParameterValue', 400, message),
  missingParameter: (name: string) => new SqsError('MissingParameter', 'MissingParameter', 400, `The request must contain the parameter ${name}.`),
  invalidAttributeName: (message: string) => new SqsError('InvalidAttributeName', 'InvalidAttributeName', 400, message),
  invalidAttributeValue: (message: string) => new SqsError('InvalidAttributeValue', 'InvalidAttributeValue', 400, message),
  queueNameExists: (attribute: string) => new SqsError('QueueAlreadyExists', 'QueueNameExists', 400, `A queue already exists with the same name and a different value for attribute ${attribute}`),
  queueDeletedRecently: () =>
    new SqsError('AWS.SimpleQueueService.QueueDeletedRecently', 'QueueDeletedRecently', 400, 'You must wait 60 seconds after deleting a queue before you can create another with the same name.'),
  receiptHandleIsInvalid: (handle: string) => new SqsError('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 404, `The input receipt handle "${handle}" is not a valid receipt handle.`),
  messageNotInflight: () => new SqsError('AWS.SimpleQueueService.MessageNotInflight', 'MessageNotInflight', 400, 'Message does not exist or is not available for visibility timeout change.'),
  invalidMessageContents: (message: string) => new SqsError('InvalidMessageContents', 'InvalidMessageContents', 400, message),
  tooManyEntries: (count: number) =>
    new SqsError('AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 'TooManyEntriesInBatchRequest', 400, `Maximum number of entries per request are 10. You have sent ${count}.`),
  emptyBatch: (entry: string) => new SqsError('AWS.SimpleQueueService.EmptyBatchRequest', 'EmptyBatchRequest', 400, `There should be at least one ${entry} in the request.`),
  batchIdsNotDistinct: (id: string) => new SqsError('AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 'BatchEntryIdsNotDistinct', 400, `Id ${id} repeated.`),
  invalidBatchEntryId: () =>
    new SqsError('AWS.SimpleQueueService.InvalidBatchEntryId', 'InvalidBatchEntryId', 400, 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.'),
  batchRequestTooLong: (limit: number, size: number) =>
    new SqsError('AWS.SimpleQueueService.BatchRequestTooLong', 'BatchRequestTooLong', 400, `Batch requests cannot be longer than ${limit} bytes. You have sent ${size} bytes.`),
  invalidAction: (action: string) => new SqsError('InvalidAction', 'InvalidAction', 400, `The action ${action} is not valid for this web service.`),
  unknownOperation: (target: string) => new SqsError('UnknownOperationException', 'UnknownOperationException', 400, `${target} is not an operation of Amazon SQS (JSON protocol, X-Amz-Target AmazonSQS.<Operation>).`),
  malformedRequest: (message: string) => new SqsError('MalformedQueryString', 'MalformedQueryString', 400, message),
  internal: (message: string) => new SqsError('InternalError', 'InternalError', 500, message),
};
