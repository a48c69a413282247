import { EventEmitter } from 'node:events';
import type { Clock } from '../../clock.ts';
import { SnapshotJournal } from '../stream-poller/snapshot-journal.ts';
import { evenRanges, hashKeyOf, inRange } from './shard-hash.ts';

export interface ShardDefinition {
  shardId: string;
  /** Decimal strings: the shard's part of the 128-bit hash key space. */
  startingHashKey: string;
  endingHashKey: string;
}

export interface StreamDefinition {
  name: string;
  shards: ShardDefinition[];
  retentionHours: number;
  /** Epoch ms. */
  createdAt: number;
  mode: 'PROVISIONED' | 'ON_DEMAND';
  logicalId?: string;
}

export interface KinesisRecord {
  sequenceNumber: string;
  partitionKey: string;
  /** Base64, as the API carries it. */
  data: string;
  /** Epoch ms. */
  at: number;
}

export interface RecordInput {
  partitionKey: string;
  data: string;
  explicitHashKey?: string;
}

type JournalEntry =
  | { op: 'create'; stream: StreamDefinition }
  | { op: 'drop'; name: string }
  | { op: 'put'; stream: string; records: Array<KinesisRecord & { shardId: string }> };

interface Snapshot {
  streams: Array<{ definition: StreamDefinition; shards: Record<string, { next: string; records: KinesisRecord[] }> }>;
}

const COMPACT_AFTER_LINES = 5000;

class ShardData {
  records: KinesisRecord[] = [];
  durable = 0;
  next = 1n;
  constructor(
    readonly definition: ShardDefinition,
    readonly index: number,
  ) {}

  /** 56 digits, as Kinesis' are: `49`, the shard's index, then a counter that only grows. */
  sequence(counter: bigint): string {
    return `49${String(this.index).padStart(4, '0')}${counter.toString().padStart(50, '0')}`;
  }
}

export class StreamData {
  readonly shards = new Map<string, ShardData>();
  constructor(readonly definition: StreamDefinition) {
    definition.shards.forEach((shard, i) => this.shards.set(shard.shardId, new ShardData(shard, i)));
  }
  shardFor(partitionKey: string, explicitHashKey?: string): ShardData {
    const hash = hashKeyOf(partitionKey, explicitHashKey);
    for (const shard of this.shards.values()) if (inRange(hash, { start: BigInt(shard.definition.startingHashKey), end: BigInt(shard.definition.endingHashKey) })) return shard;
    return [...this.shards.values()].at(-1)!;
  }
}

/** Shards named and hash ranges split as CreateStream does. */
export function newStreamDefinition(name: string, shardCount: number, createdAt: number, options: Partial<Pick<StreamDefinition, 'retentionHours' | 'mode' | 'logicalId'>> = {}): StreamDefinition {
  return {
    name,
    shards: evenRanges(shardCount).map((range, i) => ({ shardId: `shardId-${String(i).padStart(12, '0')}`, startingHashKey: range.start.toString(), endingHashKey: range.end.toString() })),
    retentionHours: options.retentionHours ?? 24,
    createdAt,
    mode: options.mode ?? 'PROVISIONED',
    ...(options.logicalId ? { logicalId: options.logicalId } : {}),
  };
}

/**
 * Every Kinesis stream of the project, in memory, made durable by a snapshot-plus-journal under
 * `.lambdadesk/kinesis/`: PutRecord(s) answers once its records are synced (all records of one
 * PutRecords in one journal line), and records become readable only then, so nothing a poller
 * delivered can be taken back by a crash. Records older than the stream's retention are dropped
 * at the next snapshot.
 */
export class KinesisStore {
  readonly events = new EventEmitter<{ 'records:appended': [stream: string, shardId: string] }>();
  private readonly streams = new Map<string, StreamData>();

  private constructor(
    private readonly journal: SnapshotJournal<Snapshot, JournalEntry>,
    private readonly clock: Clock,
  ) {}

