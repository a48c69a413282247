import { inspect } from 'node:util';
import { loadHandler, markStreaming } from './handler-loader.mjs';
import { createInvokeStore } from './invoke-store.mjs';
import { patchConsole } from './log-patch.mjs';
import { HttpResponseStream } from './response-stream.mjs';
import { RuntimeApiClient } from './runtime-api-client.mjs';
import { CallbackHandlerDeprecatedError, formatError, PlatformError } from './runtime-errors.mjs';
import { CALLBACK_ERROR_NODEJS22, CALLBACK_ERROR_NODEJS24_ABOVE, CALLBACK_WARNING, runtimeGeneration } from './runtime-generation.mjs';
import { Runtime } from './runtime.mjs';
import { reportUncaughtErrors } from './uncaught-errors.mjs';

/**
 * LambdaDesk's Node.js runtime interface client: loads `_HANDLER` from `LAMBDA_TASK_ROOT` and
 * serves invokes from `AWS_LAMBDA_RUNTIME_API`, the way AWS's own client does.
 */
export async function main(env = process.env) {
  const generation = runtimeGeneration(env);
  const exposeGlobal = !['1', 'true'].includes(env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA ?? '');
  if (exposeGlobal) {
    globalThis.awslambda = { ...globalThis.awslambda, streamifyResponse: markStreaming, HttpResponseStream };
  }
  const store = createInvokeStore({ legacy: generation.legacy, exposeGlobal });
  const logger = patchConsole(store, env);

  const runtimeApi = env.AWS_LAMBDA_RUNTIME_API;
  const handlerString = env._HANDLER;
  const taskRoot = env.LAMBDA_TASK_ROOT;
  if (!runtimeApi) return fatal(new PlatformError('AWS_LAMBDA_RUNTIME_API environment variable is not set'));
  if (!handlerString) return fatal(new PlatformError('_HANDLER environment variable is not set'));
  if (!taskRoot) return fatal(new PlatformError('LAMBDA_TASK_ROOT environment variable is not set'));

  let client;
  try {
    client = new RuntimeApiClient(runtimeApi);
  } catch (err) {
    return fatal(err);
  }
  let runtime;
  if (generation.legacy) reportUncaughtErrors({ client, logger, lastRequestId: () => runtime?.lastRequestId });

  let loaded;
  try {
    loaded = await loadHandler(taskRoot, handlerString);
    checkCallbackHandler(loaded.metadata, generation, env);
  } catch (error) {
    logger.logError('Init Error', error);
    await client.postInitError(formatError(error)).catch(() => undefined);
    return fatal(error);
  }
  runtime = new Runtime({ client, handler: loaded.handler, metadata: loaded.metadata, store, logger, legacy: generation.legacy });
  runtime.start();
}

/** Three-argument handlers are callback handlers: refused from Node.js 24, warned about before. */
function checkCallbackHandler(metadata, generation, env) {
  if (metadata.streaming || metadata.argsNum < 3) return;
  if (!generation.callbacks) {
    throw new CallbackHandlerDeprecatedError(generation.major === 22 ? CALLBACK_ERROR_NODEJS22 : CALLBACK_ERROR_NODEJS24_ABOVE);
  }
  if (metadata.argsNum === 3 && !metadata.isAsync && env.AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING === undefined) console.warn(CALLBACK_WARNING);
}

/** The runtime cannot go on: Node's own report of the error on stderr, and exit status 1. */
function fatal(error) {
  process.stderr.write(`${inspect(error)}\n`);
  process.exit(1);
}
