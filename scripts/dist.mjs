#!/usr/bin/env node
// `npm run dist [-- ARGS]`: stages the app (scripts/build-app.mjs), then runs electron-builder with
// build/electron-builder.config.mjs. ARGS go to electron-builder (`--linux dir`, `--mac`,
// `-c.electronDist=…`), except `--stage DIR`, which moves the stage (default out/stage).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './build-app.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function splitArgs(argv) {
  const rest = [];
  let stage;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--stage') stage = argv[++i];
    else if (arg.startsWith('--stage=')) stage = arg.slice('--stage='.length);
    else rest.push(arg);
  }
  if (stage === '') throw new Error('--stage needs a folder, e.g. --stage out/stage');
  return { stage: stage === undefined ? join(ROOT, 'out/stage') : resolve(stage), builderArgs: rest };
}

function runElectronBuilder(args) {
  const cli = createRequire(import.meta.url).resolve('electron-builder/cli.js');
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: ROOT, stdio: 'inherit' });
    child.on('error', fail);
    child.on('exit', (code, signal) => done(signal ? 1 : (code ?? 1)));
  });
}

try {
  const { stage, builderArgs } = splitArgs(process.argv.slice(2));
  await buildApp({ stageDir: stage });
  const code = await runElectronBuilder(['--config', join(ROOT, 'build/electron-builder.config.mjs'), `-c.directories.app=${stage}`, ...builderArgs]);
  if (code !== 0) {
    if (!builderArgs.some((a) => a.startsWith('-c.electronDist=') || a.startsWith('--config.electronDist='))) {
      console.error(
        '\nelectron-builder failed. It downloads Electron and its packaging tools; on a machine without internet access pass an ' +
          'unpacked Electron of the same version for the target platform and build a folder: npm run dist -- --dir -c.electronDist=/path/to/electron-dist',
      );
    }
    process.exitCode = code;
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
}
