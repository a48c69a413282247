import { LambdaDeskError } from '../../errors.ts';

/**
 * SNS's error shapes. SNS speaks the query protocol, where the SDK picks the exception class
 * from `<Code>` (`NotFound` → NotFoundException), so `awsName` is that code.
 */
export class InvalidParameterError extends LambdaDeskError {
  readonly awsName = 'InvalidParameter';
  readonly status = 400;
}

export class NotFoundError extends LambdaDeskError {
  readonly awsName = 'NotFound';
  readonly status = 404;
}

export class InvalidActionError extends LambdaDeskError {
  readonly awsName = 'InvalidAction';
  readonly status = 400;
}

export class BatchRequestError extends LambdaDeskError {
  readonly status = 400;
  constructor(
    readonly awsName: 'EmptyBatchRequest' | 'TooManyEntriesInBatchRequest' | 'BatchEntryIdsNotDistinct' | 'InvalidBatchEntryId',
    message: string,
  ) {
    super(message);
  }
}
