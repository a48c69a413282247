import { mkdir, open, readdir, readFile, rm, truncate, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../atomic-write.ts';

interface Pending {
  lines: string;
  count: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * One journal file: appends resolve only once their lines are on disk (fdatasync), and appends
 * waiting at the same time share one write and one sync (group commit).
 */
class JournalFile {
  private handle?: FileHandle;
  private readonly pending: Pending[] = [];
  private flushing?: Promise<void>;
  lineCount = 0;

  constructor(readonly path: string) {}

  append(lines: string, count: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ lines, count, resolve, reject });
      this.flushing ??= this.flush().finally(() => (this.flushing = undefined));
    });
  }

  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.handle?.close();
    this.handle = undefined;
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.pending.length);
      try {
        this.handle ??= await open(this.path, 'a');
        await this.handle.write(batch.map((p) => p.lines).join(''));
        await this.handle.datasync();
        this.lineCount += batch.reduce((n, p) => n + p.count, 0);
        for (const p of batch) p.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err as Error);
      }
    }
  }
}

/**
 * State that survives `kill -9`: a snapshot written atomically plus an append-only journal of
 * what changed since. A change is acknowledged once its journal line is synced; a line torn by
 * a crash was never acknowledged and is dropped on load. `compact` switches to a fresh journal
 * file at once (so later appends never mix with the snapshot being written), then writes the
 * snapshot and removes the journals it covers; a crash at any point leaves a loadable state.
 */
export class SnapshotJournal<S, E> {
  private current: JournalFile;
  private generation: number;
  private compacting?: Promise<void>;
  private closed = false;

  private constructor(
    readonly dir: string,
    generation: number,
  ) {
    this.generation = generation;
    this.current = new JournalFile(this.journalPath(generation));
  }

  /** Reads the snapshot and the journal entries after it, in order. */
  static async load<S, E>(dir: string): Promise<{ store: SnapshotJournal<S, E>; snapshot?: S; entries: E[] }> {
    await mkdir(dir, { recursive: true });
    const raw = await readFile(join(dir, 'snapshot.json'), 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    const saved = raw === undefined ? undefined : (JSON.parse(raw) as { generation: number; state: S });
    const from = saved?.generation ?? 0;
    const generations = (await readdir(dir))
      .map((name) => /^journal-(\d+)\.jsonl$/.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    const entries: E[] = [];
    let last = from;
    for (const generation of generations) {
      const path = join(dir, `journal-${generation}.jsonl`);
      // Journals a snapshot already covers: a crash came between writing it and removing them.
      if (generation < from) {
        await rm(path, { force: true });
        continue;
      }
      entries.push(...(await readJournal<E>(path)));
      last = generation;
    }
    const store = new SnapshotJournal<S, E>(dir, last);
    store.current.lineCount = entries.length;
    return { store, snapshot: saved?.state, entries };
  }

  /** Lines written since the last snapshot: what decides when to compact. */
  get journalLines(): number {
    return this.current.lineCount;
  }

  append(...entries: E[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.dir} is closed.`));
    return this.current.append(entries.map((e) => `${JSON.stringify(e)}\n`).join(''), entries.length);
  }

  /**
   * Replaces the journal with `snapshot`, which must describe every change appended so far
   * (capture it synchronously right before calling). Resolves when it is on disk.
   */
  compact(snapshot: S): Promise<void> {
    if (this.compacting) return this.compacting.then(() => this.compact(snapshot));
    const old = this.current;
    this.generation += 1;
    const generation = this.generation;
    this.current = new JournalFile(this.journalPath(generation));
    this.compacting = (async () => {
      await old.close();
      await writeFileAtomic(join(this.dir, 'snapshot.json'), JSON.stringify({ generation, state: snapshot }));
      await rm(old.path, { force: true });
    })().finally(() => (this.compacting = undefined));
    return this.compacting;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.compacting?.catch(() => undefined);
    await this.current.close();
  }

  private journalPath(generation: number): string {
    return join(this.dir, `journal-${generation}.jsonl`);
  }
}

async function readJournal<E>(path: string): Promise<E[]> {
  const text = await readFile(path, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  if (end < text.length) await truncate(path, Buffer.byteLength(text.slice(0, end)));
  const entries: E[] = [];
  for (const line of text.slice(0, end).split('\n')) {
    if (!line) continue;
    try {
      entries.push(JSON.parse(line) as E);
    } catch {
      // Only a crash mid-write leaves a bad line, and that line was never acknowledged.
    }
  }
  return entries;
}
