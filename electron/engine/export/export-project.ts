import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { FunctionConfig, LayerConfig, ProjectModel } from '../contract.ts';
import { buildPackage } from './build-package.ts';
import type { BuiltPackage } from './build-types.ts';
import { parseTemplate, toCloudFormation } from './cfn-yaml.ts';
import { checkFunctionLimits, checkLayerLimits, checkZippedLimits, type MeasuredPackage } from './check-limits.ts';
import { describeTarget, ExportLimitError, OutputFolderError, PackageBuildError, type PackageTarget } from './export-errors.ts';
import { type PackageFile, zipModeOf } from './package-file.ts';
import { type BuildSettings, readBuildSettings } from './read-build-settings.ts';
import { rewriteTemplate } from './rewrite-template.ts';
import { assertReplaceable, isScratchSibling, writeOutputAtomically } from './write-output-atomically.ts';
import { writeZip, type ZipEntryInfo, type ZipInput } from './zip-writer.ts';

/**
 * `lambdadesk export`: one deterministic zip per function and per layer, plus OUT/template.yaml
 * pointing at them, ready for `sam deploy` or `aws cloudformation package`. Every limit AWS
 * enforces is checked before OUT is touched, and OUT changes only when the whole export worked.
 */

export interface ExportOptions {
  model: ProjectModel;
  /** The template as written; read from `model.templatePath` when left out. */
  templateText?: string;
  outDir: string;
  /** Wheels for Python requirements (`--wheels`); pip never goes online. */
  wheelsDir?: string;
  /** Interpreter that runs pip (default python3). */
  python?: string;
  onProgress?: (progress: ExportProgress) => void;
}

export interface ExportProgress {
  phase: 'build' | 'check' | 'zip' | 'write' | 'done';
  message: string;
  kind?: 'function' | 'layer';
  logicalId?: string;
  /** 1-based position of this package among `count`. */
  index?: number;
  count?: number;
  /** Uncompressed bytes zipped so far of this package, for big ones. */
  bytesDone?: number;
  bytesTotal?: number;
}

export interface ExportedPackage {
  kind: 'function' | 'layer';
  logicalId: string;
  /** Relative to OUT with forward slashes, exactly as written into the template. */
  zip: string;
  zippedBytes: number;
  unzippedBytes: number;
  files: number;
  sha256: string;
}

export interface ExportResult {
  outDir: string;
  templatePath: string;
  packages: ExportedPackage[];
  warnings: string[];
}

interface PendingPackage {
  target: PackageTarget;
  zip: string;
  built: BuiltPackage;
}

