import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.ts';
import { InvalidParameterValueError } from '../errors.ts';

export type CanvasPositions = Record<string, { x: number; y: number }>;

interface LayoutFile {
  version: 1;
  positions: CanvasPositions;
}

/**
 * Where each node sits on the canvas, in `.lambdadesk/canvas-layout.json`: layout is
 * LambdaDesk's own state, so it never goes into `template.yaml`. Written atomically; a missing
 * or damaged file reads as an empty layout (the canvas then lays nodes out itself).
 */
export class CanvasLayoutStore {
  private readonly file: string;
  private queue: Promise<unknown> = Promise.resolve();

  /** `stateDir` is the project's `.lambdadesk/` folder. */
  constructor(stateDir: string) {
    this.file = path.join(stateDir, 'canvas-layout.json');
  }

  async load(): Promise<CanvasPositions> {
    const text = await readFile(this.file, 'utf8').catch(() => undefined);
    if (text === undefined) return {};
    let stored: unknown;
    try {
      stored = JSON.parse(text);
    } catch {
      return {};
    }
    const positions = (stored as Partial<LayoutFile> | null)?.positions;
    if (positions === null || typeof positions !== 'object') return {};
    const out: CanvasPositions = {};
    for (const [id, position] of Object.entries(positions)) {
      if (isPosition(position)) out[id] = { x: position.x, y: position.y };
    }
    return out;
  }

  /** Replaces the stored layout; positions that are not finite numbers are refused, not stored. */
  async save(positions: CanvasPositions): Promise<void> {
    const clean: CanvasPositions = {};
    for (const [id, position] of Object.entries(positions)) {
      if (!isPosition(position)) {
        throw new InvalidParameterValueError(`The canvas position of ${id} must be { x, y } with finite numbers.`, 'Send the node positions as numbers, e.g. { x: 120, y: 40 }.');
      }
      clean[id] = { x: position.x, y: position.y };
    }
    const data: LayoutFile = { version: 1, positions: clean };
    // Saves follow drags quickly; one at a time keeps the newest last on disk.
    const next = this.queue.then(() => writeFileAtomic(this.file, `${JSON.stringify(data, null, 2)}\n`));
    this.queue = next.catch(() => undefined);
    await next;
  }
}

function isPosition(value: unknown): value is { x: number; y: number } {
  if (value === null || typeof value !== 'object') return false;
  const { x, y } = value as Record<string, unknown>;
  return typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y);
}
