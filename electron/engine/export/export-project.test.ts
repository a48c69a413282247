import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { FunctionConfig, LayerConfig, ProjectModel } from '../contract.ts';
import { tempDir, writeFiles } from '../../../test/fixtures/export/write-project.ts';
import { ExportLimitError, OutputFolderError } from './export-errors.ts';
import { type ExportProgress, exportProject } from './export-project.ts';
import { readZip } from './zip-reader.ts';

function layer(dir: string, logicalId: string, contentDir: string, line = 20): LayerConfig {
  return { logicalId, layerName: logicalId, contentDir: join(dir, contentDir), compatibleRuntimes: ['nodejs20.x'], location: { file: 'template.yaml', line, column: 3 } };
}

function fn(dir: string, logicalId: string, codeDir: string, overrides: Partial<FunctionConfig> = {}): FunctionConfig {
  return {
    logicalId,
    functionName: logicalId,
    handler: 'app.handler',
    runtime: 'nodejs20.x',
    codeDir: join(dir, codeDir),
    memoryMb: 128,
    timeoutSeconds: 3,
    environment: {},
    ephemeralStorageMb: 512,
    architecture: 'x86_64',
    layers: [],
    events: [],
    location: { file: 'template.yaml', line: 10, column: 3 },
    ...overrides,
  };
}

function model(dir: string, functions: FunctionConfig[], layers: LayerConfig[] = []): ProjectModel {
  return { dir, templatePath: join(dir, 'template.yaml'), functions, layers, parameters: {}, warnings: [] };
}

function template(functions: string[], layers: string[] = [], extra = ''): string {
  const lines = ['Transform: AWS::Serverless-2016-10-31', 'Resources:'];
  for (const id of layers) lines.push(`  ${id}:`, '    Type: AWS::Serverless::LayerVersion', '    Properties:', `      ContentUri: ${id.toLowerCase()}/`);
  for (const id of functions) lines.push(`  ${id}: # the ${id} function`, '    Type: AWS::Serverless::Function', '    Properties:', `      CodeUri: ${id.toLowerCase()}/`, '      Runtime: nodejs20.x', '      Handler: app.handler');
  return `${lines.join('\n')}\n${extra}`;
}

/** A file of `bytes` that takes no disk space: its size is all the limit checks read. */
async function sparseFile(path: string, bytes: number): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  const handle = await open(path, 'w');
  await handle.truncate(bytes);
  await handle.close();
}

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (sub: string): Promise<void> => {
    for (const entry of await readdir(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(rel);
      else out[rel] = (await readFile(join(dir, rel))).toString('base64');
    }
  };
  await walk('');
  return out;
}

