import { chmod, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { OutputFolderError } from './export-errors.ts';

/**
 * Fills an output folder all at once: everything is written into a temporary sibling, which
 * replaces OUT by rename only when complete. A failed or interrupted export leaves OUT as it was.
 */

/** What an export writes; an existing OUT holding anything else is not ours to delete. */
const EXPORT_ENTRIES = new Set(['template.yaml', 'functions', 'layers', '.lambdadesk']);

/** Throws unless `outDir` is absent, empty, or a previous export (which may be replaced). */
export async function assertReplaceable(outDir: string): Promise<void> {
  const info = await stat(outDir).catch(() => undefined);
  if (!info) return;
  if (!info.isDirectory()) throw new OutputFolderError(`${outDir} exists and is not a folder`, 'Choose a new or empty folder for --out.');
  const foreign = (await readdir(outDir)).filter((name) => !EXPORT_ENTRIES.has(name)).sort();
  if (foreign.length > 0) {
    throw new OutputFolderError(
      `${outDir} holds files an export did not write (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', …' : ''}); replacing it would delete them`,
      'Choose a new or empty folder for --out, or a previous export folder.',
    );
  }
}

/** Names of the temporary siblings, so a code folder that contains OUT never packages them. */
export function isScratchSibling(outDir: string, absPath: string): boolean {
  return dirname(absPath) === dirname(outDir) && basename(absPath).startsWith(`.${basename(outDir)}.export-`);
}

export async function writeOutputAtomically(outDir: string, fill: (dir: string) => Promise<void>): Promise<void> {
  await assertReplaceable(outDir);
  const parent = dirname(outDir);
  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(join(parent, `.${basename(outDir)}.export-`));
  try {
    await chmod(staging, 0o755); // mkdtemp makes it private; OUT is an ordinary folder
    await fill(staging);
    const previous = (await stat(outDir).catch(() => undefined)) ? `${staging}-previous` : undefined;
    if (previous) await rename(outDir, previous);
    try {
      await rename(staging, outDir);
    } catch (err) {
      if (previous) await rename(previous, outDir); // put the old export back
      throw err;
    }
    if (previous) await rm(previous, { recursive: true, force: true });
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
}
