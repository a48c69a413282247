import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Clock } from '../../clock.ts';
import { SnapshotJournal } from '../stream-poller/snapshot-journal.ts';
import { compareValues, itemSize, keyText, valuesEqual, type Item } from './attribute-value.ts';
import { dynamoErrors } from './dynamodb-errors.ts';
import { keyNames, keyOfItem, primaryKeyText, streamViewType, type StreamViewType, type TableDefinition } from './table-definition.ts';

/** One change of an item as its table's stream holds it. */
export interface StreamChange {
  sequenceNumber: string;
  eventId: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  keys: Item;
  newImage?: Item;
  oldImage?: Item;
  /** Epoch ms. */
  at: number;
  sizeBytes: number;
  viewType: StreamViewType;
}

/** A write of one item: `item` null deletes it. */
export interface ItemWrite {
  table: string;
  key: Item;
  item: Item | null;
}

type JournalEntry =
  | { op: 'create'; table: TableDefinition }
  | { op: 'update'; table: TableDefinition }
  | { op: 'drop'; name: string }
  | { op: 'write'; writes: Array<{ table: string; key: Item; item: Item | null; change?: StreamChange }> };

interface Snapshot {
  nextSequence: string;
  tables: Array<{ definition: TableDefinition; items: Item[]; stream: StreamChange[] }>;
}

/** DynamoDB streams keep records for 24 hours. */
export const STREAM_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Journal lines after which the next write takes a snapshot. */
const COMPACT_AFTER_LINES = 5000;

export class TableData {
  /** Items by partition key text, then by full primary key text. */
  readonly partitions = new Map<string, Map<string, Item>>();
  stream: StreamChange[] = [];
  /** Stream records up to this index are on disk and may be read. */
  durableStream = 0;
  count = 0;

  constructor(public definition: TableDefinition) {}

  get keys() {
    return keyNames(this.definition.KeySchema);
  }

  get(key: Item): Item | undefined {
    return this.partitions.get(keyText(key[this.keys.hash]!))?.get(primaryKeyText(this.definition, key));
  }

  set(key: Item, item: Item | null): void {
    const hash = keyText(key[this.keys.hash]!);
    const id = primaryKeyText(this.definition, key);
    let partition = this.partitions.get(hash);
    if (item === null) {
      if (partition?.delete(id)) this.count--;
      if (partition?.size === 0) this.partitions.delete(hash);
      return;
    }
    if (!partition) this.partitions.set(hash, (partition = new Map()));
    if (!partition.has(id)) this.count++;
    partition.set(id, item);
  }

  /** Items of one partition, in sort key order. */
  partition(hash: Item[string]): Item[] {
    const items = [...(this.partitions.get(keyText(hash))?.values() ?? [])];
    const range = this.keys.range;
    if (range) items.sort((a, b) => compareValues(a[range]!, b[range]!) ?? 0);
    return items;
  }

  /** Every item: partitions in a stable order, each in sort key order (the order Scan pages through). */
  all(): Item[] {
    const hashes = [...this.partitions.keys()].sort();
    const range = this.keys.range;
    return hashes.flatMap((h) => {
      const items = [...this.partitions.get(h)!.values()];
      if (range) items.sort((a, b) => compareValues(a[range]!, b[range]!) ?? 0);
      return items;
    });
  }

  sizeBytes(): number {
    let total = 0;
    for (const partition of this.partitions.values()) for (const item of partition.values()) total += itemSize(item);
    return total;
  }
}

/**
 * Every table of the project, in memory, made durable by one snapshot-plus-journal under
 * `.lambdadesk/dynamodb/`: a write is acknowledged once its journal line is synced, and a write
 * of several items (a batch or a transaction) is one line, so a crash keeps all of it or none.
 * Stream records are written in the same line as the change they describe, and become readable
 * only once durable, so a poller never delivers a change that a crash could take back.
 */
export class TableStore {
  readonly events = new EventEmitter<{ 'stream:appended': [tableName: string] }>();
  private readonly tables = new Map<string, TableData>();
  private nextSequence = 100_000_000_000_000_000_000n;

  private constructor(
    private readonly journal: SnapshotJournal<Snapshot, JournalEntry>,
    private readonly clock: Clock,
  ) {}

  static async open(dir: string, clock: Clock): Promise<TableStore> {
    const { store, snapshot, entries } = await SnapshotJournal.load<Snapshot, JournalEntry>(dir);
    const tables = new TableStore(store, clock);
    if (snapshot) {
      tables.nextSequence = BigInt(snapshot.nextSequence);
      for (const saved of snapshot.tables) {
        const table = new TableData(saved.definition);
        for (const item of saved.items) table.set(keyOfItem(saved.definition, item), item);
        table.stream = saved.stream;
        tables.tables.set(saved.definition.TableName, table);
      }
    }
    for (const entry of entries) tables.apply(entry);
    for (const table of tables.tables.values()) table.durableStream = table.stream.length;
    return tables;
  }

  list(): TableDefinition[] {
    return [...this.tables.values()].map((t) => t.definition);
  }

