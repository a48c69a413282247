import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../engine/atomic-write.ts';

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rectangle;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1400, height: 900 };
const MIN_VISIBLE = 100;

/**
 * A saved window goes back where it was only if enough of it is on a display that still exists
 * (a laptop undocked from its monitor): otherwise it keeps its size, clamped, and is centred.
 */
export function fitToDisplays(saved: WindowState | undefined, workAreas: readonly Rectangle[]): { bounds: Partial<Rectangle> & { width: number; height: number }; maximized: boolean } {
  if (!saved) return { bounds: { ...DEFAULT_SIZE }, maximized: false };
  const { bounds } = saved;
  const visible = workAreas.some((area) => overlap(bounds.x, bounds.width, area.x, area.width) >= MIN_VISIBLE && overlap(bounds.y, bounds.height, area.y, area.height) >= MIN_VISIBLE);
  if (visible) return { bounds: { ...bounds }, maximized: saved.maximized };
  const primary = workAreas[0];
  const width = primary ? Math.min(bounds.width, primary.width) : bounds.width;
  const height = primary ? Math.min(bounds.height, primary.height) : bounds.height;
  return { bounds: { width, height }, maximized: saved.maximized };
}

function overlap(a: number, aSize: number, b: number, bSize: number): number {
  return Math.max(0, Math.min(a + aSize, b + bSize) - Math.max(a, b));
}

export async function readWindowState(file: string): Promise<WindowState | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<WindowState>;
    const b = parsed.bounds;
    if (!b || ![b.x, b.y, b.width, b.height].every((n) => Number.isFinite(n)) || b.width < 200 || b.height < 150) return undefined;
    return { bounds: { x: b.x, y: b.y, width: b.width, height: b.height }, maximized: parsed.maximized === true };
  } catch {
    return undefined;
  }
}

export function writeWindowState(file: string, state: WindowState): Promise<void> {
  return writeFileAtomic(file, JSON.stringify(state, null, 2));
}
