import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock, ClockTimer } from '../../clock.ts';
import { signatureOf } from './bucket-store.ts';

export interface BucketWatcherOptions {
  /** `.lambdadesk/buckets`. */
  root: string;
  clock: Clock;
  /** A file appeared or changed (and has held still), or went away. */
  onChange: (change: { bucket: string; key: string; kind: 'created' | 'removed' }) => Promise<void>;
  /** How long a changed file must hold still before it counts (a copy in progress does not). */
  settleMs?: number;
  /** A full rescan this often, for changes the file system did not report. */
  rescanMs?: number;
}

/**
 * Notices files copied into (or deleted from) a bucket's folder by anything but LambdaDesk — a
 * file manager, `cp`, an editor — and reports them once each has held still, so that S3 events
 * fire for them as for an upload. LambdaDesk's own writes are announced with `acknowledge` first
 * and are not reported again. What is there when the watcher starts is taken as it is.
 */
export class BucketWatcher {
  /** `bucket\0key` → `size:mtime` of what has been reported (or written by LambdaDesk). */
  private readonly known = new Map<string, string>();
  /** Changes seen once, waiting to be seen unchanged again. */
  private readonly settling = new Map<string, string>();
  private fsWatcher?: FSWatcher;
  private timer?: ClockTimer;
  private scanning?: Promise<void>;
  private rescanRequested = false;
  private stopped = false;

  constructor(private readonly options: BucketWatcherOptions) {}

  async start(): Promise<void> {
    for (const [id, signature] of await this.snapshot()) this.known.set(id, signature);
    try {
      this.fsWatcher = watch(this.options.root, { recursive: true }, (_event, file) => {
        // `.meta`, `.staging` and `.uploads` are LambdaDesk's own bookkeeping.
        if (typeof file === 'string' && file.startsWith('.')) return;
        this.schedule(this.options.settleMs ?? 250);
      });
      this.fsWatcher.on('error', () => undefined);
    } catch {
      // No recursive watching on this platform: the periodic rescan still finds changes.
    }
    this.schedule(this.options.rescanMs ?? 5000);
  }

  stop(): void {
    this.stopped = true;
    this.fsWatcher?.close();
    if (this.timer) this.options.clock.clearTimeout(this.timer);
  }

  /** LambdaDesk is about to write (signature) or remove (undefined) this object itself. */
  acknowledge(bucket: string, key: string, signature: string | undefined): void {
    const id = `${bucket}\u0000${key}`;
    this.settling.delete(id);
    if (signature === undefined) this.known.delete(id);
    else this.known.set(id, signature);
  }

  /** Scans now and reports what changed; resolves when done (tests and `lambdadesk bucket` use it). */
  async scan(): Promise<void> {
    if (this.scanning) {
      this.rescanRequested = true;
      return this.scanning;
    }
    this.scanning = this.scanOnce().finally(() => (this.scanning = undefined));
    await this.scanning;
    if (this.rescanRequested) {
      this.rescanRequested = false;
      await this.scan();
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      void this.scan()
        .catch(() => undefined)
        .finally(() => this.schedule(this.settling.size ? (this.options.settleMs ?? 250) : (this.options.rescanMs ?? 5000)));
    }, delayMs);
  }

  private async scanOnce(): Promise<void> {
    const current = await this.snapshot();
    for (const [id, signature] of current) {
      if (this.known.get(id) === signature) {
        this.settling.delete(id);
        continue;
      }
      if (this.settling.get(id) !== signature) {
        this.settling.set(id, signature);
        continue;
      }
      this.settling.delete(id);
      this.known.set(id, signature);
      await this.report(id, 'created');
    }
    for (const id of [...this.known.keys()]) {
      if (current.has(id)) continue;
      this.known.delete(id);
      await this.report(id, 'removed');
    }
    for (const id of [...this.settling.keys()]) if (!current.has(id)) this.settling.delete(id);
  }

  private async report(id: string, kind: 'created' | 'removed'): Promise<void> {
    const [bucket, key] = id.split('\u0000') as [string, string];
    await this.options.onChange({ bucket, key, kind }).catch(() => undefined);
  }

  /** Every object file of every bucket, with its signature. */
  private async snapshot(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const buckets = await readdir(this.options.root, { withFileTypes: true }).catch(() => []);
    for (const bucket of buckets) {
      if (!bucket.isDirectory() || bucket.name.startsWith('.')) continue;
      await this.walk(join(this.options.root, bucket.name), bucket.name, '', out);
    }
    return out;
  }

  private async walk(dir: string, bucket: string, prefix: string, out: Map<string, string>): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        await this.walk(path, bucket, `${prefix}${entry.name}/`, out);
      } else if (entry.isFile()) {
        const info = await stat(path).catch(() => undefined);
        if (info) out.set(`${bucket}\u0000${prefix}${entry.name}`, signatureOf(info.size, info.mtimeMs));
      }
    }
  }
}
