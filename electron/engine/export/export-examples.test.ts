import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Ajv from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ProjectModel } from '../contract.ts';
import { loadProject } from '../project/load-project.ts';
import { installMixedModules } from '../../../test/fixtures/export/install-modules.ts';
import { writeWheel } from '../../../test/fixtures/export/write-project.ts';
import { parseTemplate, toCloudFormation } from './cfn-yaml.ts';
import { extractZip } from './extract-zip.ts';
import { readZip } from './zip-reader.ts';

/**
 * The export as a user runs it: the real CLI in child processes, over every example project and
 * the `mixed` fixture (esbuild, node_modules, wheels, custom runtime, layer).
 */

const run = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const schemaPath = resolve(repoRoot, '../shared/reference/schemas/sam.schema.json');
const hasSchema = existsSync(schemaPath);
const hasUnzip = spawnSync('unzip', ['-v']).status === 0;
const hasPython = spawnSync('python3', ['--version']).status === 0;
const hasPip = hasPython && spawnSync('python3', ['-m', 'pip', '--version']).status === 0;

const examples = readdirSync(join(repoRoot, 'examples'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(repoRoot, 'examples', entry.name, 'template.yaml')))
  .map((entry) => `examples/${entry.name}`);
const projects = [...examples, ...(hasPip ? ['test/fixtures/export/mixed'] : [])];

interface Exported {
  source: string;
  out: string;
  model: ProjectModel;
}
const exported = new Map<string, Exported>();
let wheels = '';

async function exportWithCli(projectDir: string, out: string, tz: string): Promise<void> {
  const args = ['bin/lambdadesk.js', 'export', projectDir, '--out', out, '--wheels', wheels];
  await run(process.execPath, args, { cwd: repoRoot, env: { ...process.env, TZ: tz, LC_ALL: 'C' } });
}

async function filesOf(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const walk = async (sub: string): Promise<void> => {
    for (const entry of (await readdir(join(dir, sub), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(rel);
      else files.set(rel, await readFile(join(dir, rel)));
    }
  };
  await walk('');
  return files;
}

let work = '';
afterAll(() => rm(work, { recursive: true, force: true }));

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lambdadesk-export-e2e-'));
  wheels = join(work, 'wheels');
  await writeWheel(wheels, 'tinygreet', '1.0.0', 'def greet(name):\n    return "Hello, " + name + "!"\n');
  // Two copies of each project at different paths, exported in time zones 13¾ hours apart:
  // nothing of the path, the clock or the zone may reach the zips.
  await Promise.all(
    projects.map(async (project, i) => {
      const [a, b] = [join(work, `a${i}`, project.split('/').pop()!), join(work, `b${i}`, 'copy')];
      for (const copy of [a, b]) {
        await cp(join(repoRoot, project), copy, { recursive: true });
        if (project.endsWith('/mixed')) await installMixedModules(copy);
      }
      await exportWithCli(a, join(work, `out-a${i}`), 'Pacific/Chatham');
      await exportWithCli(b, join(work, `out-b${i}`), 'America/Adak');
      exported.set(project, { source: a, out: join(work, `out-a${i}`), model: (await loadProject(a)).model });
      exported.set(`${project} (copy)`, { source: b, out: join(work, `out-b${i}`), model: (await loadProject(b)).model });
    }),
  );
}, 120_000);

