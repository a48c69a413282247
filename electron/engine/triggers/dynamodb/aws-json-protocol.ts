import type { IncomingMessage, ServerResponse } from 'node:http';
import { LambdaDeskError, toLambdaDeskError } from '../../errors.ts';
import type { AwsRequestContext } from '../../http/aws-request.ts';
import { readBody } from '../../http/aws-request.ts';

/**
 * An error of an AWS JSON-protocol service. Clients read the shape from `__type` in the body
 * (botocore reads only that; the JS SDK also reads `x-amzn-ErrorType`), so both are sent.
 */
export class JsonServiceError extends LambdaDeskError {
  constructor(
    readonly awsName: string,
    message: string,
    readonly status = 400,
    fix?: string,
    private readonly extra: Record<string, unknown> = {},
  ) {
    super(message, fix);
  }
  override extraBody(): Record<string, unknown> {
    return this.extra;
  }
}

export type JsonOperation = (input: Record<string, unknown>, request: AwsRequestContext) => unknown;

export interface JsonProtocolService {
  /** `DynamoDB_20120810`, `Kinesis_20131202`, … */
  targetPrefix: string;
  /** `application/x-amz-json-1.0` (DynamoDB) or `-1.1` (Kinesis). */
  contentType: string;
  /** What `__type` starts with: `com.amazonaws.dynamodb.v20120810#` for DynamoDB, empty for Kinesis. */
  errorNamespace: string;
  operations: Record<string, JsonOperation>;
  maxBodyBytes: number;
  serviceName: string;
}

/** Serves one request of the AWS JSON protocol: `POST /`, `X-Amz-Target: <prefix>.<Operation>`. */
export async function serveJsonProtocol(req: IncomingMessage, res: ServerResponse, request: AwsRequestContext, service: JsonProtocolService): Promise<void> {
  try {
    const target = String(req.headers['x-amz-target'] ?? '');
    const [prefix, operationName] = target.split('.');
    const operation = prefix === service.targetPrefix && operationName ? service.operations[operationName] : undefined;
    if (!operation) {
      throw new JsonServiceError(
        'UnknownOperationException',
        target ? `${target} is not an operation LambdaDesk's ${service.serviceName} supports. Supported: ${Object.keys(service.operations).join(', ')}.` : `Missing X-Amz-Target header: ${service.serviceName} takes POST / with X-Amz-Target: ${service.targetPrefix}.<Operation>.`,
      );
    }
    const body = await readBody(req, service.maxBodyBytes, () => new JsonServiceError('ValidationException', `Request body is larger than ${service.maxBodyBytes} bytes.`, 413));
    let input: unknown = {};
    const text = body.toString('utf8').trim();
    if (text !== '') {
      try {
        input = JSON.parse(text);
      } catch {
        throw new JsonServiceError('SerializationException', 'Start of structure or map found where not expected.');
      }
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new JsonServiceError('SerializationException', 'The request body must be a JSON object.');
    const output = await operation(input as Record<string, unknown>, request);
    const payload = JSON.stringify(output ?? {});
    res.writeHead(200, { 'content-type': service.contentType, 'content-length': Buffer.byteLength(payload), 'x-amzn-requestid': request.requestId });
    res.end(payload);
  } catch (err) {
    sendJsonError(res, err, request.requestId, service);
  }
}

function sendJsonError(res: ServerResponse, err: unknown, requestId: string, service: JsonProtocolService): void {
  const e = toLambdaDeskError(err);
  if (res.headersSent) {
    res.destroy(e);
    return;
  }
  const body = JSON.stringify({ __type: `${service.errorNamespace}${e.awsName}`, message: e.message, ...e.extraBody() });
  res.writeHead(e.status, {
    'content-type': service.contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-errortype': e.awsName,
    'x-amzn-requestid': requestId,
    ...e.extraHeaders(),
  });
  res.end(body);
}
