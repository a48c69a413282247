import type { InvocationRecord, SandboxChange, SandboxKind, SandboxState } from '../../electron/engine/contract.ts';

export interface LaneSegment {
  state: Exclude<SandboxState, 'stopped'>;
  from: number;
  to: number;
}

export interface SandboxLane {
  sandboxId: string;
  kind: SandboxKind;
  segments: LaneSegment[];
  /** When the sandbox's first request started: the cold start, marked on the lane. */
  coldStarts: number[];
  stoppedAt?: number;
  invocations: InvocationRecord[];
}

export interface FunctionLanes {
  functionName: string;
  lanes: SandboxLane[];
  invocations: number;
  coldStarts: number;
}

/**
 * One lane per sandbox, grouped by function: each state holds from its transition until the
 * next one (or `now` while the sandbox lives). Records without transitions (trimmed from the
 * log) still show as busy spans, so nothing invoked is missing from the picture.
 */
export function buildLanes(changes: readonly SandboxChange[], records: readonly InvocationRecord[], now: number): FunctionLanes[] {
  const lanes = new Map<string, SandboxLane & { functionName: string; lastState?: SandboxState; lastAt?: number }>();
  const laneOf = (sandboxId: string, functionName: string, kind: SandboxKind) => {
    let lane = lanes.get(sandboxId);
    if (!lane) {
      lane = { sandboxId, functionName, kind, segments: [], coldStarts: [], invocations: [] };
      lanes.set(sandboxId, lane);
    }
    return lane;
  };
  for (const change of [...changes].sort((a, b) => a.at - b.at)) {
    const lane = laneOf(change.sandbox.id, change.sandbox.functionName, change.sandbox.kind);
    close(lane, change.at);
    lane.lastState = change.sandbox.state;
    lane.lastAt = change.at;
    if (change.sandbox.state === 'stopped') lane.stoppedAt = change.at;
  }
  for (const lane of lanes.values()) close(lane, now);
  for (const record of records) {
    const known = lanes.has(record.sandboxId);
    const lane = laneOf(record.sandboxId, record.functionName, record.sandboxKind);
    lane.invocations.push(record);
    if (record.cold) lane.coldStarts.push(record.startedAt);
    if (!known || lane.segments.length === 0) lane.segments.push({ state: 'busy', from: record.startedAt, to: record.endedAt });
  }
  const byFunction = new Map<string, FunctionLanes>();
  for (const lane of lanes.values()) {
    let group = byFunction.get(lane.functionName);
    if (!group) {
      group = { functionName: lane.functionName, lanes: [], invocations: 0, coldStarts: 0 };
      byFunction.set(lane.functionName, group);
    }
    const { functionName: _f, lastState: _s, lastAt: _a, ...plain } = lane;
    group.lanes.push(plain);
    group.invocations += lane.invocations.length;
    group.coldStarts += lane.coldStarts.length;
  }
  for (const group of byFunction.values()) group.lanes.sort((a, b) => firstAt(a) - firstAt(b));
  return [...byFunction.values()].sort((a, b) => a.functionName.localeCompare(b.functionName));
}

function close(lane: { segments: LaneSegment[]; lastState?: SandboxState; lastAt?: number }, at: number): void {
  if (lane.lastState && lane.lastState !== 'stopped' && lane.lastAt !== undefined && at > lane.lastAt) {
    lane.segments.push({ state: lane.lastState, from: lane.lastAt, to: at });
  }
  lane.lastAt = at;
}

function firstAt(lane: SandboxLane): number {
  return lane.segments[0]?.from ?? lane.coldStarts[0] ?? 0;
}

/** The span the timeline draws: everything seen, at least MIN_MS wide, ending now. */
export function timeWindow(groups: readonly FunctionLanes[], now: number, minMs = 10_000): { from: number; to: number } {
  let from = now;
  for (const group of groups) for (const lane of group.lanes) from = Math.min(from, firstAt(lane) || now);
  return { from: Math.min(from, now - minMs), to: now };
}
