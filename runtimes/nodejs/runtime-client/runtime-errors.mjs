/**
 * The error classes, bodies and log formats of the official Node.js runtime interface client:
 * `{errorType, errorMessage, trace}` for the Runtime API, and the enumerable-properties JSON that
 * follows `Invoke Error` / `Init Error` in the function's log.
 */

function runtimeError(name) {
  return class extends Error {
    constructor(message) {
      super(message);
      this.name = name;
    }
  };
}

export const HandlerNotFoundError = runtimeError('Runtime.HandlerNotFound');
export const MalformedHandlerNameError = runtimeError('Runtime.MalformedHandlerName');
export const InvalidStreamingOperationError = runtimeError('Runtime.InvalidStreamingOperation');
export const MalformedStreamingHandlerError = runtimeError('Runtime.MalformedStreamingHandler');
export const JSONStringifyError = runtimeError('Runtime.JSONStringifyError');
export const PlatformError = runtimeError('Runtime.PlatformError');
export const CallbackHandlerDeprecatedError = runtimeError('Runtime.CallbackHandlerDeprecated');

export class ImportModuleError extends Error {
  constructor(cause) {
    super(String(cause));
    this.name = 'Runtime.ImportModuleError';
  }
}

export class UserCodeSyntaxError extends Error {
  constructor(cause) {
    super(String(cause));
    this.name = 'Runtime.UserCodeSyntaxError';
    this.stack = cause.stack;
  }
}

export class UnhandledPromiseRejectionError extends Error {
  constructor(reason, promise) {
    super(reason);
    this.name = 'Runtime.UnhandledPromiseRejection';
    this.reason = reason;
    this.promise = promise;
  }
}

export class NodeJsExitError extends Error {
  constructor() {
    super(
      'The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise that was never settled. For more information, see https://nodejs.org/docs/latest/api/process.html#exit-codes',
    );
    this.name = 'Runtime.NodeJsExit';
  }
}

/** Errors from other realms (vm, worker data) are recognised by shape, as the official client does. */
function looksLikeError(value) {
  return Boolean(value && typeof value.name === 'string' && typeof value.message === 'string' && typeof value.stack === 'string' && value.name && value.message && value.stack);
}

const escapeDel = (text) => text?.replaceAll('\x7F', '%7F');

/** The body posted to `/error` and `/init/error`. */
export function formatError(error) {
  try {
    if (error instanceof Error || looksLikeError(error)) {
      return { errorType: escapeDel(error.name), errorMessage: escapeDel(error.message), trace: escapeDel(error.stack)?.split('\n') || [] };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      trace: [],
    };
  }
}

export function intoError(value) {
  return value instanceof Error ? value : new Error(String(value));
}

function withEnumerableProperties(value) {
  if (!(value instanceof Error)) return value;
  const result = Object.assign({ errorType: value.name, errorMessage: value.message, code: value.code }, value);
  if (typeof value.stack === 'string') result.stack = value.stack.split('\n');
  return result;
}

/** The text after `Invoke Error`: a tab, then the error with its own properties as JSON. */
export function toFormatted(error) {
  try {
    return '\t' + JSON.stringify(error, (_key, value) => withEnumerableProperties(value));
  } catch {
    return '\t' + JSON.stringify(formatError(error));
  }
}

/** `Lambda-Runtime-Function-XRay-Error-Cause`: the error as X-Ray's cause document. */
export function formatXRayCause(error) {
  try {
    const stack = parseStack(escapeDel(error?.stack));
    const cause = {
      working_directory: process.cwd(),
      exceptions: [{ type: escapeDel(error?.name), message: escapeDel(error?.message), stack }],
      paths: [...new Set(stack.map((frame) => frame.path))],
    };
    // Header values must be Latin-1; JSON escapes keep the document valid.
    return JSON.stringify(cause).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  } catch {
    return '';
  }
}

function parseStack(stack) {
  if (!stack) return [];
  return stack.split('\n').slice(1).map((line) => {
    const trimmed = line.trim().replace(/[()]/g, '').replace(/^[^\s]*\s/, '');
    const lastSpace = trimmed.lastIndexOf(' ');
    const label = lastSpace >= 0 ? trimmed.slice(0, lastSpace) : 'anonymous';
    const [path, lineNo] = (lastSpace >= 0 ? trimmed.slice(lastSpace + 1) : trimmed).split(':');
    return { path, line: parseInt(lineNo, 10), label };
  });
}