describe('exportProject', () => {
  test('writes one zip per function and layer and a template pointing at them', async () => {
    const dir = await tempDir();
    await writeFiles(dir, {
      'template.yaml': template(['Api'], ['Shared']),
      'api/app.js': 'exports.handler = async () => 1;\n',
      'shared/nodejs/node_modules/s/index.js': 'module.exports = 2;\n',
    });
    const shared = layer(dir, 'Shared', 'shared');
    const seen: ExportProgress[] = [];
    const result = await exportProject({
      model: model(dir, [fn(dir, 'Api', 'api', { layers: [shared] })], [shared]),
      outDir: join(dir, 'out'),
      onProgress: (p) => seen.push(p),
    });
    expect(result.packages.map((p) => [p.kind, p.logicalId, p.zip, p.files])).toEqual([
      ['layer', 'Shared', 'layers/Shared.zip', 1],
      ['function', 'Api', 'functions/Api.zip', 1],
    ]);
    expect(result.templatePath).toBe(join(dir, 'out/template.yaml'));
    expect(await readFile(result.templatePath, 'utf8')).toBe(
      template(['Api'], ['Shared']).replace('ContentUri: shared/', 'ContentUri: layers/Shared.zip').replace('CodeUri: api/', 'CodeUri: functions/Api.zip'),
    );
    const api = readZip(await readFile(join(dir, 'out/functions/Api.zip')));
    expect(api.map((e) => [e.path, e.mode, e.data.toString()])).toEqual([['app.js', 0o644, 'exports.handler = async () => 1;\n']]);
    expect(readZip(await readFile(join(dir, 'out/layers/Shared.zip'))).map((e) => e.path)).toEqual(['nodejs/node_modules/s/index.js']);
    expect(new Set(seen.map((p) => p.phase))).toEqual(new Set(['build', 'check', 'zip', 'write', 'done']));
    const zipped = seen.filter((p) => p.phase === 'zip' && p.bytesDone === p.bytesTotal).map((p) => [p.logicalId, p.bytesTotal]);
    expect(zipped).toEqual([['Shared', 20], ['Api', 33]]);
    expect((await stat(join(dir, 'out'))).mode & 0o777).toBe(0o755);
    expect(await readdir(dir)).toEqual(['api', 'out', 'shared', 'template.yaml']); // no scratch folders left
  });

  test('an export inside its own code folder never packages itself', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'template.yaml': template(['Api']).replace('CodeUri: api/', 'CodeUri: .'), 'app.js': 'exports.handler = () => 1;' });
    const project = model(dir, [fn(dir, 'Api', '.')]);
    await exportProject({ model: project, outDir: join(dir, 'dist') });
    const second = await exportProject({ model: project, outDir: join(dir, 'dist') });
    const entries = readZip(await readFile(join(dir, 'dist/functions/Api.zip'))).map((e) => e.path);
    expect(entries).toEqual(['app.js', 'template.yaml']);
    expect(second.packages[0]!.files).toBe(2);
  });

  test('a package over 50 MB zipped fails with its largest files, and OUT keeps the previous export', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'template.yaml': template(['Big']), 'big/app.js': 'exports.handler = () => 1;' });
    const project = model(dir, [fn(dir, 'Big', 'big')]);
    await exportProject({ model: project, outDir: join(dir, 'out') });
    const before = await snapshot(join(dir, 'out'));

    await writeFile(join(dir, 'big/model.bin'), randomBytes(51 * 1024 * 1024)); // random bytes do not deflate
    await writeFile(join(dir, 'big/weights.bin'), randomBytes(1024 * 1024));
    const error = await exportProject({ model: project, outDir: join(dir, 'out') }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ExportLimitError);
    const message = (error as ExportLimitError).message;
    expect(message).toMatch(/^template.yaml:10 Resources.Big: the function package is 52\.0 MB zipped \(\d+ bytes\); AWS accepts at most 50 MB \(52428800 bytes\)/);
    expect(message).toMatch(/Largest files:\n\s+51\.0 MB {2}model\.bin\n\s+1\.0 MB {2}weights\.bin\n\s+\d+ B {2}app\.js/);
    expect((error as ExportLimitError).fix).toMatch(/^Nothing was written/);
    expect(await snapshot(join(dir, 'out'))).toEqual(before);
    expect(await readdir(dir)).toEqual(['big', 'out', 'template.yaml']);
  });

  test('250 MB unzipped counts the layers, and names the largest files of each', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'template.yaml': template(['Fn'], ['Deps']), 'fn/app.js': '' });
    await sparseFile(join(dir, 'fn/data/table.bin'), 150 * 1024 * 1024);
    await sparseFile(join(dir, 'deps/nodejs/node_modules/huge/blob.bin'), 120 * 1024 * 1024);
    const deps = layer(dir, 'Deps', 'deps', 4);
    const error = (await exportProject({ model: model(dir, [fn(dir, 'Fn', 'fn', { layers: [deps] })], [deps]), outDir: join(dir, 'out') }).catch((err: unknown) => err)) as ExportLimitError;
    expect(error).toBeInstanceOf(ExportLimitError);
    expect(error.problems.map((p) => [p.target.logicalId, p.limit, p.actual])).toEqual([['Fn', 'unzipped-size', 270 * 1024 * 1024]]);
    expect(error.message).toContain('the code with its layers is 270.0 MB unzipped (283115520 bytes); AWS accepts at most 250 MB (262144000 bytes).');
    expect(error.message).toMatch(/150\.0 MB {2}data\/table\.bin\n\s+120\.0 MB {2}\[layer Deps\] nodejs\/node_modules\/huge\/blob\.bin\n\s+0 B {2}app\.js/);
    expect(await readdir(dir)).toEqual(['deps', 'fn', 'template.yaml']);
  });

  test('more than 5 layers and more than 4 KB of environment are reported together, before anything is built into OUT', async () => {
    const dir = await tempDir();
    const arns = Array.from({ length: 6 }, (_, i) => `        - arn:aws:lambda:us-east-1:123456789012:layer:l${i}:1`).join('\n');
    await writeFiles(dir, { 'template.yaml': template(['Fn']).replace('      Handler: app.handler', `      Handler: app.handler\n      Layers:\n${arns}`), 'fn/app.js': '' });
    const environment = { SMALL: 'x', BIG_JSON: 'y'.repeat(4000), OTHER: 'z'.repeat(200) };
    const error = (await exportProject({ model: model(dir, [fn(dir, 'Fn', 'fn', { environment })]), outDir: join(dir, 'out') }).catch((err: unknown) => err)) as ExportLimitError;
    expect(error.problems.map((p) => p.limit)).toEqual(['layer-count', 'environment-size']);
    expect(error.message).toContain('Resources.Fn: 6 layers; a function can use at most 5.');
    expect(error.message).toMatch(/environment variables take 4238 bytes as JSON; AWS accepts at most 4096 \(4 KB\)\.\n {2}Largest variables:\n\s+3\.9 KB {2}BIG_JSON\n\s+210 B {2}OTHER\n\s+11 B {2}SMALL/);
    expect(await readdir(dir)).toEqual(['fn', 'template.yaml']);
  });

  test('an OUT holding files it did not write is refused before any work, and left alone', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'template.yaml': template(['Api']), 'api/app.js': '', 'out/notes.txt': 'mine' });
    await expect(exportProject({ model: model(dir, [fn(dir, 'Api', 'api')]), outDir: join(dir, 'out') })).rejects.toThrow(OutputFolderError);
    expect(await readdir(join(dir, 'out'))).toEqual(['notes.txt']);
  });

  test('an OUT that would contain the project is refused', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'template.yaml': template(['Api']), 'api/app.js': '' });
    await expect(exportProject({ model: model(dir, [fn(dir, 'Api', 'api')]), outDir: dir })).rejects.toThrow(/would delete the project/);
    await expect(exportProject({ model: model(dir, [fn(dir, 'Api', 'api')]), outDir: join(dir, '..') })).rejects.toThrow(/would delete the project/);
  });

  test('a build failure leaves no OUT and no scratch folders', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'template.yaml': template(['Api']), 'api/app.js': '', 'api/package.json': { dependencies: { missing: '1' } } });
    await expect(exportProject({ model: model(dir, [fn(dir, 'Api', 'api')]), outDir: join(dir, 'out') })).rejects.toThrow(/not installed/);
    expect(await readdir(dir)).toEqual(['api', 'template.yaml']);
  });

  test('InlineCode functions have nothing to package and keep their template entry', async () => {
    const dir = await tempDir();
    const text = 'Resources:\n  Inline:\n    Type: AWS::Serverless::Function\n    Properties:\n      InlineCode: "exports.handler = async () => 1;"\n      Runtime: nodejs20.x\n      Handler: index.handler\n';
    await writeFiles(dir, { 'template.yaml': text });
    const result = await exportProject({ model: model(dir, [fn(dir, 'Inline', '.')]), outDir: join(dir, 'out') });
    expect(result.packages).toEqual([]);
    expect(await readFile(join(dir, 'out/template.yaml'), 'utf8')).toBe(text);
  });

  test('a function of the template that the project left out is named in a warning', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'template.yaml': template(['Api', 'Skipped']), 'api/app.js': '' });
    const result = await exportProject({ model: model(dir, [fn(dir, 'Api', 'api')]), outDir: join(dir, 'out') });
    expect(result.warnings).toEqual([expect.stringMatching(/^Resources.Skipped was not packaged: the project leaves it out/)]);
  });
});
