import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileOnDisk, type PackageFile } from './package-file.ts';

/** Never part of a deploy package: version control, tool state, OS litter, byte-code caches. */
const ALWAYS_SKIPPED = new Set(['.git', '.hg', '.svn', '.aws-sam', '.lambdadesk', '.DS_Store', 'Thumbs.db', '__pycache__']);

export interface CollectOptions {
  /** Relative paths (forward slashes) to leave out, with everything below them. */
  skip?: (relPath: string, isDirectory: boolean) => boolean;
  /** Absolute paths to leave out, e.g. the export's own output folder inside the code folder. */
  skipAbsolute?: (absPath: string) => boolean;
}

/**
 * Lists a folder's files for a package, sorted, following symbolic links (Lambda gets the files,
 * not the links) but never round a link cycle.
 */
export async function collectFiles(root: string, options: CollectOptions = {}): Promise<PackageFile[]> {
  const files: PackageFile[] = [];
  const walk = async (absDir: string, relDir: string, ancestors: ReadonlySet<string>): Promise<void> => {
    const real = await realpath(absDir);
    if (ancestors.has(real)) return; // a link back up the tree
    const chain = new Set(ancestors).add(real);
    const names = (await readdir(absDir)).sort();
    for (const name of names) {
      if (ALWAYS_SKIPPED.has(name) || name.endsWith('.pyc')) continue;
      const absPath = join(absDir, name);
      const relPath = relDir ? `${relDir}/${name}` : name;
      if (options.skipAbsolute?.(absPath)) continue;
      const info = await stat(absPath).catch(() => undefined); // a dangling link is not a file
      if (!info) continue;
      if (info.isDirectory()) {
        if (!options.skip?.(relPath, true)) await walk(absPath, relPath, chain);
      } else if (info.isFile() && !options.skip?.(relPath, false)) {
        files.push(fileOnDisk(relPath, absPath, info.size, info.mode));
      }
    }
  };
  await walk(root, '', new Set());
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
