import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { packageClosure } from '../../electron/engine/sandbox/node-package-closure.ts';
import { REPO_ROOT } from './support/engine-fixture.ts';

/**
 * `npm run dist` with electron-builder's Linux `dir` target and a stand-in Electron folder (the real
 * binary cannot be downloaded here): what lands in the package is what users install.
 */
const run = promisify(execFile);
interface BuilderConfig {
  electronVersion: string;
  asar: boolean;
  npmRebuild: boolean;
  nodeGypRebuild: boolean;
  executableName: string;
  electronFuses: Record<string, boolean>;
}
const CONFIG_FILE = join(REPO_ROOT, 'build/electron-builder.config.mjs');
const config = ((await import(pathToFileURL(CONFIG_FILE).href)) as { default: BuilderConfig }).default;

// @electron/fuses finds the fuse wire after this sentinel: a version byte, a length byte, then one
// ASCII '0' or '1' per fuse in FuseV1Options order.
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSE_ORDER = ['runAsNode', 'enableCookieEncryption', 'enableNodeOptionsEnvironmentVariable', 'enableNodeCliInspectArguments', 'enableEmbeddedAsarIntegrityValidation', 'onlyLoadAppFromAsar', 'loadBrowserProcessSpecificV8Snapshot', 'grantFileProtocolExtraPrivileges'];
const ELECTRON_DEFAULT_WIRE = '10110001'; // as Electron builds it: RunAsNode, NODE_OPTIONS, --inspect and file:// privileges on

let work: string;
let app: string; // linux-unpacked/resources/app
let unpacked: string;

/** An unpacked Electron as electron-builder expects one: the `electron` binary (here only its fuse wire), resources/, locales/. */
function standInElectron(dir: string): void {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  mkdirSync(join(dir, 'locales'));
  const binary = Buffer.concat([Buffer.from('\x7fELF stand-in for Electron\n'), Buffer.from(FUSE_SENTINEL), Buffer.from([1, ELECTRON_DEFAULT_WIRE.length]), Buffer.from(ELECTRON_DEFAULT_WIRE), Buffer.from('\n')]);
  writeFileSync(join(dir, 'electron'), binary, { mode: 0o755 });
  writeFileSync(join(dir, 'resources/default_app.asar'), 'Electron sample app');
  writeFileSync(join(dir, 'locales/en-US.pak'), '');
  writeFileSync(join(dir, 'LICENSE'), 'MIT');
  writeFileSync(join(dir, 'version'), config.electronVersion);
}

function fuseWire(binary: string): string {
  const bytes = readFileSync(binary);
  const at = bytes.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
  expect(at).toBeGreaterThanOrEqual(FUSE_SENTINEL.length);
  expect(bytes[at]).toBe(1);
  return bytes.subarray(at + 2, at + 2 + bytes[at + 1]!).toString('latin1');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** Every package name in these paths, nested ones included: `node_modules/@scope/name/…` → `@scope/name`. */
function packagesIn(files: string[]): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    const parts = file.split('/');
    parts.forEach((part, i) => {
      const next = parts[i + 1];
      if (part === 'node_modules' && next) names.add(next.startsWith('@') ? `${next}/${parts[i + 2]}` : next);
    });
  }
  return names;
}

const isRuntimeFile = (rel: string) => !/(^|\/)(README\.md|__pycache__|node_modules)(\/|$)|\.pyc$/.test(rel);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lambdadesk-packaging-'));
  standInElectron(join(work, 'electron'));
  mkdirSync(join(work, 'tmp'));
  const args = ['scripts/dist.mjs', '--stage', join(work, 'stage'), '--linux', 'dir', `-c.electronDist=${join(work, 'electron')}`, `-c.directories.output=${join(work, 'out')}`];
  try {
    // electron-builder's temporary files (and its config loader's cache) go to TMPDIR: keep them in `work`.
    // electron-builder goes quiet under VITEST, and its log is what explains a failure; CI=true skips its update check.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
    await run(process.execPath, args, { cwd: REPO_ROOT, env: { ...env, TMPDIR: join(work, 'tmp'), CI: 'true' }, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`npm run dist failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`, { cause: err });
  }
  unpacked = join(work, 'out/linux-unpacked');
  app = join(unpacked, 'resources/app');
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the runtime recipes ship as plain files, byte for byte and with their modes', () => {
  const runtimes = join(REPO_ROOT, 'runtimes');
  const expected = filesUnder(runtimes).filter(isRuntimeFile);
  expect(expected).toContain('nodejs/bootstrap');
  expect(expected).toContain('nodejs/image.json');
  expect(expected).toContain('python/bootstrap');
  expect(filesUnder(join(app, 'runtimes'))).toEqual(expected);
  for (const rel of expected) {
    const [source, shipped] = [join(runtimes, rel), join(app, 'runtimes', rel)];
    expect(readFileSync(shipped).equals(readFileSync(source)), rel).toBe(true);
    expect(statSync(shipped).mode & 0o111, `${rel} keeps its executable bits`).toBe(statSync(source).mode & 0o111);
  }
});

test('the built renderer is inside, with every script and stylesheet its page loads', () => {
  const html = readFileSync(join(app, 'dist/renderer/index.html'), 'utf8');
  const assets = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]!);
  expect(html).toMatch(/<script type="module"[^>]+src="\.\/assets\/[^"]+\.js"/);
  expect(assets.length).toBeGreaterThan(0);
  for (const asset of assets) expect(statSync(join(app, 'dist/renderer', asset)).size, asset).toBeGreaterThan(0);
});

