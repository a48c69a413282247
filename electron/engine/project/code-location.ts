import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { chmod, stat } from 'node:fs/promises';
import { extractZip } from '../export/extract-zip.ts';
import path from 'node:path';
import type { IntrinsicResolver } from './intrinsics.ts';
import { isPlaceholder } from './intrinsics.ts';
import type { Problems } from './problems.ts';
import type { TemplateNode } from './template-node.ts';

/**
 * The absolute folder a `CodeUri` (functions) or `ContentUri` (layers) names. Offline there is no
 * S3 to download from, so only a local folder will do; a missing folder is named by its resolved
 * path, because a relative path is resolved against the template's folder, not the shell's.
 */
export async function resolveCodeFolder(
  node: TemplateNode | undefined,
  options: { property: 'CodeUri' | 'ContentUri'; templateDir: string; resolver: IntrinsicResolver; problems: Problems },
): Promise<string | undefined> {
  const { property, templateDir, resolver, problems } = options;
  if (!node) return templateDir;
  const value = resolver.resolve(node);
  const localFix = `Set ${property} to a folder relative to the template, e.g. \`${property}: src/\`, and keep the code there.`;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const { Bucket, Key } = value as Record<string, unknown>;
    problems.error(
      node,
      `${property} points at S3 (Bucket ${String(Bucket)}, Key ${String(Key)}); offline LambdaDesk needs the code in a local folder.`,
      localFix,
    );
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    problems.error(node, `${property} must be a folder path.`, localFix);
    return undefined;
  }
  if (isPlaceholder(value)) {
    problems.error(node, `${property} depends on a value that is not known offline (${value}).`, localFix);
    return undefined;
  }
  if (/^s3:\/\//i.test(value)) {
    problems.error(node, `${property} ${value} is in S3; offline LambdaDesk needs the code in a local folder.`, localFix);
    return undefined;
  }
  const folder = path.resolve(templateDir, value);
  const info = await stat(folder).catch(() => undefined);
  if (!info) {
    problems.error(
      node,
      `${property} ${value} does not exist (looked for ${folder}).`,
      `Create ${folder}, or point ${property} at the folder that holds the code.`,
    );
    return undefined;
  }
  if (!info.isDirectory()) {
    if (value.toLowerCase().endsWith('.zip')) return unzipped(folder, info, templateDir).catch((err: Error) => {
      problems.error(node, `${property} ${value} cannot be read as a zip: ${err.message}`, localFix);
      return undefined;
    });
    problems.error(node, `${property} ${value} is a file, not a folder (${folder}).`, localFix);
    return undefined;
  }
  return folder;
}

/**
 * A deployment package (what `lambdadesk export` or `sam package` produce) runs from a copy
 * unpacked under `.lambdadesk/unzipped/`, named by the zip's path, size and time, so an
 * unchanged zip is unpacked once.
 */
async function unzipped(zipPath: string, info: Stats, templateDir: string): Promise<string> {
  const key = createHash('sha256').update(`${zipPath}\0${info.size}\0${info.mtimeMs}`).digest('hex').slice(0, 16);
  const target = path.join(templateDir, '.lambdadesk', 'unzipped', `${path.basename(zipPath, '.zip')}-${key}`);
  if (!(await stat(target).catch(() => undefined))) {
    await extractZip(zipPath, target);
    // Sandboxes run as sbx_user1051, not as the owner: the folder must be readable by all, as on AWS.
    await chmod(target, 0o755);
  }
  return target;
}
