import type { BuildRequest, BuiltPackage } from './build-types.ts';
import { noCleanup } from './build-types.ts';
import { collectFiles } from './collect-files.ts';
import { installPythonRequirements, readRequirements } from './install-python-requirements.ts';
import { mergeFiles } from './package-file.ts';

/** A Python package as `sam build` makes it: the code, with requirements.txt vendored beside it. */
export async function buildPythonPackage(request: BuildRequest): Promise<BuiltPackage> {
  const code = await collectFiles(request.sourceDir, {
    // A virtualenv holds this machine's interpreter and wheels, never Lambda's.
    skip: (rel, isDir) => isDir && (rel === '.venv' || rel === 'venv'),
    skipAbsolute: request.skipAbsolute,
  });
  const requirements = await readRequirements(request.sourceDir);
  if (requirements.length === 0) return { files: code, warnings: [], addedEnvironment: {}, cleanup: noCleanup };
  const vendored = await installPythonRequirements({
    target: request.target,
    codeDir: request.sourceDir,
    requirements,
    runtime: request.runtime,
    architecture: request.architecture,
    settings: request.python,
  });
  return { files: mergeFiles(vendored.files, code), warnings: [], addedEnvironment: {}, cleanup: vendored.cleanup };
}
