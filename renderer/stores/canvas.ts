import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { CanvasChange, CanvasNodeKind, CanvasState, ChangePreview, FieldProblemReply, TemplatePath } from '../../electron/engine/contract.ts';
import { BackendError, messageOf, useBackend } from '../backend/backend.ts';
import { autoLayout } from '../canvas/auto-layout.ts';
import { KIND_LABELS, nextNodeId, pendingEdgesOf, verdictFor, type PendingNode, type ViewEdge, type ViewNode } from '../canvas/canvas-model.ts';

const NODE_W = 240;
const NODE_H = 80;

/** The first place at or below `wanted` where a new node does not cover another. */
export function freeSpot(wanted: { x: number; y: number }, taken: Record<string, { x: number; y: number }>): { x: number; y: number } {
  const spot = { ...wanted };
  const occupied = Object.values(taken);
  while (occupied.some((p) => Math.abs(p.x - spot.x) < NODE_W && Math.abs(p.y - spot.y) < NODE_H)) spot.y += NODE_H + 16;
  return spot;
}

export type Selection = { type: 'node'; id: string } | { type: 'edge'; id: string } | undefined;

/**
 * The canvas: the template's graph from the engine plus the user's pending changes. Nothing is
 * written until the change inspector's diff is accepted; the engine previews and applies.
 */
