import { access } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { BuildFailure, BuildOptions, Loader, Message } from 'esbuild';
import { PackageBuildError, type PackageTarget } from './export-errors.ts';
import { fileInMemory, type PackageFile } from './package-file.ts';

/**
 * Bundles a Node.js function the way `sam build` does for `Metadata: BuildMethod: esbuild`: the
 * same defaults (bundle, platform node, target es2020, format cjs, minify) and the same
 * `BuildProperties`, so the zip holds only the bundle, never node_modules.
 */

export interface EsbuildBundle {
  files: PackageFile[];
  /** `Sourcemap: true`: SAM then sets NODE_OPTIONS=--enable-source-maps on the function. */
  sourcemap: boolean;
  warnings: string[];
}

/** Written nowhere (write: false); inside the code folder so source maps name `../app.ts`, not a temp path. */
const VIRTUAL_OUT_DIR = '.lambdadesk-esbuild-out';
const ENTRY_EXTENSIONS = ['.ts', '.js', '.mts', '.mjs', '.cts', '.cjs', '.tsx', '.jsx'];
const KNOWN_PROPERTIES = new Set([
  'EntryPoints', 'Minify', 'Sourcemap', 'Target', 'Format', 'MainFields', 'SourcesContent', 'Tsconfig',
  'External', 'Loader', 'OutExtension', 'Banner', 'Footer', 'Define', 'UseNpmCi', 'KeepNames',
]);

export async function bundleWithEsbuild(request: {
  target: PackageTarget;
  codeDir: string;
  handler: string;
  buildProperties: Record<string, unknown>;
}): Promise<EsbuildBundle> {
  const { target, codeDir, handler } = request;
  const props = request.buildProperties;
  const fail = (problem: string, fix?: string): never => {
    throw new PackageBuildError(target, problem, fix);
  };
  const warnings = Object.keys(props)
    .filter((key) => !KNOWN_PROPERTIES.has(key))
    .map((key) => `Metadata.BuildProperties.${key} is not an esbuild property SAM knows; it was ignored.`);

  const explicitEntries = props.EntryPoints !== undefined;
  const entryPoints = explicitEntries
    ? await resolveEntryPoints(codeDir, stringList(props.EntryPoints, 'EntryPoints', fail), fail)
    : [await entryFromHandler(codeDir, handler, fail)];
  const sourcemap = flag(props.Sourcemap, 'Sourcemap', fail) ?? false;
  const external = stringList(props.External ?? [], 'External', fail);
  const options: BuildOptions = {
    absWorkingDir: codeDir,
    entryPoints,
    bundle: true,
    platform: 'node',
    outdir: join(codeDir, VIRTUAL_OUT_DIR),
    // Inferred from the handler, the bundle keeps the handler's folder so `Handler` still points at it.
    ...(explicitEntries ? {} : { outbase: codeDir }),
    write: false,
    logLevel: 'silent',
    target: props.Target === undefined ? 'es2020' : String(props.Target).split(',').map((t) => t.trim()),
    format: props.Format === undefined ? 'cjs' : oneOf(String(props.Format), ['cjs', 'esm', 'iife'] as const, 'Format', fail),
    minify: flag(props.Minify, 'Minify', fail) ?? true,
    sourcemap,
    keepNames: flag(props.KeepNames, 'KeepNames', fail),
    sourcesContent: flag(props.SourcesContent, 'SourcesContent', fail),
    tsconfig: props.Tsconfig === undefined ? undefined : String(props.Tsconfig),
    mainFields: props.MainFields === undefined ? undefined : String(props.MainFields).split(',').map((f) => f.trim()),
    // SAM's switch for "dependencies come from a layer": every package.json dependency stays external.
    ...(external.includes('./node_modules/*') ? { packages: 'external' as const } : {}),
    external: external.filter((e) => e !== './node_modules/*'),
    loader: pairs(props.Loader, 'Loader', fail) as Record<string, Loader> | undefined,
    outExtension: pairs(props.OutExtension, 'OutExtension', fail),
    banner: pairs(props.Banner, 'Banner', fail),
    footer: pairs(props.Footer, 'Footer', fail),
    define: pairs(props.Define, 'Define', fail),
  };

  const esbuild = await import('esbuild');
  let result;
  try {
    result = await esbuild.build(options);
  } catch (err) {
    const errors = (err as Partial<BuildFailure>).errors;
    if (!errors) throw err;
    return fail(`esbuild could not bundle ${entryPoints.join(', ')}:\n${errors.slice(0, 10).map((m) => `  ${formatMessage(m)}`).join('\n')}`);
  }
  const outDir = join(codeDir, VIRTUAL_OUT_DIR);
  const files = (result.outputFiles ?? [])
    .map((out) => fileInMemory(relative(outDir, out.path).split('\\').join('/'), out.contents))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  warnings.push(...result.warnings.slice(0, 5).map((m) => `esbuild: ${formatMessage(m)}`));
  return { files, sourcemap, warnings };
}

