#!/usr/bin/env node
// The `lambdadesk` command. Loads the TypeScript sources through tsx, so a clone needs no build.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
