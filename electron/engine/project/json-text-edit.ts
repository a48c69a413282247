import { TemplateEditError, fieldProblem } from './edit-errors.ts';
import { appendIn, removeIn, setIn } from './plain-edits.ts';
import type { PlainValue } from './plain-edits.ts';
import type { PathSegment } from './template-document.ts';

/**
 * Edits a `template.json`. JSON has no comments to keep, so the template is edited as a value
 * and printed again the way it was indented (2 spaces unless the file uses another width), with
 * its final newline if it had one. A file printed in that canonical form changes only on the
 * edited lines; any other layout is normalised once, and `reformatted` says so.
 */
export class JsonTextEdit {
  private value: PlainValue;
  private readonly indent: string;
  private readonly finalNewline: boolean;
  /** True when the original text was not in the form this writer prints. */
  readonly reformatted: boolean;

  constructor(text: string) {
    try {
      this.value = JSON.parse(text) as PlainValue;
    } catch (err) {
      const problem = `The template is not valid JSON: ${err instanceof Error ? err.message : String(err)}.`;
      throw new TemplateEditError([fieldProblem([], problem, 'Fix the JSON syntax first; LambdaDesk edits only templates it can read.')], 'template.json');
    }
    this.indent = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
    this.finalNewline = text.endsWith('\n');
    this.reformatted = this.print() !== text;
  }

  get text(): string {
    return this.print();
  }

  plain(): PlainValue {
    return this.value;
  }

  set(path: readonly PathSegment[], value: PlainValue): void {
    this.value = setIn(this.value, path, value);
  }

  remove(path: readonly PathSegment[]): void {
    this.value = removeIn(this.value, path);
  }

  append(path: readonly PathSegment[], value: PlainValue): void {
    this.value = appendIn(this.value, path, value);
  }

  private print(): string {
    return JSON.stringify(this.value, null, this.indent) + (this.finalNewline ? '\n' : '');
  }
}
