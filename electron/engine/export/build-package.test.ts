import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, test } from 'vitest';
import { tempDir, writeFiles, writeWheel } from '../../../test/fixtures/export/write-project.ts';
import { buildPackage } from './build-package.ts';
import type { BuildRequest, BuiltPackage } from './build-types.ts';
import { PackageBuildError } from './export-errors.ts';
import { zipModeOf } from './package-file.ts';
import { writeZip } from './zip-writer.ts';

const hasPip = spawnSync('python3', ['-m', 'pip', '--version']).status === 0;
const hasMake = spawnSync('make', ['--version']).status === 0;

function request(sourceDir: string, overrides: Partial<BuildRequest> = {}): BuildRequest {
  return {
    target: { kind: 'function', logicalId: 'Fn', location: { file: 'template.yaml', line: 7, column: 3 } },
    sourceDir,
    runtime: 'nodejs20.x',
    handler: 'app.handler',
    architecture: 'x86_64',
    buildProperties: {},
    hasLayers: false,
    python: {},
    skipAbsolute: () => false,
    ...overrides,
  };
}

async function contents(built: BuiltPackage): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of built.files) out[file.path] = (await file.read()).toString('utf8');
  await built.cleanup();
  return out;
}

/** Loads a CommonJS bundle the way Lambda's Node.js runtime would, without touching the disk. */
function loadCommonJs(source: string): Record<string, (...args: unknown[]) => unknown> {
  const module = { exports: {} as Record<string, (...args: unknown[]) => unknown> };
  runInNewContext(source, { module, exports: module.exports, require: () => ({}) });
  return module.exports;
}

