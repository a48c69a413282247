import { readFile, stat } from 'node:fs/promises';
import { buildCustomPackage } from './build-custom-package.ts';
import { buildNodePackage, nodeCodeWithDependencies } from './build-node-package.ts';
import { buildPythonPackage } from './build-python-package.ts';
import type { BuildRequest, BuiltPackage } from './build-types.ts';
import { noCleanup } from './build-types.ts';
import { buildWithMakefile } from './build-with-makefile.ts';
import { collectFiles } from './collect-files.ts';
import { fileInMemory, prefixFiles } from './package-file.ts';
import { readZip } from './zip-reader.ts';

/**
 * Picks the builder for one function or layer, as `sam build` would: by BuildMethod first, then
 * by runtime family. Layers without a BuildMethod are zipped as they are; with a runtime as
 * BuildMethod they are built into `nodejs/` or `python/`, where Lambda's runtimes look in /opt.
 */
export async function buildPackage(request: BuildRequest): Promise<BuiltPackage> {
  const source = await stat(request.sourceDir).catch(() => undefined);
  if (source?.isFile() && request.sourceDir.toLowerCase().endsWith('.zip')) return repackageZip(request.sourceDir);
  if (request.buildMethod === 'makefile') {
    const made = await buildWithMakefile(request.target, request.sourceDir);
    return { ...made, warnings: [], addedEnvironment: {} };
  }
  if (request.target.kind === 'layer') return buildLayer(request);

  const runtime = request.runtime;
  const built = runtime.startsWith('nodejs')
    ? await buildNodePackage(request)
    : runtime.startsWith('python')
      ? await buildPythonPackage(request)
      : runtime.startsWith('provided')
        ? await buildCustomPackage(request)
        : {
            files: await collectFiles(request.sourceDir, { skipAbsolute: request.skipAbsolute }),
            warnings: [`runtime ${runtime}: CodeUri was zipped as it is; LambdaDesk does not compile ${runtime} code.`],
            addedEnvironment: {},
            cleanup: noCleanup,
          };
  const missing = missingHandlerWarning(request, built.files.map((file) => file.path));
  return missing ? { ...built, warnings: [...built.warnings, missing] } : built;
}

async function buildLayer(request: BuildRequest): Promise<BuiltPackage> {
  const method = request.buildMethod ?? '';
  if (method.startsWith('nodejs')) {
    return { files: prefixFiles('nodejs', await nodeCodeWithDependencies(request)), warnings: [], addedEnvironment: {}, cleanup: noCleanup };
  }
  if (method.startsWith('python')) {
    const built = await buildPythonPackage({ ...request, runtime: method });
    return { ...built, files: prefixFiles('python', built.files) };
  }
  const warnings = method ? [`Metadata.BuildMethod ${method} is not one LambdaDesk builds; ContentUri was zipped as it is.`] : [];
  return { files: await collectFiles(request.sourceDir, { skipAbsolute: request.skipAbsolute }), warnings, addedEnvironment: {}, cleanup: noCleanup };
}

async function repackageZip(zipPath: string): Promise<BuiltPackage> {
  const entries = readZip(await readFile(zipPath)).filter((entry) => entry.kind === 'file');
  const files = entries.map((entry) => fileInMemory(entry.path, entry.data, (entry.mode & 0o111) !== 0));
  return { files, warnings: [], addedEnvironment: {}, cleanup: noCleanup };
}

/** Lambda would fail every invoke with Runtime.ImportModuleError; better to say so now. */
function missingHandlerWarning(request: BuildRequest, paths: string[]): string | undefined {
  const { handler, runtime } = request;
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const module = handler.slice(0, dot);
  const present = new Set(paths);
  let candidates: string[];
  if (runtime.startsWith('nodejs')) candidates = ['.js', '.mjs', '.cjs'].map((ext) => module + ext);
  else if (runtime.startsWith('python')) candidates = [`${module.replace(/\./g, '/')}.py`, `${module}.py`];
  else return undefined;
  if (candidates.some((candidate) => present.has(candidate))) return undefined;
  return `Handler ${handler}: the package has no ${candidates.join(' or ')}, so Lambda would fail with Runtime.ImportModuleError.`;
}
