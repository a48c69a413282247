import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../atomic-write.ts';
import { compareSequence } from './stream-source.ts';

interface CheckpointFile {
  streamArn: string;
  parallelizationFactor: number;
  /** `<shardId>#<slot>` → the last sequence number done with; `''` means nothing yet (read from the start). */
  positions: Record<string, string>;
}

/** Where each virtual shard of one mapping is; a checkpoint is written before the poller moves on. */
export class CheckpointStore {
  private state: CheckpointFile;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;
  /** False when this mapping has never run: StartingPosition applies to the shards it finds. */
  readonly existed: boolean;

  private constructor(
    private readonly path: string,
    state: CheckpointFile,
    existed: boolean,
  ) {
    this.state = state;
    this.existed = existed;
  }

  /**
   * Loads a mapping's checkpoints. A different stream starts over; a different
   * ParallelizationFactor starts each new virtual shard at the lowest checkpoint of its shard,
   * so nothing is skipped (some records may be delivered again, in order).
   */
  static async open(dir: string, mappingId: string, streamArn: string, parallelizationFactor: number): Promise<CheckpointStore> {
    const path = join(dir, `${encodeURIComponent(mappingId)}.json`);
    const saved = await readFile(path, 'utf8').then(
      (text) => JSON.parse(text) as CheckpointFile,
      () => undefined,
    );
    if (!saved || saved.streamArn !== streamArn) return new CheckpointStore(path, { streamArn, parallelizationFactor, positions: {} }, false);
    if (saved.parallelizationFactor === parallelizationFactor) return new CheckpointStore(path, saved, true);
    const lowest = new Map<string, string>();
    for (const [key, seq] of Object.entries(saved.positions)) {
      const shard = key.slice(0, key.lastIndexOf('#'));
      const known = lowest.get(shard);
      if (known === undefined || seq === '' || (known !== '' && compareSequence(seq, known) < 0)) lowest.set(shard, seq);
    }
    const positions: Record<string, string> = {};
    for (const [shard, seq] of lowest) for (let slot = 0; slot < parallelizationFactor; slot++) positions[`${shard}#${slot}`] = seq;
    return new CheckpointStore(path, { streamArn, parallelizationFactor, positions }, true);
  }

  /** The last sequence done with; `''` for "from the start", undefined for a shard never seen. */
  get(shardId: string, slot: number): string | undefined {
    return this.state.positions[`${shardId}#${slot}`];
  }

  /** Records a position; resolves once it (or a later state) is on disk. */
  set(shardId: string, slot: number, sequence: string): Promise<void> {
    this.state.positions[`${shardId}#${slot}`] = sequence;
    return this.save();
  }

  /** Writes the current state; writes queued meanwhile collapse into one. */
  save(): Promise<void> {
    this.dirty = true;
    this.writing = this.writing.catch(() => undefined).then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      await writeFileAtomic(this.path, JSON.stringify(this.state));
    });
    return this.writing;
  }

  snapshot(): Record<string, string> {
    return { ...this.state.positions };
  }
}
