import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

interface PackageJson {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/**
 * The folders of some packages and of everything they depend on, found the way Node resolves
 * them (nested `node_modules` first, then each parent's). Returned as paths relative to
 * `rootDir/node_modules` so they can be copied under another `node_modules` unchanged.
 */
export function packageClosure(rootDir: string, names: string[]): string[] {
  const seen = new Set<string>();
  const queue: Array<{ name: string; from: string }> = names.map((name) => ({ name, from: rootDir }));
  while (queue.length) {
    const { name, from } = queue.pop()!;
    const dir = locatePackage(name, from, rootDir);
    if (!dir || seen.has(dir)) continue;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) queue.push({ name: dep, from: dir });
  }
  const base = join(rootDir, 'node_modules');
  // A nested package is copied with its parent folder, so keep only the outermost folders.
  const outer = [...seen].map((d) => relative(base, d)).sort();
  return outer.filter((d) => !outer.some((o) => o !== d && d.startsWith(o + sep)));
}

function locatePackage(name: string, fromDir: string, rootDir: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === rootDir || dirname(dir) === dir) return undefined;
    dir = dirname(dir);
  }
}
