import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Finds the installed packages a Node.js function needs at run time: what `npm install
 * --omit=dev` would leave in node_modules. The export is offline, so it reads what is installed
 * and says what is missing instead of downloading it.
 */

export interface ProductionDependencies {
  /** Package folders relative to the code folder, e.g. `node_modules/a/node_modules/b`, sorted. */
  dirs: string[];
  /** Production dependencies that should be installed but are not (optional ones excepted). */
  missing: string[];
}

interface LockEntry {
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  link?: boolean;
}

interface Manifest {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export async function findProductionDependencies(codeDir: string): Promise<ProductionDependencies> {
  const manifest = await readJson<Manifest>(join(codeDir, 'package.json'));
  if (!manifest) return { dirs: [], missing: [] };
  const lock = await readJson<{ lockfileVersion?: number; packages?: Record<string, LockEntry> }>(join(codeDir, 'package-lock.json'));
  // npm 7+ lockfiles list every installed folder with its dev flag; older ones only a tree.
  if (lock?.packages && (lock.lockfileVersion ?? 1) >= 2) return fromLockfile(codeDir, lock.packages);
  return fromManifests(codeDir, manifest);
}

async function fromLockfile(codeDir: string, packages: Record<string, LockEntry>): Promise<ProductionDependencies> {
  const dirs: string[] = [];
  const missing: string[] = [];
  for (const [key, entry] of Object.entries(packages)) {
    // "" is the project itself; other keys outside node_modules are workspace sources.
    if (!key.startsWith('node_modules/') || entry.dev) continue;
    if (await isDirectory(join(codeDir, key))) dirs.push(key);
    else if (!entry.optional && !entry.devOptional) missing.push(packageNameOf(key));
  }
  return { dirs: dirs.sort(), missing: [...new Set(missing)].sort() };
}

async function fromManifests(codeDir: string, root: Manifest): Promise<ProductionDependencies> {
  const dirs = new Set<string>();
  const missing = new Set<string>();
  const visit = async (fromRel: string, manifest: Manifest): Promise<void> => {
    for (const [name, optional] of runtimeDependencies(manifest)) {
      const found = await resolvePackage(codeDir, fromRel, name);
      if (!found) {
        if (!optional) missing.add(name);
        continue;
      }
      if (dirs.has(found)) continue;
      dirs.add(found);
      await visit(found, (await readJson<Manifest>(join(codeDir, found, 'package.json'))) ?? {});
    }
  };
  await visit('', root);
  return { dirs: [...dirs].sort(), missing: [...missing].sort() };
}

function runtimeDependencies(manifest: Manifest): [string, boolean][] {
  const optional = new Set(Object.keys(manifest.optionalDependencies ?? {}));
  const peerOptional = new Set(Object.entries(manifest.peerDependenciesMeta ?? {}).filter(([, meta]) => meta.optional).map(([name]) => name));
  const all = new Map<string, boolean>();
  for (const name of Object.keys(manifest.dependencies ?? {})) all.set(name, optional.has(name));
  for (const name of optional) all.set(name, true);
  // npm 7+ installs peers too; a missing one is the user's to fix only if it is not optional.
  for (const name of Object.keys(manifest.peerDependencies ?? {})) if (!all.has(name)) all.set(name, peerOptional.has(name));
  return [...all.entries()];
}

/** Node's lookup: node_modules of the requiring package, then of each package enclosing it, up to the code folder. */
async function resolvePackage(codeDir: string, fromRel: string, name: string): Promise<string | undefined> {
  for (let dir: string | undefined = fromRel; dir !== undefined; dir = enclosingPackage(dir)) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (await isDirectory(join(codeDir, candidate))) return candidate;
  }
  return undefined;
}

/** `node_modules/@s/b/node_modules/c` → `node_modules/@s/b` → `` → undefined. */
function enclosingPackage(dir: string): string | undefined {
  if (!dir) return undefined;
  return /^(.*?)\/?node_modules\/(?:@[^/]+\/)?[^/]+$/.exec(dir)?.[1] ?? '';
}

function packageNameOf(lockKey: string): string {
  return lockKey.slice(lockKey.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

async function readJson<T>(path: string): Promise<T | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}
