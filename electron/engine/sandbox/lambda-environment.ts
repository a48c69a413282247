import { randomBytes } from 'node:crypto';
import type { FunctionConfig } from '../contract.ts';
import { runtimeTraits, isSupportedRuntime } from './runtime-families.ts';

export interface EnvironmentContext {
  fn: FunctionConfig;
  runtimeApiAddress: string;
  region: string;
  initializationType: 'on-demand' | 'provisioned-concurrency';
  /** Where the emulated AWS services answer, so unmodified SDK code talks to them. */
  awsEndpointUrl?: string;
  /** Paths inside the sandbox; the process provider passes host paths. */
  taskRoot: string;
  runtimeDir: string;
  now: Date;
}

/**
 * The environment AWS gives a function (lambda-contract.md §4). The function's own
 * variables come last but cannot replace the reserved ones, as on AWS.
 */
export function buildLambdaEnvironment(ctx: EnvironmentContext): Record<string, string> {
  const { fn } = ctx;
  const traits = isSupportedRuntime(fn.runtime) ? runtimeTraits(fn.runtime) : undefined;
  const day = ctx.now.toISOString().slice(0, 10).replaceAll('-', '/');
  const reserved: Record<string, string> = {
    _HANDLER: fn.handler,
    AWS_REGION: ctx.region,
    AWS_DEFAULT_REGION: ctx.region,
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: ctx.initializationType,
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    AWS_LAMBDA_RUNTIME_API: ctx.runtimeApiAddress,
    LAMBDA_TASK_ROOT: ctx.taskRoot,
    LAMBDA_RUNTIME_DIR: ctx.runtimeDir,
    TZ: ':UTC',
  };
  if (traits?.executionEnv) reserved.AWS_EXECUTION_ENV = traits.executionEnv;
  // Local credentials: the emulated services ignore signatures, but SDKs refuse to sign without them.
  const defaults: Record<string, string> = {
    AWS_ACCESS_KEY_ID: 'ASIALAMBDADESKLOCAL0',
    AWS_SECRET_ACCESS_KEY: 'lambdadesk-local-secret-access-key',
    AWS_SESSION_TOKEN: 'lambdadesk-local-session-token',
    LANG: 'en_US.UTF-8',
  };
  if (ctx.awsEndpointUrl) defaults.AWS_ENDPOINT_URL = ctx.awsEndpointUrl;
  // The SDK's end-of-support notice for this Node.js would print as an ERROR in every log.
  defaults.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  return { ...defaults, ...localized(fn.environment, ctx.awsEndpointUrl), ...reserved };
}

/**
 * `!Ref` of a queue is its public URL, and an SDK sends to a full queue URL as given, whatever
 * AWS_ENDPOINT_URL says: point such values at the local endpoint, which serves queues by name.
 */
function localized(environment: Record<string, string>, endpointUrl: string | undefined): Record<string, string> {
  if (!endpointUrl) return environment;
  const local = endpointUrl.replace(/\/$/, '');
  return Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, v.replace(/^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com(?=\/)/, local)]));
}
