import { JsonServiceError } from './aws-json-protocol.ts';

/** DynamoDB's error shapes, with the messages DynamoDB sends (SDKs and tests match on them). */
export const dynamoErrors = {
  validation: (message: string, fix?: string) => new JsonServiceError('ValidationException', message, 400, fix),
  tableNotFound: (table: string) =>
    new JsonServiceError('ResourceNotFoundException', `Requested resource not found: Table: ${table} not found`, 400, `Create the table (an AWS::DynamoDB::Table in template.yaml, or aws dynamodb create-table) or check its name.`),
  resourceNotFound: (message = 'Requested resource not found') => new JsonServiceError('ResourceNotFoundException', message),
  tableExists: (table: string) => new JsonServiceError('ResourceInUseException', `Table already exists: ${table}`),
  conditionalCheckFailed: (item?: Record<string, unknown>) => new JsonServiceError('ConditionalCheckFailedException', 'The conditional request failed', 400, undefined, item ? { Item: item } : {}),
  transactionCanceled: (reasons: Array<{ Code: string; Message?: string; Item?: unknown }>) =>
    new JsonServiceError('TransactionCanceledException', `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`, 400, undefined, { CancellationReasons: reasons }),
  expiredIterator: () => new JsonServiceError('ExpiredIteratorException', 'Iterator expired. The iterator was created over 15 minutes ago.'),
  trimmedData: () => new JsonServiceError('TrimmedDataAccessException', 'The requested data is no longer available: it was trimmed from the stream.'),
};
