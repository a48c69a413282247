import type { ActivitySnapshot, InvocationRecord, LogLine, SandboxChange } from '../contract.ts';

export interface ActivityLimits {
  records: number;
  logs: number;
  sandboxChanges: number;
}

const DEFAULT_LIMITS: ActivityLimits = { records: 2000, logs: 5000, sandboxChanges: 4000 };

/**
 * The recent invocations, sandbox transitions and log lines of the open project, so a window
 * that opens (or reconnects) late still draws the whole timeline. Bounded: the oldest go first.
 */
export class ActivityLog {
  private records: InvocationRecord[] = [];
  private logs: LogLine[] = [];
  private sandboxChanges: SandboxChange[] = [];

  constructor(private readonly limits: ActivityLimits = DEFAULT_LIMITS) {}

  addRecord(record: InvocationRecord): void {
    this.records = bounded(this.records, record, this.limits.records);
  }

  addLog(line: LogLine): void {
    this.logs = bounded(this.logs, line, this.limits.logs);
  }

  addSandboxChange(change: SandboxChange): void {
    this.sandboxChanges = bounded(this.sandboxChanges, change, this.limits.sandboxChanges);
  }

  /** The kept records of one function, oldest first: what the simulator calibrates from. */
  recordsOf(functionName: string): InvocationRecord[] {
    return this.records.filter((r) => r.functionName === functionName);
  }

  snapshot(sandboxes: ActivitySnapshot['sandboxes']): ActivitySnapshot {
    return { records: [...this.records], logs: [...this.logs], sandboxChanges: [...this.sandboxChanges], sandboxes };
  }

  clear(): void {
    this.records = [];
    this.logs = [];
    this.sandboxChanges = [];
  }
}

function bounded<T>(list: T[], item: T, limit: number): T[] {
  list.push(item);
  // Trim in chunks so a full log does not copy the whole array on every line.
  return list.length > limit + limit / 4 ? list.slice(list.length - limit) : list;
}
