import { formatError, formatXRayCause, UnhandledPromiseRejectionError } from './runtime-errors.mjs';

/**
 * Node.js ≤ 22 runtimes report an uncaught exception or unhandled rejection as the error of the
 * invoke that was running (or as the init error before the first one), then exit 129 / 128.
 */
export function reportUncaughtErrors({ client, logger, lastRequestId }) {
  const report = (error, exitCode) => {
    const requestId = lastRequestId();
    const body = formatError(error);
    const posting = requestId ? client.postError(requestId, body, formatXRayCause(error)) : client.postInitError(body);
    posting.catch(() => undefined).finally(() => process.exit(exitCode));
  };
  process.on('uncaughtException', (error) => {
    logger.logError('Uncaught Exception', error);
    report(error, 129);
  });
  process.on('unhandledRejection', (reason, promise) => {
    const error = new UnhandledPromiseRejectionError(reason, promise);
    logger.logError('Unhandled Promise Rejection', error);
    report(error, 128);
  });
}
