import { mkdir, open, readFile, truncate, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../atomic-write.ts';

type Pending<R> =
  | { kind: 'append'; records: R[]; resolve: () => void; reject: (err: Error) => void }
  | { kind: 'rewrite'; records: R[]; resolve: () => void; reject: (err: Error) => void };

/**
 * An append-only log of JSON lines that survives `kill -9`: a record is acknowledged only after
 * its line is on disk (fdatasync), concurrent appends share one write and one sync, and a line
 * torn by a crash (never acknowledged) is cut off when the log is opened again. `rewrite`
 * replaces the whole log atomically, for compaction.
 */
export class QueueJournal<R> {
  private handle?: FileHandle;
  private readonly pending: Array<Pending<R>> = [];
  private flushing?: Promise<void>;
  private closed = false;
  /** Records in the file: what compaction weighs against the live state. */
  recordCount = 0;

  private constructor(readonly path: string) {}

  /** Opens (or creates) the log and returns the records it holds, in order. */
  static async open<R>(path: string): Promise<{ journal: QueueJournal<R>; records: R[] }> {
    await mkdir(dirname(path), { recursive: true });
    const journal = new QueueJournal<R>(path);
    const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    const end = text.lastIndexOf('\n') + 1;
    if (end < text.length) await truncate(path, Buffer.byteLength(text.slice(0, end)));
    const records: R[] = [];
    for (const line of text.slice(0, end).split('\n')) {
      if (!line) continue;
      try {
        records.push(JSON.parse(line) as R);
      } catch {
        // Only a crash mid-write makes a bad line, and that line was never acknowledged.
      }
    }
    journal.recordCount = records.length;
    journal.handle = await open(path, 'a');
    return { journal, records };
  }

  /** Resolves once the records are durable. */
  append(...records: R[]): Promise<void> {
    return this.enqueue('append', records);
  }

  /** Replaces the log with these records, atomically (the old log stays whole until the rename). */
  rewrite(records: R[]): Promise<void> {
    return this.enqueue('rewrite', records);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flushing;
    await this.handle?.close();
    this.handle = undefined;
  }

  private enqueue(kind: 'append' | 'rewrite', records: R[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.path} is closed.`));
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ kind, records, resolve, reject });
      this.flushing ??= this.flush().finally(() => (this.flushing = undefined));
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const first = this.pending[0]!;
      if (first.kind === 'rewrite') {
        this.pending.shift();
        await this.settle([first], () => this.replace(first.records));
        continue;
      }
      // Every append waiting now goes out in one write and one sync: group commit.
      let count = 0;
      while (count < this.pending.length && this.pending[count]!.kind === 'append') count++;
      const batch = this.pending.splice(0, count);
      const lines = batch.flatMap((p) => p.records.map((r) => `${JSON.stringify(r)}\n`)).join('');
      await this.settle(batch, async () => {
        const handle = this.handle;
        if (!handle) throw new Error(`${this.path} is closed.`);
        await handle.write(lines);
        await handle.datasync();
        this.recordCount += batch.reduce((n, p) => n + p.records.length, 0);
      });
    }
  }

  private async settle(batch: Array<Pending<R>>, work: () => Promise<void>): Promise<void> {
    try {
      await work();
      for (const p of batch) p.resolve();
    } catch (err) {
      for (const p of batch) p.reject(err as Error);
    }
  }

  private async replace(records: R[]): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
    await writeFileAtomic(this.path, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    this.recordCount = records.length;
    this.handle = await open(this.path, 'a');
  }
}