async function resolveEntryPoints(codeDir: string, entries: string[], fail: (problem: string, fix?: string) => never): Promise<string[]> {
  if (entries.length === 0) fail('Metadata.BuildProperties.EntryPoints is empty', 'List the file that exports the handler, e.g. `EntryPoints: [app.ts]`.');
  const resolved: string[] = [];
  for (const entry of entries) {
    // As SAM: a name without an extension may mean .ts or .js.
    const candidates = /\.[cm]?[jt]sx?$/.test(entry) ? [entry] : [entry, ...ENTRY_EXTENSIONS.map((ext) => entry + ext)];
    const found = await firstExisting(codeDir, candidates);
    if (!found) fail(`entry point ${entry} does not exist in ${codeDir}`, 'EntryPoints are relative to CodeUri.');
    resolved.push(found!);
  }
  return resolved;
}

async function entryFromHandler(codeDir: string, handler: string, fail: (problem: string, fix?: string) => never): Promise<string> {
  const module = handler.slice(0, handler.lastIndexOf('.'));
  const found = module ? await firstExisting(codeDir, ENTRY_EXTENSIONS.map((ext) => module + ext)) : undefined;
  return (
    found ??
    fail(
      `Handler ${handler} names no source file (looked for ${module || handler}${ENTRY_EXTENSIONS.join('|')}) and Metadata.BuildProperties.EntryPoints is not set`,
      'Add `EntryPoints: [app.ts]` under Metadata.BuildProperties, as SAM requires.',
    )
  );
}

async function firstExisting(dir: string, candidates: string[]): Promise<string | undefined> {
  for (const candidate of candidates) {
    if (await access(join(dir, candidate)).then(() => true, () => false)) return candidate;
  }
  return undefined;
}

function flag(value: unknown, name: string, fail: (problem: string) => never): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return fail(`Metadata.BuildProperties.${name} must be true or false, not ${JSON.stringify(value)}`);
}

function stringList(value: unknown, name: string, fail: (problem: string) => never): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return fail(`Metadata.BuildProperties.${name} must be a list of strings`);
}

/** SAM writes esbuild's `--loader:.png=file` style flags as `['.png=file']`; a map is accepted too. */
function pairs(value: unknown, name: string, fail: (problem: string) => never): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
  }
  const out: Record<string, string> = {};
  for (const item of stringList(value, name, fail)) {
    const at = item.indexOf('=');
    if (at <= 0) fail(`Metadata.BuildProperties.${name} entries look like KEY=VALUE, not ${JSON.stringify(item)}`);
    out[item.slice(0, at)] = item.slice(at + 1);
  }
  return out;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], name: string, fail: (problem: string) => never): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : fail(`Metadata.BuildProperties.${name} must be one of ${allowed.join(', ')}, not ${value}`);
}

function formatMessage(message: Message): string {
  const at = message.location ? `${message.location.file}:${message.location.line}:${message.location.column} ` : '';
  return `${at}${message.text}`;
}

