import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectFiles } from './collect-files.ts';
import { PackageBuildError, type PackageTarget } from './export-errors.ts';
import type { PackageFile } from './package-file.ts';
import { runTool, tailOf } from './run-tool.ts';

/**
 * `Metadata: BuildMethod: makefile`, as `sam build` runs it: `make build-<LogicalId>` with
 * ARTIFACTS_DIR naming an empty folder, whose contents become the package.
 */
export async function buildWithMakefile(target: PackageTarget, sourceDir: string): Promise<{ files: PackageFile[]; cleanup: () => Promise<void> }> {
  const makefile = join(sourceDir, 'Makefile');
  if (!(await access(makefile).then(() => true, () => false))) {
    throw new PackageBuildError(target, `BuildMethod makefile needs ${makefile}, which does not exist`, `Add a Makefile with a build-${target.logicalId} target that copies the package into $(ARTIFACTS_DIR).`);
  }
  const artifacts = await mkdtemp(join(tmpdir(), 'lambdadesk-make-'));
  const cleanup = (): Promise<void> => rm(artifacts, { recursive: true, force: true });
  try {
    const result = await runTool('make', ['-f', makefile, `build-${target.logicalId}`], {
      cwd: sourceDir,
      env: { ...process.env, ARTIFACTS_DIR: artifacts },
    });
    if (!result) throw new PackageBuildError(target, 'BuildMethod makefile needs `make`, which was not found', 'Install make (Debian: apt-get install make).');
    if (result.code !== 0) throw new PackageBuildError(target, `make build-${target.logicalId} failed:\n${tailOf(result.output)}`);
    return { files: await collectFiles(artifacts), cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
