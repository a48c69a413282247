import { PlatformError } from './runtime-errors.mjs';

/** The invoke as `/next` describes it; a runtime cannot answer an invoke without these. */
export function readInvoke({ body, headers }) {
  const missing = ['lambda-runtime-invoked-function-arn', 'lambda-runtime-aws-request-id', 'lambda-runtime-deadline-ms'].filter((name) => !(name in headers));
  if (missing.length > 0) throw new PlatformError(`Missing required headers: ${missing.join(', ')}`);
  const deadline = parseInt(headers['lambda-runtime-deadline-ms'], 10);
  if (Number.isNaN(deadline)) throw new PlatformError('Invalid deadline timestamp');
  return {
    body,
    requestId: headers['lambda-runtime-aws-request-id'],
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    deadline,
    traceId: headers['lambda-runtime-trace-id'],
    tenantId: headers['lambda-runtime-aws-tenant-id'],
    clientContext: headers['lambda-runtime-client-context'],
    cognitoIdentity: headers['lambda-runtime-cognito-identity'],
  };
}

function parseJsonHeader(value, name) {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch (err) {
    throw new Error(`Cannot parse ${name} as json: ${err.toString()}`, { cause: err });
  }
}

/** `_X_AMZN_TRACE_ID` follows the current invoke, for the X-Ray SDK. */
export function forwardTraceId(invoke) {
  if (invoke.traceId) process.env._X_AMZN_TRACE_ID = invoke.traceId;
  else delete process.env._X_AMZN_TRACE_ID;
}

/** Adds what the handler's `context` shows of the invoke and of the function's environment. */
export function attachInvokeData(target, invoke, env = process.env) {
  const { deadline } = invoke;
  return Object.assign(target, {
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    clientContext: parseJsonHeader(invoke.clientContext, 'ClientContext'),
    identity: parseJsonHeader(invoke.cognitoIdentity, 'CognitoIdentity'),
    invokedFunctionArn: invoke.invokedFunctionArn,
    awsRequestId: invoke.requestId,
    tenantId: invoke.tenantId,
    xRayTraceId: invoke.traceId,
    getRemainingTimeInMillis: () => deadline - Date.now(),
  });
}
