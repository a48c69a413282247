#!/usr/bin/env node
// Stages the desktop app for electron-builder: `node scripts/build-app.mjs [--stage DIR]` (default out/stage).
//
// The stage holds exactly what ships, so nothing else of the checkout (tests, fixtures, sources,
// examples, dev dependencies) can slip into a package:
//   package.json            main → dist/electron/main.mjs, dependencies = the node packages below
//   dist/electron/main.mjs  main process and engine, one ES module bundle
//   dist/electron/preload.cjs  one CommonJS bundle, so it runs in a sandboxed renderer
//   dist/renderer/          the Vue renderer (Vite)
//   runtimes/               runtime clients and image recipes, plain files for Docker and host interpreters
//   node_modules/           the AWS SDK given to functions, and dockerode (not bundled, see SHIPPED_PACKAGES)
// The engine finds runtimes/ and node_modules/ two folders above the main bundle (APP_ROOT), so the
// layout keeps main.mjs at dist/electron/.
import { build as esbuild } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { tsImport } from 'tsx/esm/api';
import { build as viteBuild } from 'vite';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Packages loaded from node_modules at run time instead of being bundled. dockerode reads its
 * BuildKit .proto files beside its own sources and its ssh2 uses __dirname, neither of which
 * survives bundling into an ES module.
 */
const SHIPPED_PACKAGES = ['dockerode'];

/**
 * Left out of node_modules: optional native addons (ssh2 falls back to JavaScript without them, and
 * a .node file would need a rebuild for Electron's ABI), their build-time helpers, and type-only packages.
 */
const LEFT_OUT_PACKAGES = new Set(['cpu-features', 'nan', 'buildcheck', 'undici-types']);
const isLeftOutPackage = (name) => LEFT_OUT_PACKAGES.has(name) || name.startsWith('@types/');

/** Compiled addons and their sources and build files, TypeScript sources and types, source maps: nothing the app runs. */
const LEFT_OUT_FILE = /\.(node|cc|cpp|h|hpp|c|gyp|gypi|mk|o|a|obj|pdb|ts|mts|cts|map)$/;
const LEFT_OUT_DIR = new Set(['.bin', 'dist-types', 'obj.target', '.deps', '.github']);

/** Syntax levels no newer than the Node.js and Chromium inside Electron 41. */
const TARGETS = { main: 'node22', preload: 'chrome130' };

