/**
 * Engine errors carry the AWS error shape name and HTTP status that clients expect
 * (`x-amzn-ErrorType`); the HTTP edge turns them into headers. A handler that throws is an
 * invocation outcome, not one of these.
 */
export abstract class LambdaDeskError extends Error {
  /** Sent as `x-amzn-ErrorType`; SDKs pick their exception class from it. */
  abstract readonly awsName: string;
  abstract readonly status: number;
  /** AWS spells the message key `Message` for some shapes and `message` for others. */
  readonly messageKey: 'message' | 'Message' = 'message';
  constructor(
    message: string,
    readonly fix?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
  /** Extra body members (e.g. `Reason`) copied onto the SDK's exception. */
  extraBody(): Record<string, unknown> {
    return {};
  }
  /** Extra response headers (e.g. `Retry-After`). */
  extraHeaders(): Record<string, string> {
    return {};
  }
}

export interface TemplatePosition {
  file: string;
  line: number;
  column: number;
  field: string;
}

/** A template that cannot be used as written: names the file, line, column and property. */
export class TemplateError extends LambdaDeskError {
  readonly awsName = 'InvalidParameterValueException';
  readonly status = 400;
  constructor(
    readonly at: TemplatePosition,
    problem: string,
    fix?: string,
  ) {
    super(`${at.file}:${at.line}:${at.column} ${at.field}: ${problem}`, fix);
  }
}

export class ResourceNotFoundError extends LambdaDeskError {
  readonly awsName = 'ResourceNotFoundException';
  readonly status = 404;
  override readonly messageKey = 'Message' as const;
}

export class InvalidRequestContentError extends LambdaDeskError {
  readonly awsName = 'InvalidRequestContentException';
  readonly status = 400;
}

export class InvalidParameterValueError extends LambdaDeskError {
  readonly awsName = 'InvalidParameterValueException';
  readonly status = 400;
}

export class RequestTooLargeError extends LambdaDeskError {
  readonly awsName = 'RequestTooLargeException';
  readonly status = 413;
}

export type ThrottleReason =
  | 'ConcurrentInvocationLimitExceeded'
  | 'ReservedFunctionConcurrentInvocationLimitExceeded';

export class TooManyRequestsError extends LambdaDeskError {
  readonly awsName = 'TooManyRequestsException';
  readonly status = 429;
  constructor(readonly reason: ThrottleReason) {
    super('Rate Exceeded.');
  }
  override extraBody(): Record<string, unknown> {
    return { Reason: this.reason };
  }
  override extraHeaders(): Record<string, string> {
    return { 'Retry-After': '1' };
  }
}

export class ResourceConflictError extends LambdaDeskError {
  readonly awsName = 'ResourceConflictException';
  readonly status = 409;
}

/** Something in LambdaDesk itself failed; the message still says what and, if known, why. */
export class ServiceError extends LambdaDeskError {
  readonly awsName = 'ServiceException';
  readonly status = 500;
  override readonly messageKey = 'Message' as const;
}

/** Docker, an image build or the host is not able to do what was asked. */
export class SandboxUnavailableError extends LambdaDeskError {
  readonly awsName = 'ServiceException';
  readonly status = 500;
  override readonly messageKey = 'Message' as const;
}

export function toLambdaDeskError(err: unknown): LambdaDeskError {
  if (err instanceof LambdaDeskError) return err;
  return new ServiceError(err instanceof Error ? err.message : String(err));
}
