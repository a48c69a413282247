import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../engine/atomic-write.ts';

const MAX_RECENT = 10;

/** The folders opened lately, newest first, kept in the app's data folder. */
export class RecentProjects {
  private list: string[];

  constructor(private readonly file: string) {
    this.list = load(file);
  }

  all(): string[] {
    return [...this.list];
  }

  async add(dir: string): Promise<void> {
    this.list = [dir, ...this.list.filter((d) => d !== dir)].slice(0, MAX_RECENT);
    await writeFileAtomic(this.file, JSON.stringify(this.list, null, 2));
  }
}

function load(file: string): string[] {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(parsed) ? parsed.filter((d): d is string => typeof d === 'string').slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}
