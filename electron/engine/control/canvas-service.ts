import { join } from 'node:path';
import type { CanvasNodeKind, CanvasState, ChangePreview, CanvasChange, LinkVerdict, ProjectModel } from '../contract.ts';
import { CanvasLayoutStore } from '../project/canvas-layout-store.ts';
import { canLink, PALETTE } from '../project/link-rules.ts';
import { loadProject } from '../project/load-project.ts';
import { getIn, isPlainObject } from '../project/plain-edits.ts';
import { projectGraph } from '../project/project-graph.ts';
import { TemplateEditor } from '../project/template-editor.ts';
import { templateValue } from '../project/template-edits.ts';
import { toTemplateEdits } from './canvas-changes.ts';

const KINDS: CanvasNodeKind[] = ['http-route', 'schedule', 'queue', 'bucket', 'topic', 'event-rule', 'function', 'table', 'stream'];

/** The engine's link rules as a table, so the canvas can refuse a wire while it is being drawn. */
export function linkMatrix(): CanvasState['links'] {
  const matrix = {} as Record<CanvasNodeKind, Record<CanvasNodeKind, LinkVerdict>>;
  for (const source of KINDS) {
    matrix[source] = {} as Record<CanvasNodeKind, LinkVerdict>;
    for (const target of KINDS) matrix[source][target] = canLink(source, target);
  }
  return matrix;
}

/**
 * The canvas of one project: its graph and layout, and every template change previewed as a
 * diff before it is written (atomically, with undo and redo) by the project's TemplateEditor.
 */
export class CanvasService {
  private readonly editor: TemplateEditor;
  private readonly layout: CanvasLayoutStore;

  constructor(
    private readonly model: () => ProjectModel,
    /** Reloads the engine after a write, so the new function or trigger runs at once. */
    private readonly reloaded: () => Promise<void>,
  ) {
    const { templatePath, dir } = model();
    const stateDir = join(dir, '.lambdadesk');
    this.editor = new TemplateEditor({ templatePath, stateDir });
    this.layout = new CanvasLayoutStore(stateDir);
  }

  async state(): Promise<CanvasState> {
    const model = this.model();
    const [loaded, version, positions, history] = await Promise.all([
      loadProject(model.dir, { parameterOverrides: model.parameters }),
      this.editor.read(),
      this.layout.load(),
      this.editor.historyCounts(),
    ]);
    const graph = projectGraph(loaded);
    const fileName = model.templatePath.split(/[\\/]/).pop() ?? 'template.yaml';
    const template = templateValue(version.text, fileName);
    const properties: CanvasState['properties'] = {};
    for (const node of graph.nodes) {
      const path = node.eventOf
        ? ['Resources', node.eventOf.functionId, 'Properties', 'Events', node.eventOf.eventName, 'Properties']
        : ['Resources', node.id, 'Properties'];
      const value = getIn(template, path);
      properties[node.id] = isPlainObject(value) ? value : {};
    }
    return {
      nodes: graph.nodes,
      edges: graph.edges,
      positions,
      palette: PALETTE.map((p) => ({ ...p })),
      links: linkMatrix(),
      properties,
      templateHash: version.hash,
      fileName,
      history,
    };
  }

  async preview(changes: CanvasChange[]): Promise<ChangePreview> {
    const preview = await this.editor.preview(toTemplateEdits(changes));
    return { diff: preview.diff, changed: preview.changed, baseHash: preview.baseHash, warnings: preview.warnings };
  }

  async apply(changes: CanvasChange[], baseHash: string): Promise<CanvasState> {
    await this.editor.apply(toTemplateEdits(changes), baseHash);
    await this.reloaded();
    return this.state();
  }

  async undo(): Promise<CanvasState> {
    await this.editor.undo();
    await this.reloaded();
    return this.state();
  }

  async redo(): Promise<CanvasState> {
    await this.editor.redo();
    await this.reloaded();
    return this.state();
  }

  saveLayout(positions: Record<string, { x: number; y: number }>): Promise<void> {
    return this.layout.save(positions);
  }
}
