import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.ts';
import { TemplateChangedError } from './edit-errors.ts';
import { EditHistory } from './edit-history.ts';
import { scaffoldFunctionCode } from './function-scaffold.ts';
import { previewEdits, sha256, templateValue } from './template-edits.ts';
import type { EditPreview, TemplateEdit } from './template-edits.ts';

export interface TemplateEditorOptions {
  /** The project's `template.yaml` (or `.yml`, `.json`). */
  templatePath: string;
  /** The project's `.lambdadesk/` folder: the undo history is kept there. */
  stateDir: string;
  /** Undo steps kept; default 50. */
  historyLimit?: number;
}

export interface TemplateVersion {
  text: string;
  /** sha256 of `text`: the `baseHash` of the next `apply`. */
  hash: string;
}

export interface AppliedEdit extends TemplateVersion {
  /** Code folders and handler files made for new functions (never removed by undo). */
  createdFiles: string[];
}

/**
 * The canvas' writer of `template.yaml`: previews, applies with undo and redo, and never loses
 * an edit made elsewhere. Every write is atomic and refused if the file on disk is not the text
 * the change was made from (another editor saved it meanwhile). Operations run one at a time.
 * Callers reload the project (`loadProject`) after each write.
 */
export class TemplateEditor {
  private readonly history: EditHistory;
  private readonly fileLabel: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: TemplateEditorOptions) {
    this.fileLabel = path.basename(options.templatePath);
    this.history = new EditHistory(path.join(options.stateDir, 'template-history.json'), options.historyLimit);
  }

  /** The template as it is on disk now. */
  async read(): Promise<TemplateVersion> {
    const text = await readFile(this.options.templatePath, 'utf8');
    return { text, hash: sha256(text) };
  }

  /** What `edits` would change, as a diff; writes nothing. Its `baseHash` is what `apply` checks. */
  async preview(edits: TemplateEdit[]): Promise<EditPreview> {
    const { text } = await this.read();
    return previewEdits(text, edits, { fileName: this.fileLabel });
  }

  /**
   * Makes `edits` and writes the template atomically. With `baseHash` (the sha256 of the text the
   * preview was made from), refuses if the file has changed since. Records the change for undo.
   */
  apply(edits: TemplateEdit[], baseHash?: string): Promise<AppliedEdit> {
    return this.serially(async () => {
      const current = await this.read();
      if (baseHash !== undefined && baseHash !== current.hash) throw new TemplateChangedError(this.fileLabel, 'the preview was made');
      const preview = previewEdits(current.text, edits, { fileName: this.fileLabel });
      if (!preview.changed) return { ...current, createdFiles: [] };
      const createdFiles = await this.scaffold(preview);
      await writeFileAtomic(this.options.templatePath, preview.after);
      await this.history.record({ before: current.text, after: preview.after, at: new Date().toISOString() });
      return { text: preview.after, hash: sha256(preview.after), createdFiles };
    });
  }

  /** Puts back the exact bytes from before the last applied change; undefined when there is nothing to undo. */
  undo(): Promise<TemplateVersion | undefined> {
    return this.serially(async () => {
      const entry = await this.history.nextUndo();
      if (!entry) return undefined;
      await this.replace(entry.after, entry.before, 'the change you want to undo was made');
      await this.history.undone();
      return { text: entry.before, hash: sha256(entry.before) };
    });
  }

  /** Makes the last undone change again, byte for byte; undefined when there is nothing to redo. */
  redo(): Promise<TemplateVersion | undefined> {
    return this.serially(async () => {
      const entry = await this.history.nextRedo();
      if (!entry) return undefined;
      await this.replace(entry.before, entry.after, 'that change was undone');
      await this.history.redone();
      return { text: entry.after, hash: sha256(entry.after) };
    });
  }

  /** How many steps undo and redo can take, for enabling the menu items. */
  historyCounts(): Promise<{ undo: number; redo: number }> {
    return this.history.counts();
  }

  private async replace(expected: string, next: string, since: string): Promise<void> {
    const { text } = await this.read();
    if (text !== expected) throw new TemplateChangedError(this.fileLabel, since);
    await writeFileAtomic(this.options.templatePath, next);
  }

  private async scaffold(preview: EditPreview): Promise<string[]> {
    const created: string[] = [];
    const added = preview.results.filter((result) => result.kind === 'add-resource' && result.logicalId);
    if (added.length === 0) return created;
    const plain = templateValue(preview.after, this.fileLabel);
    for (const result of added) {
      created.push(...(await scaffoldFunctionCode(path.dirname(this.options.templatePath), plain, result.logicalId as string)));
    }
    return created;
  }

  private serially<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
