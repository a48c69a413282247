/** AWS Lambda's limits and defaults for the settings a template declares. */
export const LAMBDA_LIMITS = {
  memoryMb: { min: 128, max: 10_240, default: 128 },
  timeoutSeconds: { min: 1, max: 900, default: 3 },
  ephemeralStorageMb: { min: 512, max: 10_240, default: 512 },
  layersPerFunction: 5,
  /** Total size of a function's environment variables (keys and values), in bytes. */
  environmentBytes: 4096,
  functionNameLength: 64,
  handlerLength: 128,
} as const;

export const DEFAULT_ARCHITECTURE = 'x86_64';
export const ARCHITECTURES = ['x86_64', 'arm64'] as const;

/** Environment variables Lambda sets itself and refuses in a function's configuration. */
export const RESERVED_ENVIRONMENT_KEYS = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
] as const;