export const useCanvasStore = defineStore('canvas', () => {
  const backend = useBackend();
  const state = shallowRef<CanvasState>();
  const pendingNodes = ref<PendingNode[]>([]);
  const changes = ref<CanvasChange[]>([]);
  const preview = shallowRef<ChangePreview>();
  const problems = shallowRef<FieldProblemReply[]>([]);
  const error = ref<string>();
  const notice = ref<string>();
  const busy = ref(false);
  const selection = ref<Selection>();
  const positions = ref<Record<string, { x: number; y: number }>>({});

  // Another project: nothing of this one's canvas carries over.
  backend.onEvent((event) => {
    if (event.type !== 'project:changed' || event.payload.status !== 'opening') return;
    discard();
    state.value = undefined;
    positions.value = {};
    selection.value = undefined;
  });

  async function load(): Promise<void> {
    try {
      setState(await backend.call('canvas:get', {}));
      error.value = undefined;
    } catch (err) {
      error.value = messageOf(err);
    }
  }

  function setState(next: CanvasState): void {
    state.value = next;
    const merged = { ...next.positions };
    const missing = next.nodes.filter((n) => !merged[n.id]);
    if (missing.length > 0) {
      const laid = autoLayout(next.nodes, next.edges);
      const first = Object.keys(next.positions).length === 0;
      for (const node of missing) {
        // Where the user dropped it (the layout file may not have it yet), else a free spot near its column.
        const laidAt = laid[node.id] ?? { x: 0, y: 0 };
        merged[node.id] = positions.value[node.id] ?? (first ? laidAt : freeSpot(laidAt, merged));
      }
      void backend.call('canvas:layout', { positions: merged }).catch(() => undefined);
    }
    positions.value = merged;
  }

  const labelOf = (id: string): string => state.value?.nodes.find((n) => n.id === id)?.label ?? id;
  const kindOf = (id: string): CanvasNodeKind | undefined => state.value?.nodes.find((n) => n.id === id)?.kind ?? pendingNodes.value.find((n) => n.id === id)?.kind;

  const nodes = computed<ViewNode[]>(() => {
    const saved = (state.value?.nodes ?? []).map((n) => ({
      id: n.id,
      kind: n.kind,
      label: n.label,
      subtitle: n.virtual ? `${KIND_LABELS[n.kind]} of ${n.eventOf?.functionId ?? ''}` : n.resourceType,
      virtual: n.virtual,
      pending: false,
      position: positions.value[n.id] ?? { x: 0, y: 0 },
    }));
    const added = pendingNodes.value.map((n) => ({ id: n.id, kind: n.kind, label: pendingLabel(n), subtitle: `${KIND_LABELS[n.kind]} · not saved`, virtual: n.virtual, pending: true, position: n.position }));
    return [...saved, ...added];
  });

  const edges = computed<ViewEdge[]>(() => [
    ...(state.value?.edges ?? []).map((e) => ({ id: e.id, source: e.source, target: e.target, relation: e.relation, pending: false, eventName: e.eventName })),
    ...pendingEdgesOf(changes.value),
  ]);

  function pendingLabel(node: PendingNode): string {
    if (node.kind === 'http-route') return `${String(node.properties.Method ?? 'GET')} ${String(node.properties.Path ?? '/')}`;
    if (node.kind === 'schedule') return String(node.properties.Schedule ?? 'rate(5 minutes)');
    return node.id;
  }

  /** A palette item dropped at a position: a new resource (or a virtual route or schedule). */
  function drop(kind: CanvasNodeKind, position: { x: number; y: number }): string | undefined {
    const entry = state.value?.palette.find((p) => p.kind === kind);
    if (!entry) return undefined;
    const taken = new Set([...(state.value?.nodes.map((n) => n.id) ?? []), ...pendingNodes.value.map((n) => n.id)]);
    const id = nextNodeId(kind, taken);
    pendingNodes.value = [...pendingNodes.value, { id, kind, virtual: entry.virtual, properties: entry.virtual ? { ...entry.defaults } : {}, position }];
    if (!entry.virtual) add({ kind: 'add-node', nodeKind: kind, logicalId: id });
    else notice.value = `${entry.label} added to the canvas: connect it to a function to add it to the template.`;
    selection.value = { type: 'node', id };
    return id;
  }

  /** Why a wire may not be drawn, or undefined when it may. */
  function linkProblem(source: string, target: string): string | undefined {
    if (source === target) return 'A node cannot be linked to itself.';
    const verdict = verdictFor(state.value?.links, kindOf(source), kindOf(target));
    if (!verdict.ok) return verdict.reason;
    if (edges.value.some((e) => e.source === source && e.target === target)) return 'These two are linked already.';
    return undefined;
  }

  function link(source: string, target: string): boolean {
    const problem = linkProblem(source, target);
    if (problem) {
      flash(problem, 8000);
      return false;
    }
    const pendingSource = pendingNodes.value.find((n) => n.id === source);
    const sourceKind = kindOf(source)!;
    const targetKind = kindOf(target)!;
    add({ kind: 'link', source, sourceKind, target, targetKind, ...(pendingSource?.virtual ? { eventProperties: { ...pendingSource.properties } } : {}) });
    notice.value = undefined;
    return true;
  }

  function setProperty(path: TemplatePath, value: unknown): void {
    // A newer value for the same field replaces the older one, so the diff shows one change.
    changes.value = [...changes.value.filter((c) => !(c.kind === 'set-property' && c.path.join('\u0000') === path.join('\u0000'))), { kind: 'set-property', path, value }];
    void refreshPreview();
  }

  /** A pending route's or schedule's properties, carried into the link that adds its event. */
  function setPendingProperty(id: string, key: string, value: unknown): void {
    pendingNodes.value = pendingNodes.value.map((n) => (n.id === id ? { ...n, properties: { ...n.properties, [key]: value } } : n));
    changes.value = changes.value.map((c) => (c.kind === 'link' && c.source === id ? { ...c, eventProperties: { ...(c.eventProperties ?? {}), [key]: value } } : c));
    if (changes.value.some((c) => c.kind === 'link' && c.source === id)) void refreshPreview();
  }

  function add(change: CanvasChange): void {
    changes.value = [...changes.value, change];
    void refreshPreview();
  }

  async function refreshPreview(): Promise<void> {
    if (changes.value.length === 0) {
      preview.value = undefined;
      problems.value = [];
      return;
    }
    try {
      preview.value = await backend.call('canvas:preview', { changes: changes.value });
      problems.value = [];
      error.value = undefined;
    } catch (err) {
      preview.value = undefined;
      problems.value = err instanceof BackendError ? (err.problems ?? []) : [];
      error.value = messageOf(err);
    }
  }

  function discard(): void {
    changes.value = [];
    pendingNodes.value = [];
    preview.value = undefined;
    problems.value = [];
    error.value = undefined;
    notice.value = undefined;
  }

  async function save(): Promise<boolean> {
    if (!preview.value || busy.value) return false;
    busy.value = true;
    try {
      const placed = Object.fromEntries(pendingNodes.value.filter((n) => !n.virtual).map((n) => [n.id, n.position]));
      const next = await backend.call('canvas:apply', { changes: changes.value, baseHash: preview.value.baseHash });
      discard();
      setState({ ...next, positions: { ...next.positions, ...placed } });
      await saveLayout();
      flash('Saved. The engine reloaded the template.');
      return true;
    } catch (err) {
      error.value = messageOf(err);
      return false;
    } finally {
      busy.value = false;
    }
  }

  let noticeTimer: ReturnType<typeof setTimeout> | undefined;
  /** A notice that goes away by itself: it reports, it does not ask. */
  function flash(text: string, ms = 4000): void {
    notice.value = text;
    if (noticeTimer) clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => {
      if (notice.value === text) notice.value = undefined;
    }, ms);
  }

  async function history(channel: 'canvas:undo' | 'canvas:redo'): Promise<void> {
    try {
      setState(await backend.call(channel, {}));
      error.value = undefined;
    } catch (err) {
      error.value = messageOf(err);
    }
  }

  function move(id: string, position: { x: number; y: number }): void {
    const pending = pendingNodes.value.find((n) => n.id === id);
    if (pending) pending.position = position;
    else positions.value = { ...positions.value, [id]: position };
  }

  function saveLayout(): Promise<void> {
    const saved = new Set(state.value?.nodes.map((n) => n.id));
    const kept = Object.fromEntries(Object.entries(positions.value).filter(([id]) => saved.has(id)));
    return backend.call('canvas:layout', { positions: kept }).catch((err: unknown) => void (error.value = messageOf(err)));
  }

  async function arrange(): Promise<void> {
    positions.value = autoLayout(nodes.value, edges.value);
    await saveLayout();
  }

  return {
    state,
    nodes,
    edges,
    changes,
    pendingNodes,
    preview,
    problems,
    error,
    notice,
    flash,
    busy,
    selection,
    positions,
    load,
    drop,
    link,
    linkProblem,
    setProperty,
    setPendingProperty,
    discard,
    save,
    undo: () => history('canvas:undo'),
    redo: () => history('canvas:redo'),
    move,
    saveLayout,
    arrange,
    labelOf,
    kindOf,
  };
});
