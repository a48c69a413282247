import { execFile, execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { SandboxUnavailableError } from '../errors.ts';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface HostInterpreter {
  /** Real path of the interpreter binary on the host. */
  executable: string;
  /** Full version, e.g. `20.20.2` or `3.11.2`. */
  version: string;
}

export interface HostPython extends HostInterpreter {
  /** `sysconfig.get_path('stdlib')`, which holds `lib-dynload` on Debian-style layouts. */
  stdlib: string;
  platstdlib: string;
  /** Folder holding boto3 and its dependencies, when this interpreter can import boto3. */
  boto3Dir?: string;
  /** Folder holding debugpy, for `--debug-port`: this interpreter's, else Debian's pure-Python copy. */
  debugpyDir?: string;
  /** Top-level modules in debugpyDir that debugpy needs (itself, and pydevd where it is separate). */
  debugpyModules?: string[];
}

let nodeCache: HostInterpreter | undefined;

/**
 * The Node.js copied into images and used by process sandboxes: the one running LambdaDesk,
 * except inside the desktop app, where `process.execPath` is Electron itself and the `node` on
 * PATH is used instead.
 */
export function hostNode(): HostInterpreter {
  if (nodeCache) return nodeCache;
  if (!process.versions.electron) return (nodeCache = { executable: realpathSync(process.execPath), version: process.versions.node });
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'node');
    if (!existsSync(candidate)) continue;
    try {
      const version = execFileSync(candidate, ['-p', 'process.versions.node'], { timeout: 10_000, encoding: 'utf8' }).trim();
      return (nodeCache = { executable: realpathSync(candidate), version });
    } catch {
      // Not a working Node.js: keep looking.
    }
  }
  throw new SandboxUnavailableError(
    'Node.js functions need Node.js on this machine (the desktop app cannot lend its own), and none was found on PATH.',
    'Install Node.js 20 or 22 (https://nodejs.org or your package manager), or load AWS\'s image public.ecr.aws/lambda/nodejs into Docker.',
  );
}

const PYTHON_PROBE = [
  'import json, os, sys, sysconfig',
  'boto = None',
  'try:',
  '    import boto3',
  '    boto = os.path.dirname(os.path.dirname(boto3.__file__))',
  'except Exception:',
  '    pass',
  // debugpy (for --debug-port): this interpreter's, else Debian's pure-Python copy; Debian splits
  // pydevd into its own modules, so list every top-level module that debugpy's server loads.
  'dbg, dbgmods = None, []',
  "for extra in (None, '/usr/lib/python3/dist-packages'):",
  '    try:',
  '        if extra:',
  '            sys.path.append(extra)',
  '        import debugpy, debugpy.server',
  '        dbg = os.path.dirname(os.path.dirname(debugpy.__file__))',
  '        dbgmods = sorted({os.path.relpath(m.__file__, dbg).split(os.sep)[0] for m in list(sys.modules.values()) if (getattr(m, "__file__", None) or "").startswith(dbg + os.sep)})',
  '        break',
  '    except Exception:',
  '        pass',
  "print(json.dumps({'executable': os.path.realpath(sys.executable), 'version': '%d.%d.%d' % sys.version_info[:3],",
  "  'stdlib': sysconfig.get_path('stdlib'), 'platstdlib': sysconfig.get_path('platstdlib'), 'boto3Dir': boto, 'debugpyDir': dbg, 'debugpyModules': dbgmods}))",
].join('\n');

/**
 * Finds a host Python for `pythonX.Y`: the exact minor version if installed, else the closest
 * one that works (the caller warns about the mismatch). Interpreters that can import boto3 win
 * ties, since AWS's Python images ship it.
 */
export function hostPython(wantedMinor: string): Promise<HostPython | undefined> {
  // Probing spawns every candidate (and imports boto3): once per process is enough.
  let found = pythonCache.get(wantedMinor);
  if (!found) {
    found = probePython(wantedMinor);
    pythonCache.set(wantedMinor, found);
  }
  return found;
}

const pythonCache = new Map<string, Promise<HostPython | undefined>>();

async function probePython(wantedMinor: string): Promise<HostPython | undefined> {
  const candidates = [`python${wantedMinor}`, `/usr/bin/python${wantedMinor}`, '/usr/bin/python3', 'python3'];
  const found: HostPython[] = [];
  for (const candidate of candidates) {
    try {
      const { stdout } = await run(candidate, ['-c', PYTHON_PROBE], { timeout: 10_000 });
      const info = JSON.parse(stdout) as HostPython & { boto3Dir: string | null; debugpyDir: string | null };
      found.push({ ...info, boto3Dir: info.boto3Dir ?? undefined, debugpyDir: info.debugpyDir ?? undefined });
    } catch {
      // Not installed or broken: try the next candidate.
    }
  }
  // Exact minor version first; otherwise the newest Python there is. Within those, one that
  // ships boto3, then the newest patch release.
  const rank = (p: HostPython): number[] => [p.version.startsWith(`${wantedMinor}.`) ? 1 : 0, p.boto3Dir ? 1 : 0, ...p.version.split('.').map(Number)];
  const better = (a: HostPython, b: HostPython): number => {
    const [ra, rb] = [rank(a), rank(b)];
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return (rb[i] ?? 0) - (ra[i] ?? 0);
    return 0;
  };
  return found.sort(better)[0];
}

/** Shared libraries a binary needs, as absolute host paths (from `ldd`). */
export async function sharedLibraries(binaries: string[]): Promise<string[]> {
  const libs = new Set<string>();
  for (const binary of binaries) {
    const stdout = await run('ldd', [binary], { timeout: 10_000 }).then(
      (r) => r.stdout,
      () => '', // static binaries make ldd fail: nothing to add
    );
    for (const line of stdout.split('\n')) {
      const match = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
      if (match?.[1]) libs.add(match[1]);
    }
  }
  return [...libs].sort();
}
