import type { ProjectWarning } from '../contract.ts';
import { LambdaDeskError } from '../errors.ts';
import type { TemplateError } from '../errors.ts';

/**
 * Every error found in one template, thrown together so that the user fixes them in one pass.
 * A single error reads exactly like that error; several are listed one per line, each with its fix.
 */
export class TemplateErrors extends LambdaDeskError {
  readonly awsName = 'InvalidParameterValueException';
  readonly status = 400;

  constructor(
    readonly errors: readonly TemplateError[],
    /** Warnings found before loading stopped; they often explain the errors. */
    readonly warnings: readonly ProjectWarning[] = [],
  ) {
    const [only] = errors;
    super(errors.length === 1 && only ? only.message : summarize(errors), errors.length === 1 ? only?.fix : undefined);
  }
}

function summarize(errors: readonly TemplateError[]): string {
  const file = errors[0]?.at.file ?? 'The template';
  const lines = errors.map((error) => `  ${error.message}${error.fix ? `\n    ${error.fix.replace(/\n/g, '\n    ')}` : ''}`);
  return `${file} has ${errors.length} problems:\n${lines.join('\n')}`;
}
