import type { BuildRequest, BuiltPackage } from './build-types.ts';
import { noCleanup } from './build-types.ts';
import { collectFiles } from './collect-files.ts';
import { PackageBuildError } from './export-errors.ts';

/** A custom runtime (`provided.*`): the folder as it is, with an executable `bootstrap` unless a layer brings it. */
export async function buildCustomPackage(request: BuildRequest): Promise<BuiltPackage> {
  const files = await collectFiles(request.sourceDir, { skipAbsolute: request.skipAbsolute });
  const isFunction = request.target.kind === 'function';
  if (isFunction && !request.hasLayers && !files.some((file) => file.path === 'bootstrap')) {
    throw new PackageBuildError(
      request.target,
      `runtime ${request.runtime} starts the file \`bootstrap\` at the root of the package, and ${request.sourceDir} has none`,
      'Put an executable `bootstrap` in CodeUri, build it with `Metadata: BuildMethod: makefile`, or add a layer that provides one.',
    );
  }
  return { files, warnings: [], addedEnvironment: {}, cleanup: noCleanup };
}
