import type { FunctionConfig } from '../contract.ts';

/**
 * `--debug-port`: Node.js waits for an inspector client before it runs the runtime client, so
 * breakpoints in module code are hit; Python's bootstrap waits for a debugpy client likewise.
 * Host networking puts the port on the host's 127.0.0.1.
 */
export function debugEnvironment(fn: FunctionConfig, debugPort: number | undefined, env: Record<string, string>): Record<string, string> {
  if (!debugPort) return {};
  if (fn.runtime.startsWith('nodejs')) return { NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --inspect-brk=127.0.0.1:${debugPort}`.trim() };
  return { LAMBDADESK_DEBUG_PORT: String(debugPort) };
}