describe.each(projects)('export of %s', (project) => {
  test('is byte-identical when run again from another path, in another time zone', async () => {
    const first = await filesOf(exported.get(project)!.out);
    const second = await filesOf(exported.get(`${project} (copy)`)!.out);
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [path, bytes] of first) expect(second.get(path)!.equals(bytes), path).toBe(true);
  });

  test('writes a zip for every function and layer, named in OUT/template.yaml', async () => {
    const { out, model } = exported.get(project)!;
    const template = toCloudFormation(parseTemplate(await readFile(join(out, 'template.yaml'), 'utf8'))) as {
      Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    };
    for (const fn of model.functions) {
      expect(template.Resources[fn.logicalId]!.Properties!.CodeUri).toBe(`functions/${fn.logicalId}.zip`);
      expect((await stat(join(out, 'functions', `${fn.logicalId}.zip`))).isFile()).toBe(true);
    }
    for (const layer of model.layers) {
      expect(template.Resources[layer.logicalId]!.Properties!.ContentUri).toBe(`layers/${layer.logicalId}.zip`);
    }
    const zips = [...(await filesOf(out)).keys()].filter((path) => path.endsWith('.zip'));
    expect(zips).toHaveLength(model.functions.length + model.layers.length);
  });

  test.skipIf(!hasSchema)('OUT/template.yaml validates against the official SAM schema', async () => {
    const { out } = exported.get(project)!;
    const template = toCloudFormation(parseTemplate(await readFile(join(out, 'template.yaml'), 'utf8'))) as Record<string, unknown>;
    expect(validateSam(template)).toEqual([]);
  });

  test.skipIf(!hasUnzip)('every zip passes unzip -t', async () => {
    const { out } = exported.get(project)!;
    for (const path of [...(await filesOf(out)).keys()].filter((p) => p.endsWith('.zip'))) {
      const { stdout } = await run('unzip', ['-t', join(out, path)]);
      expect(stdout).toContain('No errors detected');
    }
  });

  test('files copied from the source come back from the zip unchanged, modes fixed', async () => {
    const { out, model } = exported.get(project)!;
    for (const fn of model.functions) {
      const entries = readZip(await readFile(join(out, 'functions', `${fn.logicalId}.zip`)));
      expect(entries.length).toBeGreaterThan(0);
      for (const entry of entries) {
        expect([0o644, 0o755]).toContain(entry.mode);
        const source = join(fn.codeDir, entry.path);
        if (existsSync(source)) expect(entry.data.equals(readFileSync(source)), `${fn.logicalId}: ${entry.path}`).toBe(true);
        if (entry.path === 'bootstrap') expect(entry.mode).toBe(0o755);
      }
    }
  });
});

describe.skipIf(!hasSchema)('the SAM schema check', () => {
  test('catches what SAM would refuse, so a passing export means something', () => {
    const failures = validateSam({ Resources: { Fn: { Type: 'AWS::Serverless::Function', Properties: { CodeUri: 'functions/Fn.zip', MemorySise: 256 } } } });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('additional properties');
  });
});

describe('exported code runs like the source', () => {
  test.skipIf(!examples.includes('examples/hello'))('examples/hello: the Node.js and Python handlers answer as before', async () => {
    const { out, model } = exported.get('examples/hello')!;
    const task = await extractAll(out, model);
    // The custom runtime needs the Runtime API to answer; serving it is the runtime's test.
    for (const fn of model.functions.filter((f) => f.runtime.startsWith('nodejs') || (hasPython && f.runtime.startsWith('python')))) {
      const event = { name: 'Ada' };
      const fromSource = await invoke(fn.runtime, fn.codeDir, fn.handler, fn.layers.map((l) => l.contentDir), fn.environment, event);
      const fromZip = await invoke(fn.runtime, task.functions.get(fn.logicalId)!, fn.handler, fn.layers.map((l) => task.layers.get(l.logicalId)!), fn.environment, event);
      expect(fromZip, fn.logicalId).toEqual(fromSource);
      expect(fromZip.message, fn.logicalId).toBe('Hello, Ada!');
    }
  });

  test.skipIf(!hasPip)('the mixed fixture: bundle, node_modules, wheels and layer all load', async () => {
    const { out, model } = exported.get('test/fixtures/export/mixed')!;
    const task = await extractAll(out, model);
    const byId = new Map(model.functions.map((fn) => [fn.logicalId, fn]));
    const call = (id: string): Promise<Record<string, unknown>> => {
      const fn = byId.get(id)!;
      return invoke(fn.runtime, task.functions.get(id)!, fn.handler, fn.layers.map((l) => task.layers.get(l.logicalId)!), fn.environment, { name: 'Ada' });
    };
    expect(await call('Bundled')).toEqual({ message: 'Hello, Ada!' });
    expect(await call('WithDeps')).toEqual({ message: '     ADA' });
    expect(await call('Python')).toEqual({ message: 'Hello, Ada!' });
    const withDeps = readZip(await readFile(join(out, 'functions/WithDeps.zip'))).map((e) => e.path);
    expect(withDeps).toEqual(['index.js', 'node_modules/tiny-pad/index.js', 'node_modules/tiny-pad/package.json', 'package-lock.json', 'package.json']);
    const template = await readFile(join(out, 'template.yaml'), 'utf8');
    expect(template).toContain('          NODE_OPTIONS: --enable-source-maps\n'); // Sourcemap: true, as sam build sets it
    expect(template).not.toContain('BuildMethod');
  });
});

const RESULT = '@@result@@';

