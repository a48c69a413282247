import { resolve } from 'node:path';
import { UsageError } from './cli-io.ts';
import type { EngineOptions } from '../engine/create-engine.ts';

/** Options shared by every command that runs functions, so they read the same everywhere. */
export const ENGINE_FLAGS = {
  sandbox: { type: 'string' },
  'keep-alive-seconds': { type: 'string' },
  concurrency: { type: 'string' },
  region: { type: 'string' },
  'parameter-overrides': { type: 'string', multiple: true },
  'debug-port': { type: 'string' },
} as const;

export const ENGINE_FLAGS_USAGE = `  --sandbox auto|docker|process   where functions run (default auto: Docker when it answers)
  --keep-alive-seconds N          idle environments stop after N seconds (default 600, as AWS)
  --concurrency N                 per-function limit when the template reserves none (default 50)
  --region REGION                 region in ARNs and AWS_REGION (default us-east-1)
  --parameter-overrides K=V       template parameter values (repeatable)
  --debug-port N                  start runtimes with a debugger on 127.0.0.1:N (Node.js inspector, Python debugpy)`;

export interface EngineFlagValues {
  sandbox?: string;
  'keep-alive-seconds'?: string;
  concurrency?: string;
  region?: string;
  'parameter-overrides'?: string[];
  'debug-port'?: string;
}

export function wholeNumber(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, not '${value}'.`);
  return n;
}

export function engineOptions(dir: string, cwd: string, flags: EngineFlagValues): EngineOptions {
  const sandbox = flags.sandbox ?? 'auto';
  if (!['auto', 'docker', 'process'].includes(sandbox)) throw new UsageError(`--sandbox must be auto, docker or process, not '${sandbox}'.`);
  const overrides: Record<string, string> = {};
  for (const pair of flags['parameter-overrides'] ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--parameter-overrides takes KEY=VALUE, not '${pair}'.`);
    overrides[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const keepAlive = wholeNumber('keep-alive-seconds', flags['keep-alive-seconds'], 0, 86_400);
  return {
    projectDir: resolve(cwd, dir),
    sandbox: sandbox as EngineOptions['sandbox'],
    keepAliveMs: keepAlive === undefined ? undefined : keepAlive * 1000,
    concurrencyLimit: wholeNumber('concurrency', flags.concurrency, 1, 10_000),
    region: flags.region,
    parameterOverrides: overrides,
    debugPort: wholeNumber('debug-port', flags['debug-port'], 1, 65_535),
  };
}

/**
 * A one-shot command (invoke, fire, publish…) runs its own engine beside any `serve`: every
 * port is picked free, so it never takes 3000, 3001 or 1883 from a running one.
 */
export function oneShotEngineOptions(dir: string, cwd: string, flags: EngineFlagValues): EngineOptions {
  return { ...engineOptions(dir, cwd, flags), port: 0, apiPort: 0, mqttPort: 0, watch: false };
}