  static async open(dir: string, clock: Clock): Promise<KinesisStore> {
    const { store, snapshot, entries } = await SnapshotJournal.load<Snapshot, JournalEntry>(dir);
    const kinesis = new KinesisStore(store, clock);
    for (const saved of snapshot?.streams ?? []) {
      const stream = new StreamData(saved.definition);
      for (const [shardId, data] of Object.entries(saved.shards)) {
        const shard = stream.shards.get(shardId);
        if (!shard) continue;
        shard.records = data.records;
        shard.next = BigInt(data.next);
      }
      kinesis.streams.set(saved.definition.name, stream);
    }
    for (const entry of entries) kinesis.apply(entry);
    for (const stream of kinesis.streams.values()) for (const shard of stream.shards.values()) shard.durable = shard.records.length;
    return kinesis;
  }

  list(): StreamDefinition[] {
    return [...this.streams.values()].map((s) => s.definition);
  }

  find(name: string): StreamData | undefined {
    return this.streams.get(name);
  }

  async create(definition: StreamDefinition): Promise<void> {
    await this.commit({ op: 'create', stream: definition });
  }

  async drop(name: string): Promise<void> {
    await this.commit({ op: 'drop', name });
  }

  /** Appends records (one PutRecords) and resolves with where each went, once they are durable. */
  async put(name: string, inputs: RecordInput[]): Promise<Array<{ shardId: string; sequenceNumber: string }>> {
    const stream = this.streams.get(name);
    if (!stream) throw new Error(`No stream ${name}.`);
    const at = this.clock.now();
    const records = inputs.map((input) => {
      const shard = stream.shardFor(input.partitionKey, input.explicitHashKey);
      const sequenceNumber = shard.sequence(shard.next++);
      return { shardId: shard.definition.shardId, sequenceNumber, partitionKey: input.partitionKey, data: input.data, at };
    });
    await this.commit({ op: 'put', stream: name, records });
    return records.map((r) => ({ shardId: r.shardId, sequenceNumber: r.sequenceNumber }));
  }

  /** Durable records of a shard, oldest first. */
  records(name: string, shardId: string): KinesisRecord[] {
    const shard = this.streams.get(name)?.shards.get(shardId);
    return shard ? shard.records.slice(0, shard.durable) : [];
  }

  async close(): Promise<void> {
    await this.journal.close();
  }

  private async commit(entry: JournalEntry): Promise<void> {
    this.apply(entry, true);
    await this.journal.append(entry);
    if (entry.op === 'put') {
      const stream = this.streams.get(entry.stream);
      const touched = new Set<string>();
      for (const record of entry.records) {
        const shard = stream?.shards.get(record.shardId);
        if (!shard) continue;
        // The record is near the end: look from there.
        let index = shard.records.length - 1;
        while (index >= 0 && shard.records[index]!.sequenceNumber !== record.sequenceNumber) index--;
        if (index >= 0) shard.durable = Math.max(shard.durable, index + 1);
        touched.add(record.shardId);
      }
      for (const shardId of touched) this.events.emit('records:appended', entry.stream, shardId);
    }
    if (this.journal.journalLines >= COMPACT_AFTER_LINES) await this.journal.compact(this.snapshot());
  }

  private apply(entry: JournalEntry, live = false): void {
    switch (entry.op) {
      case 'create':
        this.streams.set(entry.stream.name, new StreamData(entry.stream));
        return;
      case 'drop':
        this.streams.delete(entry.name);
        return;
      case 'put': {
        const stream = this.streams.get(entry.stream);
        for (const { shardId, ...record } of entry.records) {
          const shard = stream?.shards.get(shardId);
          if (!shard) continue;
          shard.records.push(record);
          // Replaying the journal: the counter resumes after the last sequence number handed out.
          if (!live) shard.next = BigInt(record.sequenceNumber.slice(6)) + 1n;
        }
      }
    }
  }

  private snapshot(): Snapshot {
    const now = this.clock.now();
    return {
      streams: [...this.streams.values()].map((stream) => {
        const cutoff = now - stream.definition.retentionHours * 3_600_000;
        const shards: Snapshot['streams'][number]['shards'] = {};
        for (const [shardId, shard] of stream.shards) {
          const kept = shard.records.findIndex((r) => r.at >= cutoff);
          const dropped = kept < 0 ? shard.records.length : kept;
          shard.records = shard.records.slice(dropped);
          shard.durable = Math.max(0, shard.durable - dropped);
          shards[shardId] = { next: shard.next.toString(), records: shard.records };
        }
        return { definition: stream.definition, shards };
      }),
    };
  }
}
