import { LambdaDeskError } from '../../errors.ts';

/** An S3 error: `<Error><Code>` is what SDKs and the CLI pick the exception from. */
export class S3Error extends LambdaDeskError {
  readonly awsName: string;
  readonly status: number;
  constructor(
    code: string,
    status: number,
    message: string,
    /** Extra `<Error>` members AWS sends, e.g. `Key`, `BucketName`. */
    readonly details: Record<string, string> = {},
    fix?: string,
  ) {
    super(message, fix);
    this.awsName = code;
    this.status = status;
  }
}

export const s3Errors = {
  noSuchBucket: (bucket: string) => new S3Error('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket }, `Create it with \`aws s3 mb s3://${bucket}\`, \`lambdadesk bucket create\` or an AWS::S3::Bucket in template.yaml.`),
  noSuchKey: (key: string) => new S3Error('NoSuchKey', 404, 'The specified key does not exist.', { Key: key }),
  noSuchUpload: (uploadId: string) =>
    new S3Error('NoSuchUpload', 404, 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', { UploadId: uploadId }),
  bucketNotEmpty: (bucket: string) => new S3Error('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', { BucketName: bucket }),
  bucketAlreadyOwnedByYou: (bucket: string) =>
    new S3Error('BucketAlreadyOwnedByYou', 409, 'Your previous request to create the named bucket succeeded and you already own it.', { BucketName: bucket }),
  invalidBucketName: (bucket: string) =>
    new S3Error('InvalidBucketName', 400, 'The specified bucket is not valid.', { BucketName: bucket }, 'Use 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.'),
  invalidArgument: (message: string, name?: string, value?: string) => new S3Error('InvalidArgument', 400, message, name ? { ArgumentName: name, ArgumentValue: value ?? '' } : {}),
  invalidRequest: (message: string) => new S3Error('InvalidRequest', 400, message),
  invalidRange: (size: number) => new S3Error('InvalidRange', 416, 'The requested range is not satisfiable', { ActualObjectSize: String(size) }),
  badDigest: (what: string) => new S3Error('BadDigest', 400, `The ${what} you specified did not match the calculated checksum.`),
  invalidDigest: () => new S3Error('InvalidDigest', 400, 'The Content-MD5 you specified is not valid.'),
  sha256Mismatch: () => new S3Error('XAmzContentSHA256Mismatch', 400, "The provided 'x-amz-content-sha256' header does not match what was computed."),
  incompleteBody: () => new S3Error('IncompleteBody', 400, 'You did not provide the number of bytes specified by the Content-Length HTTP header.'),
  malformedXml: () => new S3Error('MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema.'),
  invalidPart: (part: number) => new S3Error('InvalidPart', 400, 'One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part\'s entity tag.', { PartNumber: String(part) }),
  invalidPartOrder: () => new S3Error('InvalidPartOrder', 400, 'The list of parts was not in ascending order. Parts must be ordered by part number.'),
  entityTooSmall: (part: number) => new S3Error('EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed object size.', { PartNumber: String(part), MinSizeAllowed: String(5 * 1024 * 1024) }),
  preconditionFailed: (condition: string) => new S3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', { Condition: condition }),
  notImplemented: (what: string) => new S3Error('NotImplemented', 501, `A header or query you provided implies functionality that is not implemented: LambdaDesk does not emulate ${what}.`),
  methodNotAllowed: (method: string) => new S3Error('MethodNotAllowed', 405, `The specified method is not allowed against this resource: ${method}.`),
  keyTooLong: () => new S3Error('KeyTooLongError', 400, 'Your key is too long'),
  internal: (message: string) => new S3Error('InternalError', 500, `We encountered an internal error. Please try again. (${message})`),
};
