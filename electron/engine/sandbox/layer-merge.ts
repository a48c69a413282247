import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FunctionConfig } from '../contract.ts';

/**
 * Lambda extracts a function's layers into `/opt` in order, later layers winning. A single
 * layer is mounted as it is; several are merged into one folder under the state directory,
 * rebuilt when `invalidate()` says a layer changed.
 */
export class LayerMerger {
  private readonly merged = new Map<string, string>();
  constructor(private readonly stateDir: string) {}

  async optDir(fn: FunctionConfig): Promise<string | undefined> {
    if (fn.layers.length === 0) return undefined;
    if (fn.layers.length === 1) return fn.layers[0]!.contentDir;
    const key = createHash('sha256').update(fn.layers.map((l) => l.contentDir).join('\0')).digest('hex').slice(0, 16);
    const existing = this.merged.get(key);
    if (existing) return existing;
    const target = join(this.stateDir, 'layers', key);
    const staging = `${target}.${process.pid}.tmp`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    for (const layer of fn.layers) cpSync(layer.contentDir, staging, { recursive: true, force: true });
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
    this.merged.set(key, target);
    return target;
  }

  invalidate(): void {
    this.merged.clear();
  }
}