export async function buildApp({ stageDir = join(ROOT, 'out/stage'), log = (line) => console.log(line) } = {}) {
  const stage = resolve(stageDir);
  prepareStage(stage);
  const rootPackage = readJson(join(ROOT, 'package.json'));

  log(`staging the app in ${stage}`);
  await bundleShell(stage);
  log('building the renderer');
  await viteBuild({
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: {
      outDir: join(stage, 'dist/renderer'),
      emptyOutDir: true,
      sourcemap: false,
      // Slow plugins on a busy machine are no news to someone packaging.
      rolldownOptions: { checks: { bundlerTimings: false } },
    },
  });
  log('copying runtimes/');
  copyRuntimes(stage);
  const sdkPackages = readJson(join(ROOT, 'runtimes/nodejs/image.json')).sdkPackages ?? [];
  const topLevel = [...sdkPackages, ...SHIPPED_PACKAGES];
  const copied = await copyNodePackages(stage, topLevel);
  log(`copied ${copied.length} node packages (${topLevel.join(', ')} and their dependencies)`);

  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(stagePackageJson(rootPackage, topLevel), null, 2)}\n`);
  return { stageDir: stage, nodePackages: copied };
}

/** Refuses to empty a folder that is not a stage: a typo must not wipe the checkout. */
function prepareStage(stage) {
  if (stage === ROOT || ROOT.startsWith(stage + sep) || existsSync(join(stage, '.git'))) {
    throw new Error(`${stage} holds the checkout; choose a stage folder of its own, e.g. out/stage.`);
  }
  if (existsSync(stage) && readdirSync(stage).length > 0) {
    const pkg = existsSync(join(stage, 'package.json')) ? readJson(join(stage, 'package.json')) : undefined;
    if (pkg?.main !== 'dist/electron/main.mjs' || pkg.devDependencies) {
      throw new Error(`${stage} is not empty and is not an earlier stage; remove it or pass another --stage folder.`);
    }
    rmSync(stage, { recursive: true, force: true });
  }
  mkdirSync(stage, { recursive: true });
}

/** Writes APP_DIR/dist/electron/main.mjs and preload.cjs; also usable for the checkout itself (`bundleShell(ROOT)`). */
export async function bundleShell(appDir) {
  const common = { bundle: true, logLevel: 'warning', legalComments: 'none', sourcemap: false, absWorkingDir: ROOT };
  await esbuild({
    ...common,
    entryPoints: [join(ROOT, 'electron/main/index.ts')],
    outfile: join(appDir, 'dist/electron/main.mjs'),
    platform: 'node',
    format: 'esm',
    target: TARGETS.main,
    external: ['electron', ...SHIPPED_PACKAGES],
    // CommonJS dependencies inside an ES module bundle still call require() for Node's built-ins.
    banner: { js: "import { createRequire as __lambdadeskCreateRequire } from 'node:module';\nconst require = __lambdadeskCreateRequire(import.meta.url);" },
  });
  await esbuild({
    ...common,
    entryPoints: [join(ROOT, 'electron/preload/index.ts')],
    outfile: join(appDir, 'dist/electron/preload.cjs'),
    // A sandboxed preload may require only 'electron': everything else is bundled in.
    platform: 'browser',
    format: 'cjs',
    target: TARGETS.preload,
    external: ['electron'],
  });
}

function copyRuntimes(stage) {
  cpSync(join(ROOT, 'runtimes'), join(stage, 'runtimes'), {
    recursive: true,
    // READMEs are for this repository's readers; caches and node_modules are the host's.
    filter: (src) => !/^(README\.md|__pycache__|node_modules|\.DS_Store)$/.test(basename(src)) && !src.endsWith('.pyc'),
  });
}

async function copyNodePackages(stage, names) {
  const { packageClosure } = await tsImport('../electron/engine/sandbox/node-package-closure.ts', import.meta.url);
  const packages = packageClosure(ROOT, names).filter((rel) => !isLeftOutPackage(packageName(rel)));
  for (const rel of packages) {
    const from = join(ROOT, 'node_modules', rel);
    cpSync(from, join(stage, 'node_modules', rel), {
      recursive: true,
      filter: (src) => {
        const name = basename(src);
        if (LEFT_OUT_DIR.has(name) || LEFT_OUT_FILE.test(name)) return false;
        // A nested node_modules folder may hold a left-out package too.
        const inner = relative(from, src).split(`node_modules${sep}`);
        return inner.length === 1 || !isLeftOutPackage(packageName(inner.at(-1) ?? ''));
      },
    });
  }
  return packages;
}

/** `@scope/name/x/y` → `@scope/name`; `name/x` → `name`. */
function packageName(rel) {
  const parts = rel.split(sep);
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? '');
}

function stagePackageJson(root, topLevel) {
  const dependencies = Object.fromEntries(
    topLevel.map((name) => {
      const version = root.dependencies?.[name];
      if (!version) throw new Error(`package.json: ${name} is shipped with the app but is not in "dependencies"; add it with npm install --save-exact ${name}.`);
      return [name, version];
    }),
  );
  const { name, version, description, license, homepage, repository } = root;
  // Installers name a publisher (NSIS, deb) from the author.
  const author = root.author ?? 'LambdaDesk contributors';
  return { name, productName: 'LambdaDesk', version, description, license, author, homepage, repository, main: 'dist/electron/main.mjs', type: 'module', dependencies };
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { stage: { type: 'string' } } });
  try {
    await buildApp({ stageDir: values.stage ? resolve(values.stage) : undefined });
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  }
}
