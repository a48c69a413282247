import { watch, type FSWatcher } from 'node:fs';
import type { ProjectModel } from '../contract.ts';

export interface HotReloadOptions {
  templatePath: string;
  /** Code changed in a function's folder (or one of its layers). */
  onCodeChanged: (functionName: string) => void;
  onTemplateChanged: () => void;
  debounceMs?: number;
}

/**
 * Watches the template and every function's code and layer folders, so the next invoke after
 * an edit runs the new code: changed functions' environments are retired, not reused.
 */
export class HotReloader {
  private watchers: FSWatcher[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: HotReloadOptions) {}

  watch(model: ProjectModel): void {
    this.close();
    const owners = new Map<string, Set<string>>();
    for (const fn of model.functions) {
      for (const dir of [fn.codeDir, ...fn.layers.map((l) => l.contentDir)]) {
        if (!owners.has(dir)) owners.set(dir, new Set());
        owners.get(dir)!.add(fn.functionName);
      }
    }
    for (const [dir, functions] of owners) {
      this.add(dir, true, (file) => {
        // The state folder lives in the project folder, which is often a CodeUri too.
        if (file?.split(/[\\/]/).some((part) => part === '.lambdadesk')) return;
        for (const name of functions) this.debounce(`code:${name}`, () => this.options.onCodeChanged(name));
      });
    }
    this.add(this.options.templatePath, false, () => this.debounce('template', this.options.onTemplateChanged));
  }

  private add(path: string, recursive: boolean, listener: (file: string | null) => void): void {
    try {
      const watcher = watch(path, { recursive, persistent: false }, (_event, file) => listener(file ? String(file) : null));
      watcher.on('error', () => undefined); // a removed folder stops its watcher; the next reload re-adds it
      this.watchers.push(watcher);
    } catch {
      // The folder may not exist yet; template validation reports that.
    }
  }

  private debounce(key: string, run: () => void): void {
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      run();
    }, this.options.debounceMs ?? 100));
  }

  close(): void {
    for (const w of this.watchers) w.close();
    this.watchers = [];
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
