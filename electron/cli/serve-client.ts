import { LambdaDeskError } from '../engine/errors.ts';
import type { CliIo } from './cli-io.ts';

/**
 * What the commands that drive a running `lambdadesk serve` (queue, bucket, table, stream)
 * share: where to find it, how its SDK clients are configured, and what to say when it is not
 * running.
 */
export const DEFAULT_ENDPOINT = 'http://127.0.0.1:3001';

export const SERVE_CLIENT_FLAGS = {
  'endpoint-url': { type: 'string' },
  region: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const SERVE_CLIENT_USAGE = `  --endpoint-url URL   the endpoint \`lambdadesk serve\` prints (default ${DEFAULT_ENDPOINT})`;

/** SDK client settings: the endpoint from the flag, else LAMBDADESK_ENDPOINT_URL, else the default; any credentials do. */
export function serveClientConfig(values: { 'endpoint-url'?: string; region?: string }, io: CliIo) {
  const endpoint = values['endpoint-url'] ?? io.env.LAMBDADESK_ENDPOINT_URL ?? DEFAULT_ENDPOINT;
  return { endpoint, region: values.region ?? 'us-east-1', credentials: { accessKeyId: 'lambdadesk', secretAccessKey: 'lambdadesk' }, maxAttempts: 1 };
}

class ServeNotRunningError extends LambdaDeskError {
  readonly awsName = 'ServeNotRunning';
  readonly status = 400;
}

/** The clear error for "nothing listens there", or undefined when `err` is something else. */
export function serveNotAnswering(err: unknown, endpoint: string): LambdaDeskError | undefined {
  const e = err as { code?: string; message?: string };
  if (e?.code !== 'ECONNREFUSED' && !/ECONNREFUSED/.test(String(e?.message))) return undefined;
  return new ServeNotRunningError(`Nothing answers at ${endpoint}.`, 'Start `lambdadesk serve DIR` first, or pass --endpoint-url with the AWS endpoint it prints.');
}
