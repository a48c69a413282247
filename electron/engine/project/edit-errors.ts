import { LambdaDeskError, ResourceConflictError } from '../errors.ts';
import type { PathSegment } from './template-document.ts';
import { formatPath } from './template-node.ts';

/** Something wrong with an edit, said where the inspector can show it: next to the field at `path`. */
export interface FieldProblem {
  path: PathSegment[];
  /** `path` as the template's dotted name, e.g. `Resources.Resize.Properties.MemorySize`. */
  field: string;
  message: string;
  fix: string;
}

export function fieldProblem(path: readonly PathSegment[], message: string, fix: string): FieldProblem {
  return { path: [...path], field: formatPath(path), message, fix };
}

/**
 * An edit that cannot be made as asked (an unknown function, a logical id already taken, a
 * value out of range). Every problem of the batch is listed, each with its field and fix; the
 * template is not touched.
 */
export class TemplateEditError extends LambdaDeskError {
  readonly awsName = 'InvalidParameterValueException';
  readonly status = 400;

  constructor(
    readonly problems: readonly FieldProblem[],
    readonly fileLabel = 'template.yaml',
  ) {
    const [only] = problems;
    super(
      problems.length === 1 && only
        ? `${fileLabel} ${only.field}: ${only.message}`
        : `${fileLabel}: ${problems.length} problems with this edit:\n${problems.map((p) => `  ${p.field}: ${p.message}\n    ${p.fix}`).join('\n')}`,
      problems.length === 1 ? only?.fix : undefined,
    );
  }

  override extraBody(): Record<string, unknown> {
    return { problems: this.problems };
  }
}

/** The template changed on disk after the preview was made: applying would lose someone's edit. */
export class TemplateChangedError extends ResourceConflictError {
  constructor(fileLabel: string, what: string) {
    super(
      `${fileLabel} changed on disk since ${what}; LambdaDesk did not write it, so that no edit is lost.`,
      `Reload ${fileLabel} and make the change again.`,
    );
  }
}
