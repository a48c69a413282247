import { join } from 'node:path';
import { bundleWithEsbuild } from './bundle-esbuild.ts';
import type { BuildRequest, BuiltPackage } from './build-types.ts';
import { noCleanup } from './build-types.ts';
import { collectFiles } from './collect-files.ts';
import { PackageBuildError } from './export-errors.ts';
import { findProductionDependencies } from './node-production-deps.ts';
import { mergeFiles, type PackageFile } from './package-file.ts';

/**
 * A Node.js package as `sam build` makes it: bundled by esbuild when the template asks, else the
 * code with its production node_modules (dev dependencies left out, `.bin` links too).
 */
export async function buildNodePackage(request: BuildRequest): Promise<BuiltPackage> {
  if (request.buildMethod === 'esbuild') {
    const bundle = await bundleWithEsbuild({
      target: request.target,
      codeDir: request.sourceDir,
      handler: request.handler,
      buildProperties: request.buildProperties,
    });
    return {
      files: bundle.files,
      warnings: bundle.warnings,
      addedEnvironment: bundle.sourcemap ? { NODE_OPTIONS: '--enable-source-maps' } : {},
      cleanup: noCleanup,
    };
  }
  return { files: await nodeCodeWithDependencies(request), warnings: [], addedEnvironment: {}, cleanup: noCleanup };
}

export async function nodeCodeWithDependencies(request: BuildRequest): Promise<PackageFile[]> {
  const { sourceDir, target } = request;
  const code = await collectFiles(sourceDir, {
    skip: (rel) => rel === 'node_modules',
    skipAbsolute: request.skipAbsolute,
  });
  const deps = await findProductionDependencies(sourceDir);
  if (deps.missing.length > 0) {
    throw new PackageBuildError(
      target,
      `${deps.missing.length} production ${deps.missing.length === 1 ? 'dependency is' : 'dependencies are'} not installed in ${join(sourceDir, 'node_modules')}: ${deps.missing.slice(0, 10).join(', ')}${deps.missing.length > 10 ? ', …' : ''}`,
      `Run \`npm install\` (or \`npm ci\`) in ${sourceDir}; the export packages what is installed and never downloads.`,
    );
  }
  const packages = await Promise.all(
    deps.dirs.map(async (dir) => {
      // Nested node_modules are listed on their own, so dev-only ones stay out.
      const files = await collectFiles(join(sourceDir, dir), { skip: (rel, isDir) => isDir && rel === 'node_modules' });
      return files.map((file) => ({ ...file, path: `${dir}/${file.path}` }));
    }),
  );
  return mergeFiles(...packages, code);
}