describe('Node.js packages', () => {
  test('the code with its production node_modules, without dev dependencies or .bin links', async () => {
    const dir = await tempDir();
    await writeFiles(dir, {
      'app.js': 'exports.handler = async () => require("a")();',
      'package.json': { name: 'fn', dependencies: { a: '1' }, devDependencies: { vitest: '1' } },
      'node_modules/a/package.json': { name: 'a', version: '1.0.0' },
      'node_modules/a/index.js': 'module.exports = () => 1;',
      'node_modules/.bin/vitest*': '#!/usr/bin/env node\n',
      'node_modules/vitest/package.json': { name: 'vitest', version: '1.0.0' },
      'node_modules/.package-lock.json': '{}',
      '.git/HEAD': 'ref: refs/heads/main\n',
    });
    const built = await buildPackage(request(dir));
    expect(Object.keys(await contents(built))).toEqual(['app.js', 'node_modules/a/index.js', 'node_modules/a/package.json', 'package.json']);
    expect(built.warnings).toEqual([]);
  });

  test('production dependencies that are not installed stop the export with the fix', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'app.js': '', 'package.json': { name: 'fn', dependencies: { lodash: '4' } } });
    const error = await buildPackage(request(dir)).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(PackageBuildError);
    expect((error as PackageBuildError).message).toMatch(/template.yaml:7 Resources.Fn: 1 production dependency is not installed in .*node_modules: lodash/);
    expect((error as PackageBuildError).fix).toMatch(/npm install/);
  });

  test('esbuild bundles TypeScript with SAM defaults into one minified CommonJS file that runs', async () => {
    const dir = await tempDir();
    await writeFiles(dir, {
      'app.ts': 'import { twice } from "./lib";\nexport const handler = async (event: { n: number }) => ({ result: twice(event.n) });\n',
      'lib.ts': 'export function twice(n: number): number {\n  return n * 2;\n}\n',
      'node_modules/unused/index.js': 'module.exports = 1;',
    });
    const built = await buildPackage(request(dir, { buildMethod: 'esbuild', buildProperties: { EntryPoints: ['app.ts'] } }));
    const files = await contents(built);
    expect(Object.keys(files)).toEqual(['app.js']);
    expect(files['app.js']!.split('\n').filter(Boolean)).toHaveLength(1); // minified by default, as SAM
    expect(await loadCommonJs(files['app.js']!).handler!({ n: 21 })).toEqual({ result: 42 });
    expect(built.addedEnvironment).toEqual({});
  });

  test('esbuild BuildProperties: Format, OutExtension, Sourcemap, Minify, External, Banner', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'src/handler.ts': 'import { S3Client } from "@aws-sdk/client-s3";\nexport const handler = async () => typeof S3Client;\n' });
    const built = await buildPackage(
      request(dir, {
        handler: 'handler.handler',
        buildMethod: 'esbuild',
        buildProperties: {
          EntryPoints: ['src/handler.ts'],
          Format: 'esm',
          OutExtension: ['.js=.mjs'],
          Sourcemap: true,
          Minify: false,
          Target: 'es2022',
          External: ['@aws-sdk/*'],
          Banner: ['js=// built by LambdaDesk'],
        },
      }),
    );
    const files = await contents(built);
    expect(Object.keys(files)).toEqual(['handler.mjs', 'handler.mjs.map']);
    expect(files['handler.mjs']).toMatch(/^\/\/ built by LambdaDesk\n\n\/\/ src\/handler.ts\nimport \{ S3Client \} from "@aws-sdk\/client-s3";/);
    expect(files['handler.mjs']).toContain('//# sourceMappingURL=handler.mjs.map');
    // Relative to the code folder, never a temp path: the same bytes on every machine.
    expect(JSON.parse(files['handler.mjs.map']!).sources).toEqual(['../src/handler.ts']);
    expect(built.addedEnvironment).toEqual({ NODE_OPTIONS: '--enable-source-maps' });
    expect(built.warnings).toEqual([]);
  });

  test('without EntryPoints the handler names the entry, and the bundle keeps its folder', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'src/app.ts': 'export const handler = async () => "ok";\n' });
    const built = await buildPackage(request(dir, { handler: 'src/app.handler', buildMethod: 'esbuild' }));
    expect(Object.keys(await contents(built))).toEqual(['src/app.js']);
    expect(built.warnings).toEqual([]);
  });

  test('an esbuild error names the file and line', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'app.ts': 'export const handler = async () => {\n  return (;\n};\n' });
    await expect(buildPackage(request(dir, { buildMethod: 'esbuild', buildProperties: { EntryPoints: ['app.ts'] } }))).rejects.toThrow(
      /Resources.Fn: esbuild could not bundle app.ts:\n {2}app.ts:2:\d+ /,
    );
  });

  test('a handler file missing from the package is a warning', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'index.js': 'exports.handler = () => 1;' });
    const built = await buildPackage(request(dir, { handler: 'app.handler' }));
    expect(built.warnings).toEqual(['Handler app.handler: the package has no app.js or app.mjs or app.cjs, so Lambda would fail with Runtime.ImportModuleError.']);
  });
});

