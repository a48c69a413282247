export interface LayoutNode {
  id: string;
  kind: string;
}

export interface LayoutEdge {
  source: string;
  target: string;
  relation: 'trigger' | 'access';
}

export const COLUMN_GAP = 320;
export const ROW_GAP = 96;

/**
 * Three columns, read left to right like the wires: what triggers, the functions, what they use.
 * Functions keep their order; each source sits in the row of the first function it triggers, and
 * each used resource next to the first function using it, so most wires stay short and level.
 */
export function autoLayout(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): Record<string, { x: number; y: number }> {
  const functions = nodes.filter((n) => n.kind === 'function');
  const rowOf = new Map(functions.map((fn, i) => [fn.id, i]));
  const triggers = new Set(edges.filter((e) => e.relation === 'trigger').map((e) => e.source));
  const firstRow = (id: string, side: 'source' | 'target'): number => {
    let best = Number.POSITIVE_INFINITY;
    for (const e of edges) {
      const other = side === 'source' ? (e.source === id ? e.target : undefined) : e.target === id ? e.source : undefined;
      const row = other === undefined ? undefined : rowOf.get(other);
      if (row !== undefined && row < best) best = row;
    }
    return best;
  };
  const sources = nodes.filter((n) => n.kind !== 'function' && (triggers.has(n.id) || !edges.some((e) => e.target === n.id)));
  const used = nodes.filter((n) => n.kind !== 'function' && !sources.includes(n));
  const positions: Record<string, { x: number; y: number }> = {};
  const place = (column: LayoutNode[], x: number, rank: (n: LayoutNode) => number): void => {
    const sorted = [...column].sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id));
    let lastY = -ROW_GAP;
    for (const node of sorted) {
      const wanted = Number.isFinite(rank(node)) ? rank(node) * ROW_GAP : lastY + ROW_GAP;
      const y = Math.max(wanted, lastY + ROW_GAP);
      positions[node.id] = { x, y };
      lastY = y;
    }
  };
  place(functions, COLUMN_GAP, (n) => rowOf.get(n.id) ?? 0);
  place(sources, 0, (n) => firstRow(n.id, 'source'));
  place(used, COLUMN_GAP * 2, (n) => firstRow(n.id, 'target'));
  return positions;
}