test('main and preload are bundles where the shell and the engine look for them', async () => {
  const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { main: string; devDependencies?: unknown; scripts?: unknown };
  const main = join(app, pkg.main);
  expect(existsSync(main)).toBe(true);
  // The engine's APP_ROOT is two folders above its bundle: runtimes/ and node_modules/ must be there.
  expect(resolve(dirname(main), '../..')).toBe(app);
  expect(existsSync(join(dirname(main), 'preload.cjs'))).toBe(true);
  expect(pkg.devDependencies).toBeUndefined();
  expect(pkg.scripts).toBeUndefined();

  // A sandboxed preload can require nothing but 'electron'.
  const preload = readFileSync(join(dirname(main), 'preload.cjs'), 'utf8');
  expect([...new Set([...preload.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]))]).toEqual(['electron']);

  // Whatever main imports at run time is Electron, Node's own, or shipped in node_modules.
  const imported = [...readFileSync(main, 'utf8').matchAll(/^import\s[^;]*?from\s*"([^"]+)"/gm)].map((m) => m[1]!);
  expect(imported).toContain('electron');
  await run(process.execPath, ['--check', main]);
  const shipped = [...new Set(imported)].filter((name) => name !== 'electron' && !isBuiltin(name));
  expect(shipped).toEqual(['dockerode']);
  // …and loads from the app's node_modules without the native addons left out (ssh2 falls back to JavaScript).
  await run(process.execPath, ['--input-type=module', '-e', `${shipped.map((name) => `await import(${JSON.stringify(name)});`).join('')}`], { cwd: app });
});

test('the AWS SDK given to functions is in node_modules with everything it depends on', async () => {
  const { sdkPackages } = JSON.parse(readFileSync(join(REPO_ROOT, 'runtimes/nodejs/image.json'), 'utf8')) as { sdkPackages: string[] };
  expect(sdkPackages).toContain('@aws-sdk/client-s3');
  for (const name of sdkPackages) expect(existsSync(join(app, 'node_modules', name, 'package.json')), name).toBe(true);
  // What the engine copies into a runtime image: the closure found in the app's own node_modules,
  // under /var/runtime/node_modules. Every SDK package must load from that copy alone.
  const image = join(work, 'image');
  for (const rel of packageClosure(app, sdkPackages)) cpSync(join(app, 'node_modules', rel), join(image, 'node_modules', rel), { recursive: true });
  await run(process.execPath, ['-e', `for (const name of ${JSON.stringify(sdkPackages)}) require(name);`], { cwd: image });
});

test('tests, sources, fixtures, examples, state and dev dependencies are left out, and nothing native', () => {
  const files = filesUnder(unpacked);
  const appFiles = filesUnder(app);
  expect(files.filter((f) => /\.test\.[cm]?[jt]s$|\.test-d\.ts$/.test(f))).toEqual([]);
  expect(files.filter((f) => /\.[cm]?ts$/.test(f))).toEqual([]);
  expect(files.filter((f) => f.endsWith('.node'))).toEqual([]);
  expect(appFiles.filter((f) => /^(test|electron|renderer|examples|scripts|build|shared|bin)\//.test(f))).toEqual([]);
  expect(files.filter((f) => /(^|\/)(\.lambdadesk|fixtures|\.git)\//.test(f))).toEqual([]);
  expect(appFiles.filter((f) => !/^(package\.json$|dist\/(electron|renderer)\/|runtimes\/|node_modules\/)/.test(f))).toEqual([]);

  const { devDependencies } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  expect(Object.keys(devDependencies)).toContain('aws-lambda-ric');
  const shipped = packagesIn(appFiles);
  expect(shipped.has('dockerode')).toBe(true);
  expect(Object.keys(devDependencies).filter((name) => shipped.has(name))).toEqual([]);
  expect(shipped.has('cpu-features')).toBe(false);
});

test('the packaged binary carries the configured fuses; Electron\'s sample app is gone', () => {
  const binary = join(unpacked, config.executableName);
  expect(statSync(binary).mode & 0o111).not.toBe(0);
  const wire = fuseWire(binary);
  expect(wire).not.toBe(ELECTRON_DEFAULT_WIRE);
  expect(wire).toBe(FUSE_ORDER.map((name) => (config.electronFuses[name] ? '1' : '0')).join(''));
  expect(existsSync(join(unpacked, 'resources/default_app.asar'))).toBe(false);
});

test('the fuse configuration: no Node.js through Electron, and asar fuses only with an asar', () => {
  const { resetAdHocDarwinSignature, ...fuses } = config.electronFuses;
  expect(Object.keys(fuses).sort()).toEqual([...FUSE_ORDER].sort()); // every fuse decided, none inherited from Electron
  expect(resetAdHocDarwinSignature).toBe(true);
  expect(fuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, enableCookieEncryption: true });
  // Without app.asar, OnlyLoadAppFromAsar would stop the app from starting at all.
  if (config.asar === false) expect(fuses).toMatchObject({ onlyLoadAppFromAsar: false, enableEmbeddedAsarIntegrityValidation: false });
  // The renderer is Vite's ES modules loaded from file://.
  expect(fuses.grantFileProtocolExtraPrivileges).toBe(true);
  expect(config.npmRebuild).toBe(false);
  expect(config.nodeGypRebuild).toBe(false);
});
