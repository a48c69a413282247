import { chmod, mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { readZip, ZipFormatError } from './zip-reader.ts';

export interface ExtractedZip {
  files: number;
  bytes: number;
}

/**
 * Unpacks a deploy package the way Lambda does before it runs it: file modes kept, nothing
 * written outside `destDir`. `destDir` is replaced as a whole, and only once the archive has been
 * read completely, so a damaged zip never leaves a half-filled folder behind and files from an
 * older package never linger.
 */
export async function extractZip(zipPath: string, destDir: string): Promise<ExtractedZip> {
  const entries = readZip(await readFile(zipPath));
  const target = resolve(destDir);
  await mkdir(dirname(target), { recursive: true });
  const staging = await mkdtemp(join(dirname(target), `.${basename(target)}.extract-`));
  let bytes = 0;
  let files = 0;
  try {
    for (const entry of entries) {
      const path = safeJoin(staging, entry.path, zipPath);
      if (entry.kind === 'directory') {
        await mkdir(path, { recursive: true });
        continue;
      }
      await mkdir(dirname(path), { recursive: true });
      if (entry.kind === 'symlink') {
        const linkTarget = entry.data.toString('utf8');
        // A link may point anywhere inside the package, never out of it.
        if (isAbsolute(linkTarget) || relative(staging, resolve(dirname(path), linkTarget)).startsWith('..')) {
          throw new ZipFormatError(`${zipPath}: ${entry.path} links outside the package (${linkTarget})`);
        }
        await symlink(linkTarget, path);
      } else {
        await writeFile(path, entry.data);
        await chmod(path, entry.mode); // writeFile's mode is filtered by the umask
        bytes += entry.data.length;
        files++;
      }
    }
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  return { files, bytes };
}

function safeJoin(root: string, entryPath: string, zipPath: string): string {
  const segments = entryPath.split(/[\\/]/);
  if (isAbsolute(entryPath) || /^[a-zA-Z]:/.test(entryPath) || segments.includes('..')) {
    throw new ZipFormatError(`${zipPath}: entry ${JSON.stringify(entryPath)} would be written outside the destination`);
  }
  return join(root, ...segments.filter((s) => s !== '' && s !== '.'));
}