  find(name: string): TableData | undefined {
    return this.tables.get(name);
  }

  require(name: string): TableData {
    const table = this.tables.get(name);
    if (!table) throw dynamoErrors.tableNotFound(name);
    return table;
  }

  async createTable(definition: TableDefinition): Promise<void> {
    if (this.tables.has(definition.TableName)) throw dynamoErrors.tableExists(definition.TableName);
    await this.commit({ op: 'create', table: definition });
  }

  async updateTable(definition: TableDefinition): Promise<void> {
    this.require(definition.TableName);
    await this.commit({ op: 'update', table: definition });
  }

  async deleteTable(name: string): Promise<TableDefinition> {
    const table = this.require(name);
    await this.commit({ op: 'drop', name });
    return table.definition;
  }

  /**
   * Applies item writes at once (the caller checked their conditions in the same turn of the
   * event loop) and resolves when they are durable. Returns the stream changes recorded.
   */
  async write(writes: ItemWrite[]): Promise<StreamChange[]> {
    const now = this.clock.now();
    const entry: JournalEntry = {
      op: 'write',
      writes: writes.map((w) => {
        const table = this.require(w.table);
        const old = table.get(w.key);
        return { table: w.table, key: w.key, item: w.item, change: this.change(table, w.key, old, w.item ?? undefined, now) };
      }),
    };
    await this.commit(entry);
    return entry.writes.flatMap((w) => (w.change ? [w.change] : []));
  }

  /** Stream records of a table that are durable, oldest first. */
  streamOf(name: string): StreamChange[] {
    const table = this.tables.get(name);
    return table ? table.stream.slice(0, table.durableStream) : [];
  }

  async close(): Promise<void> {
    await this.journal.close();
  }

  private change(table: TableData, key: Item, old: Item | undefined, next: Item | undefined, now: number): StreamChange | undefined {
    const viewType = streamViewType(table.definition);
    // DynamoDB Streams record only real changes: writing an item exactly as it was leaves no record.
    if (!viewType || (!old && !next) || (old && next && valuesEqual({ M: old }, { M: next }))) return undefined;
    const eventName = !old ? 'INSERT' : !next ? 'REMOVE' : 'MODIFY';
    const change: StreamChange = { sequenceNumber: (this.nextSequence++).toString(), eventId: randomBytes(16).toString('hex'), eventName, keys: key, at: now, sizeBytes: 0, viewType };
    if (next && (viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES')) change.newImage = next;
    if (old && (viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES')) change.oldImage = old;
    change.sizeBytes = itemSize(key) + (change.newImage ? itemSize(change.newImage) : 0) + (change.oldImage ? itemSize(change.oldImage) : 0);
    return change;
  }

  /** Applies an entry in memory, journals it, and makes its stream records readable once durable. */
  private async commit(entry: JournalEntry): Promise<void> {
    this.apply(entry);
    await this.journal.append(entry);
    if (entry.op === 'write') {
      const touched = new Set<string>();
      for (const w of entry.writes) {
        if (!w.change) continue;
        const table = this.tables.get(w.table);
        if (!table) continue;
        const index = table.stream.lastIndexOf(w.change);
        if (index >= 0) table.durableStream = Math.max(table.durableStream, index + 1);
        touched.add(w.table);
      }
      for (const name of touched) this.events.emit('stream:appended', name);
    }
    if (this.journal.journalLines >= COMPACT_AFTER_LINES) await this.journal.compact(this.snapshot());
  }

  private apply(entry: JournalEntry): void {
    switch (entry.op) {
      case 'create':
        this.tables.set(entry.table.TableName, new TableData(entry.table));
        return;
      case 'update': {
        const table = this.tables.get(entry.table.TableName);
        if (table) table.definition = entry.table;
        return;
      }
      case 'drop':
        this.tables.delete(entry.name);
        return;
      case 'write':
        for (const w of entry.writes) {
          const table = this.tables.get(w.table);
          if (!table) continue;
          table.set(w.key, w.item);
          if (w.change) {
            table.stream.push(w.change);
            const next = BigInt(w.change.sequenceNumber) + 1n;
            if (next > this.nextSequence) this.nextSequence = next;
          }
        }
    }
  }

  /** The whole database, with stream records past retention dropped. Synchronous: see SnapshotJournal.compact. */
  private snapshot(): Snapshot {
    const cutoff = this.clock.now() - STREAM_RETENTION_MS;
    const tables: Snapshot['tables'] = [];
    for (const table of this.tables.values()) {
      const kept = table.stream.findIndex((c) => c.at >= cutoff);
      const dropped = kept < 0 ? table.stream.length : kept;
      table.stream = table.stream.slice(dropped);
      table.durableStream = Math.max(0, table.durableStream - dropped);
      tables.push({ definition: table.definition, items: [...table.partitions.values()].flatMap((p) => [...p.values()]), stream: table.stream });
    }
    return { nextSequence: this.nextSequence.toString(), tables };
  }
}
