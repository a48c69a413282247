import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type Docker from 'dockerode';
import { SandboxUnavailableError } from '../errors.ts';
import type { ImageRecipe, RecipeEntry } from './image-recipe.ts';
import type { ProgressReport } from './sandbox-provider.ts';
import { LABEL_ROOT } from './labels.ts';

/** AWS runs functions as sbx_user1051; keep its ids so file permissions behave the same. */
export const SANDBOX_UID = 993;
export const SANDBOX_GID = 990;
const RECIPE_FORMAT = 2; // bump when the way images are assembled changes

/**
 * A content hash of everything that goes into the image: file sizes and modification times of
 * the inputs (cheap, and they change whenever the content does) plus the recipe itself.
 */
export function recipeHash(recipe: ImageRecipe): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ RECIPE_FORMAT, env: recipe.env, links: recipe.links, entrypoint: recipe.entrypoint, interpreter: recipe.interpreter }));
  for (const entry of recipe.entries) {
    hash.update(`\n${entry.dest}\0`);
    walk(entry.src, entry.exclude ?? [], (path, size, mtimeMs, mode) => hash.update(`${path}\0${size}\0${mtimeMs}\0${mode}\n`));
  }
  return hash.digest('hex').slice(0, 16);
}

function walk(path: string, exclude: string[], visit: (path: string, size: number, mtimeMs: number, mode: number) => void): void {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return;
  if (!stat.isDirectory()) return visit(path, stat.size, Math.trunc(stat.mtimeMs), stat.mode);
  for (const name of readdirSync(path).sort()) {
    if (!exclude.includes(name)) walk(join(path, name), exclude, visit);
  }
}

export function imageTag(recipe: ImageRecipe): string {
  return `lambdadesk/runtime-${recipe.name}:${recipeHash(recipe)}`;
}

/** Builds the image unless an image with the same content hash exists. */
export async function ensureImage(docker: Docker, recipe: ImageRecipe, onProgress?: (p: ProgressReport) => void): Promise<string> {
  const tag = imageTag(recipe);
  try {
    await docker.getImage(tag).inspect();
    return tag;
  } catch {
    // Not built yet.
  }
  onProgress?.({ image: tag, step: `Assembling ${recipe.interpreter} runtime files`, done: false });
  const contextDir = mkdtempSync(join(tmpdir(), 'lambdadesk-image-'));
  try {
    writeContext(contextDir, recipe, tag);
    onProgress?.({ image: tag, step: 'Building image', done: false });
    const tar = spawn('tar', ['-C', contextDir, '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const stream = await docker.buildImage(tar.stdout, { t: tag, labels: { [LABEL_ROOT]: 'true' }, rm: true, forcerm: true });
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (err: Error | null, output: Array<{ error?: string }>) => {
          const failed = err ?? output.find((o) => o.error)?.error;
          if (failed) reject(new SandboxUnavailableError(`Building runtime image ${tag} failed: ${String(failed)}`));
          else resolve();
        },
        (event: { stream?: string }) => {
          const line = event.stream?.trim();
          if (line?.startsWith('Step ')) onProgress?.({ image: tag, step: line, done: false });
        },
      );
    });
  } finally {
    rmSync(contextDir, { recursive: true, force: true });
  }
  onProgress?.({ image: tag, step: 'Ready', done: true });
  await removeOlderBuilds(docker, tag);
  return tag;
}

/** A rebuild supersedes the previous image of the same runtime: remove it unless a container still uses it. */
async function removeOlderBuilds(docker: Docker, tag: string): Promise<void> {
  const repository = tag.slice(0, tag.lastIndexOf(':'));
  const images = await docker.listImages({ filters: { reference: [repository], label: [LABEL_ROOT] } }).catch(() => []);
  for (const image of images) {
    for (const old of image.RepoTags ?? []) {
      if (old !== tag) await docker.getImage(old).remove().catch(() => undefined);
    }
  }
}

function writeContext(contextDir: string, recipe: ImageRecipe, tag: string): void {
  const root = join(contextDir, 'rootfs');
  for (const dir of ['tmp', 'var/task', 'var/runtime', 'var/lang/bin', 'opt', 'etc/ssl/certs', 'dev', 'proc', 'sys']) mkdirSync(join(root, dir), { recursive: true });
  // Docker gives the /tmp tmpfs the mode of the image's /tmp, whatever `mode=` says.
  chmodSync(join(root, 'tmp'), 0o1777);
  for (const entry of recipe.entries) copyEntry(root, entry);
  for (const [link, target] of Object.entries(recipe.links)) {
    mkdirSync(join(root, dirname(link)), { recursive: true });
    rmSync(join(root, link), { force: true });
    symlinkSync(target, join(root, link));
  }
  writeFileSync(join(root, 'etc/passwd'), `root:x:0:0:root:/root:/bin/sh\nsbx_user1051:x:${SANDBOX_UID}:${SANDBOX_GID}::/tmp:/sbin/nologin\n`);
  writeFileSync(join(root, 'etc/group'), `root:x:0:\nsbx_user1051:x:${SANDBOX_GID}:\n`);
  try {
    cpSync('/etc/ssl/certs/ca-certificates.crt', join(root, 'etc/ssl/certs/ca-certificates.crt'));
  } catch {
    // No CA bundle on the host: TLS from functions fails, but nothing local needs it.
  }
  const env = Object.entries(recipe.env).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' \\\n    ');
  writeFileSync(
    join(contextDir, 'Dockerfile'),
    [
      'FROM scratch',
      'COPY rootfs/ /',
      `ENV ${env}`,
      `USER ${SANDBOX_UID}:${SANDBOX_GID}`,
      'WORKDIR /var/task',
      `ENTRYPOINT ${JSON.stringify(recipe.entrypoint)}`,
      `LABEL ${LABEL_ROOT}.image=${JSON.stringify(tag)} ${LABEL_ROOT}.interpreter=${JSON.stringify(recipe.interpreter)}`,
      '',
    ].join('\n'),
  );
}

function copyEntry(root: string, entry: RecipeEntry): void {
  const dest = join(root, entry.dest);
  mkdirSync(dirname(dest), { recursive: true });
  const exclude = new Set(entry.exclude ?? []);
  try {
    cpSync(entry.src, dest, { recursive: true, dereference: true, filter: (src) => !exclude.has(basename(src)) || src === entry.src });
  } catch (err) {
    throw new SandboxUnavailableError(`Cannot copy ${entry.src} into the runtime image: ${(err as Error).message}`);
  }
}