async function extractAll(out: string, model: ProjectModel): Promise<{ functions: Map<string, string>; layers: Map<string, string> }> {
  const functions = new Map<string, string>();
  const layers = new Map<string, string>();
  for (const fn of model.functions) {
    functions.set(fn.logicalId, join(out, '.lambdadesk/task', fn.logicalId));
    await extractZip(join(out, 'functions', `${fn.logicalId}.zip`), functions.get(fn.logicalId)!);
  }
  for (const layer of model.layers) {
    layers.set(layer.logicalId, join(out, '.lambdadesk/opt', layer.logicalId));
    await extractZip(join(out, 'layers', `${layer.logicalId}.zip`), layers.get(layer.logicalId)!);
  }
  return { functions, layers };
}

/**
 * Calls a handler the way Lambda's runtime finds it: from the task folder, with each layer's
 * `nodejs/node_modules` (or `python/`) on the module path. A source layer built by
 * BuildMethod keeps its modules at the top, so that folder is searched too.
 */
async function invoke(runtime: string, taskDir: string, handler: string, layerDirs: string[], env: Record<string, string>, event: unknown): Promise<Record<string, unknown>> {
  const dot = handler.lastIndexOf('.');
  const [module, exported] = [handler.slice(0, dot), handler.slice(dot + 1)];
  if (runtime.startsWith('nodejs')) {
    const script = `
      const RESULT = ${JSON.stringify(RESULT)};
      const path = require('node:path'), fs = require('node:fs');
      const base = path.join(process.argv[1], process.argv[2]);
      const file = ['.js', '.cjs', '.mjs'].map((ext) => base + ext).find((f) => fs.existsSync(f));
      import(require('node:url').pathToFileURL(file).href)
        .then((m) => (m[process.argv[3]] ?? m.default[process.argv[3]])(JSON.parse(process.argv[4]), { functionName: 'fn' }))
        .then((result) => process.stdout.write('\\n' + RESULT + JSON.stringify(result)));`;
    const nodePath = layerDirs.flatMap((dir) => [join(dir, 'nodejs/node_modules'), join(dir, 'node_modules')]).join(':');
    const { stdout } = await run(process.execPath, ['-e', script, taskDir, module, exported, JSON.stringify(event)], {
      env: { ...process.env, ...env, NODE_PATH: nodePath, NODE_OPTIONS: '' },
    });
    const result = resultOf(stdout);
    delete result.runtime; // the interpreter's version, the same for both runs
    return result;
  }
  const script = `
import importlib, json, sys
sys.path[:0] = [sys.argv[1]] + sys.argv[5:]
fn = getattr(importlib.import_module(sys.argv[2].replace('/', '.')), sys.argv[3])
result = fn(json.loads(sys.argv[4]), None)
result.pop('runtime', None)
print("\\n${RESULT}" + json.dumps(result))`;
  const { stdout } = await run('python3', ['-c', script, taskDir, module, exported, JSON.stringify(event), ...layerDirs.map((dir) => join(dir, 'python'))], {
    env: { ...process.env, ...env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  return resultOf(stdout);
}

/** Handlers log to stdout too; the result is the line after the marker. */
function resultOf(stdout: string): Record<string, unknown> {
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT));
  if (!line) throw new Error(`No result in: ${stdout}`);
  return JSON.parse(line.slice(RESULT.length)) as Record<string, unknown>;
}

let ajv: Ajv | undefined;

/** Each AWS::Serverless::* resource against its definition in the official schema, and Globals. */
function validateSam(template: Record<string, unknown>): string[] {
  // Documentation keywords (markdownDescription, __samPassThrough) are not draft-04: strict mode refuses them.
  ajv ??= new Ajv({ strict: false, allErrors: true }).addSchema(JSON.parse(readFileSync(schemaPath, 'utf8')) as object, 'sam');
  const failures: string[] = [];
  for (const [logicalId, resource] of Object.entries((template.Resources ?? {}) as Record<string, { Type?: string }>)) {
    if (!resource.Type?.startsWith('AWS::Serverless::')) continue;
    const kind = resource.Type.slice('AWS::Serverless::'.length).toLowerCase();
    const check = ajv.getSchema(`sam#/definitions/samtranslator__internal__schema_source__aws_serverless_${kind}__Resource`);
    if (!check) failures.push(`${logicalId}: the schema has no definition for ${resource.Type}`);
    else if (!check(resource)) failures.push(`${logicalId}: ${ajv.errorsText(check.errors)}`);
  }
  const globals = ajv.getSchema('sam#/definitions/__main____Globals');
  if (template.Globals !== undefined && globals && !globals(template.Globals)) failures.push(`Globals: ${ajv.errorsText(globals.errors)}`);
  return failures;
}