export async function exportProject(options: ExportOptions): Promise<ExportResult> {
  const { model } = options;
  const outDir = resolve(options.outDir);
  assertOutsideSources(outDir, model);
  await assertReplaceable(outDir);
  const templateText = options.templateText ?? (await readFile(model.templatePath, 'utf8'));
  const doc = parseTemplate(templateText);
  if (doc.errors.length > 0) throw doc.errors[0]!;
  const settings = readBuildSettings(toCloudFormation(doc));
  const progress = options.onProgress ?? (() => {});

  const context: BuildContext = { options, settings, progress, skipAbsolute: (absPath) => absPath === outDir || isScratchSibling(outDir, absPath) };
  const functions = model.functions.filter((fn) => !settings.get(fn.logicalId)?.noPackage);
  const pending: PendingPackage[] = [];
  try {
    await buildAll(uniqueLayers(model), functions, context, pending);

    progress({ phase: 'check', message: 'checking Lambda limits' });
    const addedEnvironment = Object.fromEntries(functions.map((fn) => [fn.logicalId, newVariables(fn, builtFor(pending, 'function', fn.logicalId))]));
    const problems = [
      ...checkFunctionLimits(
        functions.map((fn) => ({
          target: { kind: 'function', logicalId: fn.logicalId, location: fn.location },
          code: measure(builtFor(pending, 'function', fn.logicalId)),
          layers: fn.layers.map((layer) => measure(builtFor(pending, 'layer', layer.logicalId))).filter((m): m is MeasuredPackage => m !== undefined),
          layerCount: Math.max(fn.layers.length, settingOf(settings, fn.logicalId).layerCount),
          environment: { ...fn.environment, ...addedEnvironment[fn.logicalId] },
        })),
      ),
      ...checkLayerLimits(pending.filter((p) => p.target.kind === 'layer').map((p) => measure(p)!)),
    ];
    if (problems.length > 0) throw new ExportLimitError(problems);

    const zips = await zipAll(pending, progress);
    const tooBig = checkZippedLimits(zips.map((z) => ({ target: z.pending.target, zippedBytes: z.bytes.length, entries: z.entries })));
    if (tooBig.length > 0) throw new ExportLimitError(tooBig);

    const template = rewriteTemplate(templateText, {
      codeUris: Object.fromEntries(pending.filter((p) => p.target.kind === 'function').map((p) => [p.target.logicalId, p.zip])),
      contentUris: Object.fromEntries(pending.filter((p) => p.target.kind === 'layer').map((p) => [p.target.logicalId, p.zip])),
      addedEnvironment: Object.fromEntries(Object.entries(addedEnvironment).filter(([, vars]) => Object.keys(vars).length > 0)),
    });
    progress({ phase: 'write', message: `writing ${outDir}` });
    await writeOutputAtomically(outDir, async (dir) => {
      await mkdir(join(dir, 'functions'));
      await mkdir(join(dir, 'layers'));
      for (const zip of zips) await writeFile(join(dir, zip.pending.zip), zip.bytes);
      await writeFile(join(dir, 'template.yaml'), template);
    });

    const packages = zips.map(({ pending: p, bytes, entries }): ExportedPackage => ({
      kind: p.target.kind,
      logicalId: p.target.logicalId,
      zip: p.zip,
      zippedBytes: bytes.length,
      unzippedBytes: entries.reduce((sum, entry) => sum + entry.size, 0),
      files: entries.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    }));
    const warnings = [
      ...pending.flatMap((p) => p.built.warnings.map((warning) => `${describeTarget(p.target)}: ${warning}`)),
      ...notPackaged(settings, pending).map(
        (logicalId) => `Resources.${logicalId} was not packaged: the project leaves it out (is its Condition false?), so its CodeUri/ContentUri still names a source folder that OUT does not have.`,
      ),
    ];
    progress({ phase: 'done', message: `exported ${packages.length} packages to ${outDir}` });
    return { outDir, templatePath: join(outDir, 'template.yaml'), packages, warnings };
  } finally {
    await Promise.all(pending.map((p) => p.built.cleanup()));
  }
}

interface BuildContext {
  options: ExportOptions;
  settings: Map<string, BuildSettings>;
  progress: (progress: ExportProgress) => void;
  skipAbsolute: (absPath: string) => boolean;
}

/** Layers first, so a function's check can count them; each result lands in `pending` at once, to be cleaned up on failure. */
async function buildAll(layers: LayerConfig[], functions: FunctionConfig[], context: BuildContext, pending: PendingPackage[]): Promise<void> {
  const { options, settings, progress, skipAbsolute } = context;
  const count = layers.length + functions.length;
  const python = { wheelsDir: options.wheelsDir, python: options.python };
  for (const layer of layers) {
    const target: PackageTarget = { kind: 'layer', logicalId: layer.logicalId, location: layer.location };
    const setting = settingOf(settings, layer.logicalId);
    progress({ phase: 'build', kind: 'layer', logicalId: layer.logicalId, index: pending.length + 1, count, message: `building layer ${layer.logicalId}` });
    await assertSourceExists(target, layer.contentDir, 'ContentUri');
    const built = await buildPackage({
      target, sourceDir: layer.contentDir, runtime: '', handler: '', architecture: setting.architecture ?? 'x86_64',
      buildMethod: setting.buildMethod, buildProperties: setting.buildProperties, hasLayers: false, python, skipAbsolute,
    });
    pending.push({ target, zip: `layers/${layer.logicalId}.zip`, built });
  }
  for (const fn of functions) {
    const target: PackageTarget = { kind: 'function', logicalId: fn.logicalId, location: fn.location };
    const setting = settingOf(settings, fn.logicalId);
    const how = setting.buildMethod ? `${fn.runtime}, ${setting.buildMethod}` : fn.runtime;
    progress({ phase: 'build', kind: 'function', logicalId: fn.logicalId, index: pending.length + 1, count, message: `building function ${fn.logicalId} (${how})` });
    await assertSourceExists(target, fn.codeDir, 'CodeUri');
    const built = await buildPackage({
      target, sourceDir: fn.codeDir, runtime: fn.runtime, handler: fn.handler, architecture: fn.architecture,
      buildMethod: setting.buildMethod, buildProperties: setting.buildProperties,
      hasLayers: Math.max(fn.layers.length, setting.layerCount) > 0, python, skipAbsolute,
    });
    pending.push({ target, zip: `functions/${fn.logicalId}.zip`, built });
  }
}

