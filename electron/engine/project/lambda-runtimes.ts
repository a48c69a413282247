import { SUPPORTED_RUNTIMES } from '../contract.ts';
import type { RuntimeId } from '../contract.ts';

/** Identifier shapes of every Lambda runtime AWS has published, current or deprecated. */
const LAMBDA_RUNTIME_FAMILIES = [
  /^nodejs(\d+\.(x|10)|4\.3)?$/,
  /^python(2\.7|3\.\d+)$/,
  /^java(8|8\.al2|\d{2})$/,
  /^dotnet(core[123]\.[01]|\d+)$/,
  /^ruby[23]\.\d+$/,
  /^go1\.x$/,
  /^provided(\.al2|\.al2023)?$/,
];

export type RuntimeKind = 'supported' | 'unsupported-lambda-runtime' | 'unknown';

/**
 * `supported`: LambdaDesk can run it. `unsupported-lambda-runtime`: a real Lambda runtime the
 * project may declare (it loads, and fails to invoke with a clear error). `unknown`: not a Lambda
 * runtime at all, most likely a typo.
 */
export function classifyRuntime(runtime: string): RuntimeKind {
  if ((SUPPORTED_RUNTIMES as readonly string[]).includes(runtime)) return 'supported';
  if (LAMBDA_RUNTIME_FAMILIES.some((family) => family.test(runtime))) return 'unsupported-lambda-runtime';
  return 'unknown';
}

export function isSupportedRuntime(runtime: string): runtime is RuntimeId {
  return classifyRuntime(runtime) === 'supported';
}

/** Custom runtimes run `bootstrap` and take no handler. */
export function isCustomRuntime(runtime: string): boolean {
  return runtime.startsWith('provided');
}

/** Runtimes whose handler is `file.export` (Node.js) or `module.function` (Python). */
export function hasFileExportHandler(runtime: string): boolean {
  return runtime.startsWith('nodejs') || runtime.startsWith('python');
}
