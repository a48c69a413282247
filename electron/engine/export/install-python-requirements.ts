import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Architecture } from '../contract.ts';
import { collectFiles } from './collect-files.ts';
import { PackageBuildError, type PackageTarget } from './export-errors.ts';
import type { PackageFile } from './package-file.ts';
import { runTool, tailOf } from './run-tool.ts';

/**
 * Vendors a Python function's requirements.txt the way Lambda needs them: wheels for Amazon
 * Linux and the function's architecture and Python version, unpacked at the package root. It is
 * offline by design: pip only ever looks in the wheel folder the user names.
 */

export interface VendoredRequirements {
  files: PackageFile[];
  /** Removes pip's working folder once the files have been zipped. */
  cleanup: () => Promise<void>;
}

export interface PythonSettings {
  /** A folder of .whl files (`--wheels`); without it, requirements cannot be had. */
  wheelsDir?: string;
  /** The interpreter that runs pip; default `python3` (`python` on Windows). */
  python?: string;
}

/** Requirement lines of requirements.txt: comments and blank lines dropped. Empty if there is none. */
export async function readRequirements(codeDir: string): Promise<string[]> {
  const text = await readFile(join(codeDir, 'requirements.txt'), 'utf8').catch(() => '');
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean);
}

export async function installPythonRequirements(request: {
  target: PackageTarget;
  codeDir: string;
  requirements: string[];
  runtime: string;
  architecture: Architecture;
  settings: PythonSettings;
}): Promise<VendoredRequirements> {
  const { target, codeDir, runtime, architecture, settings } = request;
  const version = /^python(\d+\.\d+)$/.exec(runtime)?.[1];
  if (!version) throw new PackageBuildError(target, `cannot tell the Python version of runtime ${runtime}`);
  const platforms = lambdaPlatforms(version, architecture);
  const names = request.requirements.filter((line) => !line.startsWith('-'));
  const needed = `requirements.txt lists ${names.length ? names.join(', ') : 'options that need an index'}`;
  const download = `pip download -r requirements.txt -d wheels --only-binary=:all: --python-version ${version} --implementation cp ${platforms.slice(0, 1).map((p) => `--platform ${p}`).join(' ')}`;
  if (!settings.wheelsDir) {
    throw new PackageBuildError(
      target,
      `${needed}, and the export is offline: there is nowhere to get them from.`,
      `Pass --wheels DIR with a wheel for each requirement (on a connected machine: \`${download}\`).`,
    );
  }
  if (!(await access(settings.wheelsDir).then(() => true, () => false))) {
    throw new PackageBuildError(target, `the wheel folder ${settings.wheelsDir} does not exist`, `Create it with \`${download}\`.`);
  }

  const python = settings.python ?? (process.platform === 'win32' ? 'python' : 'python3');
  const work = await mkdtemp(join(tmpdir(), 'lambdadesk-pip-'));
  const cleanup = (): Promise<void> => rm(work, { recursive: true, force: true });
  try {
    const args = [
      '-m', 'pip', 'install',
      '--no-index', '--find-links', settings.wheelsDir,
      '-r', join(codeDir, 'requirements.txt'),
      '--target', work,
      // Lambda runs Amazon Linux: ask for its wheels, whatever this machine is.
      '--only-binary=:all:', '--implementation', 'cp', '--python-version', version,
      ...platforms.flatMap((platform) => ['--platform', platform]),
      // .pyc files carry timestamps: the package would differ on every run.
      '--no-compile', '--disable-pip-version-check', '--no-input', '--quiet',
    ];
    const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PIP_CONFIG_FILE: process.platform === 'win32' ? 'NUL' : '/dev/null' };
    const result = await runTool(python, args, { cwd: codeDir, env });
    if (!result) {
      throw new PackageBuildError(target, `${needed}, and installing them needs Python with pip, but \`${python}\` was not found.`, 'Install Python 3 with pip, or set LAMBDADESK_PYTHON to its path.');
    }
    if (result.code !== 0) {
      const noPip = /No module named pip/.test(result.output);
      throw new PackageBuildError(
        target,
        noPip ? `\`${python}\` has no pip module to install ${needed.replace('requirements.txt lists ', '')}.` : `pip could not install requirements.txt from ${settings.wheelsDir}:\n${tailOf(result.output)}`,
        noPip ? 'Install pip for that Python (python3 -m ensurepip), or set LAMBDADESK_PYTHON.' : `Add the missing wheels to ${settings.wheelsDir} (for Python ${version} on ${platforms[0]}): \`${download}\`.`,
      );
    }
    const files = await collectFiles(work, {
      // Console scripts carry this machine's interpreter path; direct_url.json a local path.
      skip: (rel, isDir) => (isDir && rel === 'bin') || rel.endsWith('.dist-info/direct_url.json'),
    });
    return { files, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** Amazon Linux 2023 (Python 3.12+) has glibc 2.34; Amazon Linux 2 has 2.26. Newest first. */
export function lambdaPlatforms(version: string, architecture: Architecture): string[] {
  const arch = architecture === 'arm64' ? 'aarch64' : 'x86_64';
  const minor = Number(version.split('.')[1]);
  const glibc = minor >= 12 ? 34 : 26;
  const tags: string[] = [];
  for (let v = glibc; v >= 17; v--) tags.push(`manylinux_2_${v}_${arch}`);
  // pip widens manylinux2014 to manylinux2010 and manylinux1 by itself.
  tags.push(`manylinux2014_${arch}`);
  return tags;
}
