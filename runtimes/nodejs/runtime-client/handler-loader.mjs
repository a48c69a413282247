import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HandlerNotFoundError, ImportModuleError, MalformedHandlerNameError, MalformedStreamingHandlerError, UserCodeSyntaxError } from './runtime-errors.mjs';

const require = createRequire(import.meta.url);
const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HANDLER_HIGHWATERMARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
export const STREAM_RESPONSE = 'response';

/** `src/handlers/app.lambda.handler` → module root `src/handlers`, module `app`, export path `lambda.handler`. */
export function parseHandlerString(fullHandler) {
  if (fullHandler.includes('..')) {
    throw new MalformedHandlerNameError(`'${fullHandler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const handlerPart = basename(fullHandler);
  const moduleRoot = fullHandler.substring(0, fullHandler.indexOf(handlerPart)).replace(/\/$/, '');
  const match = /^([^.]*)\.(.*)$/.exec(handlerPart);
  if (!match) throw new MalformedHandlerNameError('Bad handler');
  return { moduleRoot, moduleName: match[1], handlerName: match[2] };
}

/**
 * Loads the module as the official client does: the exact file, then `.js` (CommonJS or ES
 * module by the nearest package.json), `.mjs`, `.cjs` under the task root; else a package
 * resolved from the task root, the handler's folder and NODE_PATH (layers in /opt).
 */
async function loadModule(taskRoot, moduleRoot, moduleName) {
  const base = resolve(taskRoot, moduleRoot, moduleName);
  try {
    for (const extension of ['', '.js', '.mjs', '.cjs']) {
      const file = base + extension;
      if (existsSync(file)) return await import(pathToFileURL(file).href);
    }
    const resolved = require.resolve(moduleName, { paths: [taskRoot, join(taskRoot, moduleRoot)] });
    return require(resolved);
  } catch (err) {
    if (err instanceof SyntaxError) throw new UserCodeSyntaxError(err);
    if (err instanceof Error && err.code === 'MODULE_NOT_FOUND') throw new ImportModuleError(err);
    throw err;
  }
}

function findIn(path, container) {
  return path.split('.').reduce((nested, key) => (nested && typeof nested === 'object' ? nested[key] : undefined), container);
}

function resolveHandler(module, handlerName, fullHandler) {
  let handler = findIn(handlerName, module);
  // CommonJS loaded through import(): names the lexer could not see are on `default`.
  if (!handler && module && typeof module === 'object' && 'default' in module) handler = findIn(handlerName, module.default);
  if (!handler) throw new HandlerNotFoundError(`${fullHandler} is undefined or not exported`);
  if (typeof handler !== 'function') throw new HandlerNotFoundError(`${fullHandler} is not a function`);
  return handler;
}

function streamingOf(handler) {
  const value = handler[HANDLER_STREAMING];
  if (!value) return false;
  if (value === STREAM_RESPONSE) return true;
  throw new MalformedStreamingHandlerError('Only response streaming is supported.');
}

function highWaterMarkOf(handler) {
  const value = handler[HANDLER_HIGHWATERMARK];
  if (!value) return undefined;
  const hwm = Number(value);
  return Number.isNaN(hwm) ? undefined : hwm;
}

/** Throws one of the `Runtime.*` init errors, or whatever the module itself threw while loading. */
export async function loadHandler(taskRoot, fullHandler) {
  const { moduleRoot, moduleName, handlerName } = parseHandlerString(fullHandler);
  const module = await loadModule(taskRoot, moduleRoot, moduleName);
  const handler = resolveHandler(module, handlerName, fullHandler);
  return {
    handler,
    metadata: {
      streaming: streamingOf(handler),
      highWaterMark: highWaterMarkOf(handler),
      isAsync: handler.constructor?.name === 'AsyncFunction',
      argsNum: handler.length,
    },
  };
}

export function markStreaming(handler, options) {
  handler[HANDLER_STREAMING] = STREAM_RESPONSE;
  if (typeof options?.highWaterMark === 'number') handler[HANDLER_HIGHWATERMARK] = parseInt(String(options.highWaterMark), 10);
  return handler;
}