describe('Python packages', () => {
  test('code without requirements is packaged as it is, byte-code caches and virtualenvs left out', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'app.py': 'def handler(e, c):\n    return 1\n', '__pycache__/app.cpython-312.pyc': 'x', '.venv/bin/python': 'x', 'requirements.txt': '# nothing yet\n\n' });
    const built = await buildPackage(request(dir, { runtime: 'python3.12' }));
    expect(Object.keys(await contents(built))).toEqual(['app.py', 'requirements.txt']);
  });

  test('requirements without a wheel folder fail with how to get the wheels', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'app.py': '', 'requirements.txt': 'requests==2.32.3\n' });
    const error = (await buildPackage(request(dir, { runtime: 'python3.12' })).catch((err: unknown) => err)) as PackageBuildError;
    expect(error.message).toMatch(/requirements.txt lists requests==2.32.3, and the export is offline/);
    expect(error.fix).toMatch(/--wheels DIR .*pip download -r requirements.txt -d wheels --only-binary=:all: --python-version 3.12 .*--platform manylinux_2_34_x86_64/);
  });

  test.skipIf(!hasPip)('requirements are vendored from the wheel folder with their dependencies, offline', async () => {
    const dir = await tempDir();
    await writeWheel(join(dir, 'wheels'), 'greet', '1.0.0', 'from shout import shout\ndef hello(n):\n    return shout("hello " + n)\n', ['shout']);
    await writeWheel(join(dir, 'wheels'), 'shout', '2.0.0', 'def shout(s):\n    return s.upper()\n');
    await writeFiles(dir, { 'fn/app.py': 'import greet\ndef handler(e, c):\n    return greet.hello(e)\n', 'fn/requirements.txt': 'greet==1.0.0\n' });
    const built = await buildPackage(request(join(dir, 'fn'), { runtime: 'python3.12', python: { wheelsDir: join(dir, 'wheels') } }));
    const files = await contents(built);
    expect(Object.keys(files).filter((p) => !p.includes('.dist-info/'))).toEqual(['app.py', 'greet/__init__.py', 'requirements.txt', 'shout/__init__.py']);
    expect(Object.keys(files)).toContain('greet-1.0.0.dist-info/METADATA');
    expect(built.warnings).toEqual([]);
  });

  test.skipIf(!hasPip)('a requirement with no wheel in the folder is named in the error', async () => {
    const dir = await tempDir();
    await writeWheel(join(dir, 'wheels'), 'greet', '1.0.0', '');
    await writeFiles(dir, { 'fn/app.py': '', 'fn/requirements.txt': 'greet==1.0.0\nmissingpkg==3.1\n' });
    await expect(buildPackage(request(join(dir, 'fn'), { runtime: 'python3.12', python: { wheelsDir: join(dir, 'wheels') } }))).rejects.toThrow(
      /pip could not install requirements.txt from .*wheels:\n[\s\S]*missingpkg/,
    );
  });

  test('a layer with a Python BuildMethod is built into python/', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'shared.py': 'X = 1\n' });
    const built = await buildPackage(request(dir, { target: { kind: 'layer', logicalId: 'Lib', location: { file: 't', line: 1, column: 1 } }, runtime: '', buildMethod: 'python3.12' }));
    expect(Object.keys(await contents(built))).toEqual(['python/shared.py']);
  });
});

describe('custom runtimes and other builds', () => {
  test('provided.* keeps the folder as it is, and bootstrap is zipped executable even without an execute bit', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { bootstrap: '#!/bin/sh\nexit 0\n', 'lib/data.txt': 'x' });
    const built = await buildPackage(request(dir, { runtime: 'provided.al2023', handler: 'bootstrap' }));
    const modes = await Promise.all(built.files.map(async (file) => [file.path, zipModeOf(file, await file.read()).toString(8)]));
    expect(modes).toEqual([['bootstrap', '755'], ['lib/data.txt', '644']]);
  });

  test('provided.* without bootstrap fails unless a layer may bring it', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'main.sh': '' });
    await expect(buildPackage(request(dir, { runtime: 'provided.al2023' }))).rejects.toThrow(/starts the file `bootstrap` at the root of the package/);
    await expect(buildPackage(request(dir, { runtime: 'provided.al2023', hasLayers: true }))).resolves.toBeDefined();
  });

  test.skipIf(!hasMake)('BuildMethod makefile runs build-<LogicalId> into ARTIFACTS_DIR', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { Makefile: 'build-Fn:\n\tprintf "#!/bin/sh\\n" > $(ARTIFACTS_DIR)/bootstrap\n\tcp main.txt $(ARTIFACTS_DIR)/\n', 'main.txt': 'hi' });
    const built = await buildPackage(request(dir, { runtime: 'provided.al2023', buildMethod: 'makefile' }));
    expect(await contents(built)).toEqual({ bootstrap: '#!/bin/sh\n', 'main.txt': 'hi' });
  });

  test('a CodeUri that is already a zip is repackaged with its modes', async () => {
    const dir = await tempDir();
    const zip = await writeZip([
      { path: 'bootstrap', data: Buffer.from('#!/bin/sh\n'), mode: 0o755 },
      { path: 'x.txt', data: Buffer.from('x'), mode: 0o644 },
    ]);
    await writeFile(join(dir, 'Fn.zip'), zip.bytes);
    const built = await buildPackage(request(join(dir, 'Fn.zip'), { runtime: 'provided.al2023' }));
    expect(built.files.map((file) => [file.path, file.executable])).toEqual([['bootstrap', true], ['x.txt', false]]);
  });
});
