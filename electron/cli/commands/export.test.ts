import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { tempDir, writeFiles } from '../../../test/fixtures/export/write-project.ts';
import type { CliIo } from '../cli-io.ts';
import { main } from '../main.ts';

function fakeIo(cwd: string): { io: CliIo; stdout: () => string; stderr: () => string } {
  const [out, err] = [new PassThrough(), new PassThrough()];
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (c: Buffer) => chunks.out.push(c));
  err.on('data', (c: Buffer) => chunks.err.push(c));
  const io: CliIo = { stdout: out, stderr: err, stdin: new PassThrough(), env: {}, cwd, stopSignal: new Promise(() => {}) };
  return { io, stdout: () => Buffer.concat(chunks.out).toString(), stderr: () => Buffer.concat(chunks.err).toString() };
}

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  # says hello
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: src/
      Handler: app.handler
`;

async function project(): Promise<string> {
  const dir = await tempDir();
  await writeFiles(dir, { 'proj/template.yaml': TEMPLATE, 'proj/src/app.js': 'exports.handler = async () => "hi";\n' });
  return dir;
}

describe('lambdadesk export', () => {
  test('writes the packages and says where, with progress on stderr', async () => {
    const dir = await project();
    const { io, stdout, stderr } = fakeIo(dir);
    expect(await main(['export', 'proj', '--out', 'dist'], io)).toBe(0);
    expect(stdout()).toMatch(/^Exported 1 package\(s\) to dist\/\n {2}function Hello {2}functions\/Hello\.zip {2}\d+ B \(36 B unzipped, 1 file\)\n {2}template dist\/template\.yaml\n\nDeploy: sam deploy --template-file dist\/template\.yaml --guided\n$/);
    expect(stderr()).toBe('[1/1] building function Hello (nodejs20.x)\nchecking Lambda limits\nwriting ' + join(dir, 'dist') + '\n');
    expect(await readdir(join(dir, 'dist'))).toEqual(['functions', 'layers', 'template.yaml']);
    expect(await readFile(join(dir, 'dist/template.yaml'), 'utf8')).toBe(TEMPLATE.replace('CodeUri: src/', 'CodeUri: functions/Hello.zip'));
  });

  test('--json prints the result for scripts', async () => {
    const dir = await project();
    const { io, stdout } = fakeIo(join(dir, 'proj'));
    expect(await main(['export', '--json', '-o', '../out'], io)).toBe(0);
    const result = JSON.parse(stdout()) as { outDir: string; packages: { logicalId: string; zip: string; sha256: string }[] };
    expect(result.outDir).toBe(join(dir, 'out'));
    expect(result.packages.map((p) => [p.logicalId, p.zip])).toEqual([['Hello', 'functions/Hello.zip']]);
    expect(result.packages[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('without --out it is a usage error', async () => {
    const dir = await project();
    const { io, stderr } = fakeIo(dir);
    expect(await main(['export', 'proj'], io)).toBe(2);
    expect(stderr()).toMatch(/^lambdadesk export: Say where to write the packages with --out OUT\.\n\nUsage: lambdadesk export/);
  });

  test('a package that cannot be built exits 1 with the reason and the fix', async () => {
    const dir = await project();
    await writeFiles(dir, { 'proj/src/package.json': { name: 'x', dependencies: { leftpad: '1' } } });
    const { io, stderr } = fakeIo(dir);
    expect(await main(['export', 'proj', '--out', 'dist'], io)).toBe(1);
    expect(stderr()).toMatch(/lambdadesk export: template.yaml:5 Resources.Hello: 1 production dependency is not installed .*: leftpad\n {2}Run `npm install`/);
    expect(await readdir(dir)).toEqual(['proj']);
  });
});
