import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createEngine, type Engine, type EngineOptions } from '../../../electron/engine/create-engine.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');

export function fixture(name: string): string {
  return join(REPO_ROOT, 'test/fixtures/runtime', name);
}

/** A private copy of a fixture project, so tests may edit code and state freely. */
export function copyProject(dir: string): string {
  const target = mkdtempSync(join(tmpdir(), 'lambdadesk-project-'));
  cpSync(dir, target, { recursive: true, filter: (src) => !src.includes('.lambdadesk') });
  return target;
}

/** An engine on a free port, started; stop it with `engine.stop()`. */
export async function startEngine(projectDir: string, options: Partial<EngineOptions> = {}): Promise<Engine & { url: string }> {
  const engine = await createEngine({ projectDir, port: 0, watch: false, ...options });
  await engine.start();
  return Object.assign(engine, { url: engine.endpoint.url });
}
