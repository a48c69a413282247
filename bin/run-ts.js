#!/usr/bin/env node
// Runs a TypeScript entry point without a build step: `node bin/run-ts.js file.ts args…`.
// tsx is a runtime dependency so that the CLI works straight from a clone.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

register();
const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: run-ts.js FILE.ts [ARGS…]\n');
  process.exit(2);
}
process.argv = [process.argv[0], resolve(entry), ...rest];
await import(pathToFileURL(resolve(entry)).href);
