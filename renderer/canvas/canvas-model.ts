import type { CanvasChange, CanvasNodeKind, CanvasState, LinkVerdict } from '../../electron/engine/contract.ts';

/** A node as the canvas draws it: from the template, or dropped and not saved yet. */
export interface ViewNode {
  id: string;
  kind: CanvasNodeKind;
  label: string;
  subtitle: string;
  virtual: boolean;
  pending: boolean;
  position: { x: number; y: number };
}

export interface ViewEdge {
  id: string;
  source: string;
  target: string;
  relation: 'trigger' | 'access';
  pending: boolean;
  eventName?: string;
}

/** A node dropped on the canvas that is not in the template yet. */
export interface PendingNode {
  id: string;
  kind: CanvasNodeKind;
  virtual: boolean;
  properties: Record<string, unknown>;
  position: { x: number; y: number };
}

export const KIND_LABELS: Record<CanvasNodeKind, string> = {
  'http-route': 'HTTP route',
  schedule: 'Schedule',
  queue: 'SQS queue',
  bucket: 'S3 bucket',
  topic: 'SNS topic',
  'event-rule': 'EventBridge bus',
  function: 'Function',
  table: 'DynamoDB table',
  stream: 'Kinesis stream',
};

const ID_BASES: Record<CanvasNodeKind, string> = {
  'http-route': 'Route',
  schedule: 'Schedule',
  queue: 'Queue',
  bucket: 'Bucket',
  topic: 'Topic',
  'event-rule': 'EventBus',
  function: 'Function',
  table: 'Table',
  stream: 'Stream',
};

/** `Queue1`, `Queue2`…: the first logical id (or, for routes and schedules, canvas id) not taken. */
export function nextNodeId(kind: CanvasNodeKind, taken: ReadonlySet<string>): string {
  const base = ID_BASES[kind];
  for (let n = 1; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}

/** Whether a wire from one node to another may be drawn, with the engine's reason when not. */
export function verdictFor(links: CanvasState['links'] | undefined, source: CanvasNodeKind | undefined, target: CanvasNodeKind | undefined): LinkVerdict {
  if (!links || !source || !target) return { ok: false, reason: 'Unknown node.' };
  return links[source][target];
}

export function pendingEdgesOf(changes: readonly CanvasChange[]): ViewEdge[] {
  return changes.flatMap((c) => (c.kind === 'link' ? [{ id: `pending:${c.source}->${c.target}`, source: c.source, target: c.target, relation: c.targetKind === 'function' ? ('trigger' as const) : ('access' as const), pending: true }] : []));
}

/** What the user asked for, in words, for the change inspector's list. */
export function describeChange(change: CanvasChange, labelOf: (id: string) => string): string {
  switch (change.kind) {
    case 'add-node':
      return `Add ${KIND_LABELS[change.nodeKind]} ${change.logicalId}`;
    case 'link':
      return change.targetKind === 'function'
        ? `${labelOf(change.source)} triggers ${labelOf(change.target)}`
        : `${labelOf(change.source)} gets ${change.access ?? 'access'} to ${labelOf(change.target)}`;
    case 'set-property':
      return `Set ${change.path.slice(1).join('.')} to ${JSON.stringify(change.value)}`;
    case 'remove':
      return `Remove ${change.path.slice(1).join('.')}`;
  }
}
