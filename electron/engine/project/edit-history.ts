import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../atomic-write.ts';

/** One change of the template: the exact bytes before and after it. */
export interface HistoryEntry {
  before: string;
  after: string;
  /** When it was made, ISO 8601; shown next to undo in the UI. */
  at: string;
}

interface HistoryFile {
  version: 1;
  undo: HistoryEntry[];
  redo: HistoryEntry[];
}

/**
 * Undo and redo stacks of whole template texts, kept in `.lambdadesk/` so that undo survives a
 * restart of the app. Whole texts, not diffs: undo must give back the exact bytes, and templates
 * are small. The oldest entries are dropped past `limit`.
 */
export class EditHistory {
  private undoStack: HistoryEntry[] = [];
  private redoStack: HistoryEntry[] = [];
  private loaded = false;

  constructor(
    private readonly file: string,
    private readonly limit = 50,
  ) {}

  async record(entry: HistoryEntry): Promise<void> {
    await this.load();
    this.undoStack.push(entry);
    if (this.undoStack.length > this.limit) this.undoStack.splice(0, this.undoStack.length - this.limit);
    this.redoStack = [];
    await this.save();
  }

  async nextUndo(): Promise<HistoryEntry | undefined> {
    await this.load();
    return this.undoStack[this.undoStack.length - 1];
  }

  async nextRedo(): Promise<HistoryEntry | undefined> {
    await this.load();
    return this.redoStack[this.redoStack.length - 1];
  }

  /** Moves the newest undo entry to the redo stack, once its `before` is on disk. */
  async undone(): Promise<void> {
    await this.load();
    const entry = this.undoStack.pop();
    if (entry) this.redoStack.push(entry);
    await this.save();
  }

  /** Moves the newest redo entry back to the undo stack, once its `after` is on disk. */
  async redone(): Promise<void> {
    await this.load();
    const entry = this.redoStack.pop();
    if (entry) this.undoStack.push(entry);
    await this.save();
  }

  async counts(): Promise<{ undo: number; redo: number }> {
    await this.load();
    return { undo: this.undoStack.length, redo: this.redoStack.length };
  }

  private async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    const text = await readFile(this.file, 'utf8').catch(() => undefined);
    if (text === undefined) return;
    try {
      const stored = JSON.parse(text) as Partial<HistoryFile>;
      // A history from another version or a damaged file is dropped, never trusted half-way.
      if (stored.version === 1 && Array.isArray(stored.undo) && Array.isArray(stored.redo) && [...stored.undo, ...stored.redo].every(isEntry)) {
        this.undoStack = stored.undo;
        this.redoStack = stored.redo;
      }
    } catch {
      // Unreadable history: start empty.
    }
  }

  private async save(): Promise<void> {
    const data: HistoryFile = { version: 1, undo: this.undoStack, redo: this.redoStack };
    await writeFileAtomic(this.file, `${JSON.stringify(data)}\n`);
  }
}

function isEntry(value: unknown): value is HistoryEntry {
  if (value === null || typeof value !== 'object') return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.before === 'string' && typeof entry.after === 'string' && typeof entry.at === 'string';
}
