import { stat } from 'node:fs/promises';
import path from 'node:path';
import { InvalidParameterValueError } from '../errors.ts';

/** The names SAM CLI looks for, in its order. */
export const TEMPLATE_NAMES = ['template.yaml', 'template.yml', 'template.json'] as const;

/** The template of a project: the path itself if it is a file, else the first known name in the folder. */
export async function findTemplate(dirOrFile: string): Promise<string> {
  const target = path.resolve(dirOrFile);
  const info = await stat(target).catch(() => undefined);
  if (!info) {
    throw new InvalidParameterValueError(
      `${target} does not exist.`,
      'Open the folder that holds your SAM template.yaml.',
    );
  }
  if (info.isFile()) return target;
  for (const name of TEMPLATE_NAMES) {
    const candidate = path.join(target, name);
    if ((await stat(candidate).catch(() => undefined))?.isFile()) return candidate;
  }
  throw new InvalidParameterValueError(
    `${target} has no ${TEMPLATE_NAMES.join(', ')}.`,
    'Open the folder that holds your SAM template, or create a template.yaml there (see examples/hello).',
  );
}