/** Zips in memory: OUT is written only once every zip is known to fit. */
async function zipAll(pending: PendingPackage[], progress: (progress: ExportProgress) => void): Promise<{ pending: PendingPackage; bytes: Buffer; entries: ZipEntryInfo[] }[]> {
  const zips = [];
  for (const [i, p] of pending.entries()) {
    const bytesTotal = p.built.files.reduce((sum, file) => sum + file.size, 0);
    const base = { phase: 'zip' as const, kind: p.target.kind, logicalId: p.target.logicalId, index: i + 1, count: pending.length, bytesTotal };
    progress({ ...base, bytesDone: 0, message: `zipping ${p.target.kind} ${p.target.logicalId} into ${p.zip}` });
    const written = await writeZip(await readAll(p.built.files), {
      onProgress: (bytesDone) => progress({ ...base, bytesDone, message: `zipping ${p.target.kind} ${p.target.logicalId}` }),
    });
    zips.push({ pending: p, bytes: written.bytes, entries: written.entries });
  }
  return zips;
}

function builtFor(pending: PendingPackage[], kind: PackageTarget['kind'], logicalId: string): PendingPackage | undefined {
  return pending.find((p) => p.target.kind === kind && p.target.logicalId === logicalId);
}

function measure(p: PendingPackage | undefined): MeasuredPackage | undefined {
  return p && { target: p.target, files: p.built.files };
}

/** Reads a package's files a few at a time: a big node_modules would run out of file handles. */
async function readAll(files: PackageFile[]): Promise<ZipInput[]> {
  const inputs: ZipInput[] = [];
  for (let i = 0; i < files.length; i += 32) {
    inputs.push(
      ...(await Promise.all(
        files.slice(i, i + 32).map(async (file) => {
          const data = await file.read();
          return { path: file.path, data, mode: zipModeOf(file, data) };
        }),
      )),
    );
  }
  return inputs;
}

/** Functions and layers of the template that have code, yet no package: left out by the loader. */
function notPackaged(settings: Map<string, BuildSettings>, pending: PendingPackage[]): string[] {
  const packaged = new Set(pending.map((p) => p.target.logicalId));
  return [...settings].filter(([logicalId, setting]) => !setting.noPackage && !packaged.has(logicalId)).map(([logicalId]) => logicalId);
}

function settingOf(settings: Map<string, BuildSettings>, logicalId: string): BuildSettings {
  return settings.get(logicalId) ?? { buildProperties: {}, noPackage: false, layerCount: 0 };
}

/** Layers the project declares, and those its functions use, each built once. */
function uniqueLayers(model: ProjectModel): LayerConfig[] {
  const byId = new Map<string, LayerConfig>();
  for (const layer of [...model.layers, ...model.functions.flatMap((fn) => fn.layers)]) {
    if (!byId.has(layer.logicalId)) byId.set(layer.logicalId, layer);
  }
  return [...byId.values()].sort((a, b) => (a.logicalId < b.logicalId ? -1 : 1));
}

/** What a builder adds (NODE_OPTIONS), unless the author already set that variable. */
function newVariables(fn: FunctionConfig, p: PendingPackage | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(p?.built.addedEnvironment ?? {}).filter(([name]) => !(name in fn.environment)));
}

async function assertSourceExists(target: PackageTarget, path: string, property: string): Promise<void> {
  if (!(await stat(path).catch(() => undefined))) {
    throw new PackageBuildError(target, `${property} ${path} does not exist`, `Point ${property} at the folder that holds the code, relative to the template.`);
  }
}

/** Replacing OUT must never delete the project or its sources. */
function assertOutsideSources(outDir: string, model: ProjectModel): void {
  const sources = [model.dir, ...model.functions.map((fn) => fn.codeDir), ...model.layers.map((layer) => layer.contentDir)];
  for (const source of sources) {
    const rel = relative(outDir, resolve(source));
    if (rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel))) {
      throw new OutputFolderError(`--out ${outDir} contains ${source}; replacing it would delete the project`, 'Choose an output folder outside the project sources, e.g. `--out dist`.');
    }
  }
}
