import { resolve } from 'node:path';
import { build } from 'vite';

/** Vitest globalSetup: the e2e tests drive the renderer as built, like `lambdadesk serve --ui` serves it. */
export default async function buildRenderer(): Promise<void> {
  await build({ configFile: resolve(import.meta.dirname, '../../vite.config.ts'), logLevel: 'warn' });
}
