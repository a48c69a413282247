#!/usr/bin/env node
/**
 * `npm start`: the Electron window when the Electron binary is installed; otherwise says so and
 * serves the same UI in browser mode (`lambdadesk serve examples/hello --ui`).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const project = process.argv[2] ?? join(root, 'examples/hello');

function electronBinary() {
  try {
    const path = require('electron'); // the binary's path; throws when the download was skipped
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

async function buildRenderer() {
  const { build } = await import('vite');
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
}

/** Main and preload as Electron runs them: ESM main beside a one-file CJS preload (it runs sandboxed). */
async function buildShell() {
  const { build } = await import('esbuild');
  const common = { bundle: true, platform: 'node', target: 'node20', external: ['electron'], logLevel: 'warning', sourcemap: 'linked' };
  await build({ ...common, entryPoints: [join(root, 'electron/main/index.ts')], outfile: join(root, 'dist/electron/main.mjs'), format: 'esm', packages: 'external' });
  await build({ ...common, entryPoints: [join(root, 'electron/preload/index.ts')], outfile: join(root, 'dist/electron/preload.cjs'), format: 'cjs' });
}

function run(command, args) {
  const child = spawn(command, args, { stdio: 'inherit', cwd: root });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

await buildRenderer();
const electron = electronBinary();
if (electron) {
  await buildShell();
  run(electron, [join(root, 'dist/electron/main.mjs'), project]);
} else {
  console.log('The Electron binary is not installed (it was skipped, e.g. ELECTRON_SKIP_BINARY_DOWNLOAD=1, or cannot be downloaded here).');
  console.log('Serving the same UI in browser mode instead: open the UI URL printed below.\n');
  run(process.execPath, [join(root, 'bin/lambdadesk.js'), 'serve', project, '--ui']);
}
