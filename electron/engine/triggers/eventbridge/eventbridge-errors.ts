import { LambdaDeskError } from '../../errors.ts';

/** EventBridge's error shapes (JSON 1.1 protocol: the SDK and the CLI read `__type`). */
export class EventsValidationError extends LambdaDeskError {
  readonly awsName = 'ValidationException';
  readonly status = 400;
}

export class EventsResourceNotFoundError extends LambdaDeskError {
  readonly awsName = 'ResourceNotFoundException';
  readonly status = 400;
}

export class SerializationError extends LambdaDeskError {
  readonly awsName = 'SerializationException';
  readonly status = 400;
}

export class UnknownOperationError extends LambdaDeskError {
  readonly awsName = 'UnknownOperationException';
  readonly status = 400;
}
