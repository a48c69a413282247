import { format } from 'node:util';
import { intoError, toFormatted } from './runtime-errors.mjs';

/**
 * Replaces `console` the way the official client does: each call becomes one stdout line,
 * `<ISO time>\t<request id>\t<LEVEL>\t<message>` with inner newlines as `\r`, or one JSON
 * record with `AWS_LAMBDA_LOG_FORMAT=JSON`; `AWS_LAMBDA_LOG_LEVEL` drops quieter levels.
 */

const LEVELS = {
  TRACE: { name: 'TRACE', priority: 1 },
  DEBUG: { name: 'DEBUG', priority: 2 },
  INFO: { name: 'INFO', priority: 3 },
  WARN: { name: 'WARN', priority: 4 },
  ERROR: { name: 'ERROR', priority: 5 },
  FATAL: { name: 'FATAL', priority: 6 },
};

const jsonErrorReplacer = (_key, value) => {
  if (value instanceof Error) {
    return Object.assign(
      { errorType: value?.constructor?.name ?? 'UnknownError', errorMessage: value.message, stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : value.stack },
      value,
    );
  }
  return value;
};

function formatJson(timestamp, requestId, tenantId, level, message, params) {
  const record = { timestamp, level: level.name, requestId };
  if (tenantId) record.tenantId = tenantId;
  if (params.length === 0) {
    record.message = message;
    try {
      return JSON.stringify(record, jsonErrorReplacer);
    } catch {
      record.message = format(record.message);
      return JSON.stringify(record);
    }
  }
  record.message = format(message, ...params);
  const error = params.find((p) => p instanceof Error);
  if (error) {
    record.errorType = error?.constructor?.name ?? 'UnknownError';
    record.errorMessage = error.message;
    record.stackTrace = typeof error.stack === 'string' ? error.stack.split('\n') : [];
  }
  return JSON.stringify(record);
}

export function patchConsole(store, env = process.env) {
  const json = env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON';
  const minLevel = LEVELS[env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase()] ?? LEVELS.TRACE;
  const write = (level, message, params) => {
    const timestamp = new Date().toISOString();
    const requestId = store.getRequestId();
    const line = json
      ? formatJson(timestamp, requestId, store.getTenantId() || '', level, message, params)
      : `${timestamp}\t${requestId}\t${level.name}\t${format(message, ...params)}`;
    process.stdout.write(line.replace(/\n/g, '\r') + '\n');
  };
  const logAt = (level) => (level.priority >= minLevel.priority ? (message, ...params) => write(level, message, params) : () => {});
  console.trace = logAt(LEVELS.TRACE);
  console.debug = logAt(LEVELS.DEBUG);
  console.info = logAt(LEVELS.INFO);
  console.warn = logAt(LEVELS.WARN);
  console.error = logAt(LEVELS.ERROR);
  console.fatal = logAt(LEVELS.FATAL);
  console.log = console.info;
  return {
    /** `Invoke Error`, `Init Error`, `Uncaught Exception` lines: text puts the JSON after the label. */
    logError(label, err) {
      if (json) console.error(intoError(err));
      else console.error(label, toFormatted(intoError(err)));
    },
  };
}
