import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { findProductionDependencies } from './node-production-deps.ts';

async function project(files: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'node-deps-test-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

const pkg = (name: string, dependencies: Record<string, string> = {}): Record<string, unknown> => ({ name, version: '1.0.0', dependencies });

describe('findProductionDependencies with a package-lock.json', () => {
  test('keeps production and optional packages, leaves dev-only ones out', async () => {
    const dir = await project({
      'package.json': { name: 'fn', dependencies: { a: '1' }, devDependencies: { jest: '1' } },
      'package-lock.json': {
        lockfileVersion: 3,
        packages: {
          '': { name: 'fn' },
          'node_modules/a': { version: '1.0.0' },
          'node_modules/a/node_modules/b': { version: '2.0.0' },
          'node_modules/@scope/c': { version: '1.0.0', optional: true },
          'node_modules/jest': { version: '1.0.0', dev: true },
          'node_modules/fsevents': { version: '1.0.0', optional: true }, // not installed on Linux
        },
      },
      'node_modules/a/package.json': pkg('a', { b: '2' }),
      'node_modules/a/node_modules/b/package.json': pkg('b'),
      'node_modules/@scope/c/package.json': pkg('@scope/c'),
      'node_modules/jest/package.json': pkg('jest'),
    });
    expect(await findProductionDependencies(dir)).toEqual({
      dirs: ['node_modules/@scope/c', 'node_modules/a', 'node_modules/a/node_modules/b'],
      missing: [],
    });
  });

  test('names production packages the lockfile lists but node_modules lacks', async () => {
    const dir = await project({
      'package.json': { name: 'fn', dependencies: { a: '1', '@s/x': '1' } },
      'package-lock.json': { lockfileVersion: 2, packages: { '': {}, 'node_modules/a': {}, 'node_modules/@s/x': {} } },
    });
    expect(await findProductionDependencies(dir)).toEqual({ dirs: [], missing: ['@s/x', 'a'] });
  });
});

describe('findProductionDependencies without a lockfile', () => {
  test('follows dependencies through node_modules the way require() finds them', async () => {
    const dir = await project({
      'package.json': { name: 'fn', dependencies: { a: '1' }, devDependencies: { jest: '1' }, optionalDependencies: { gone: '1' } },
      'node_modules/a/package.json': pkg('a', { b: '1', '@s/c': '1' }),
      'node_modules/a/node_modules/b/package.json': pkg('b', { d: '1' }),
      'node_modules/@s/c/package.json': pkg('@s/c', { d: '1' }),
      'node_modules/d/package.json': pkg('d'),
      'node_modules/jest/package.json': pkg('jest', { d: '1' }),
    });
    expect(await findProductionDependencies(dir)).toEqual({
      dirs: ['node_modules/@s/c', 'node_modules/a', 'node_modules/a/node_modules/b', 'node_modules/d'],
      missing: [],
    });
  });

  test('a production dependency that is not installed is reported, an optional one is not', async () => {
    const dir = await project({
      'package.json': { name: 'fn', dependencies: { a: '1' }, optionalDependencies: { opt: '1' } },
    });
    expect(await findProductionDependencies(dir)).toEqual({ dirs: [], missing: ['a'] });
  });

  test('a folder without package.json has no dependencies', async () => {
    const dir = await project({ 'app.js': 'exports.handler = () => 1;' });
    expect(await findProductionDependencies(dir)).toEqual({ dirs: [], missing: [] });
  });
});
