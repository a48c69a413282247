/** AWS keeps a runtime's error type only when it is shaped like `Runtime.Name` or `Function.Name`. */
const VALID_ERROR_TYPE = /^(Runtime|Function)\.[A-Z][a-zA-Z]+$/;

export function isValidErrorTypeHeader(value: string | undefined): value is string {
  return value !== undefined && VALID_ERROR_TYPE.test(value);
}

/**
 * The error type an invocation record shows: the runtime's header when it is one AWS accepts,
 * else the `errorType` of the body (Node's client sends no header; Python's sends the bare
 * exception name), else `fallback`.
 */
export function resolveErrorType(header: string | undefined, body: Buffer, fallback: string): string {
  if (isValidErrorTypeHeader(header)) return header;
  const fromBody = errorTypeOfBody(body);
  if (fromBody) return fromBody;
  return fallback;
}

function errorTypeOfBody(body: Buffer): string | undefined {
  if (body.length === 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed && typeof parsed === 'object' && 'errorType' in parsed) {
      const { errorType } = parsed as { errorType: unknown };
      if (typeof errorType === 'string' && errorType.length > 0) return errorType;
    }
  } catch {
    // Not JSON: the body is still forwarded verbatim, only its type is unknown.
  }
  return undefined;
}
