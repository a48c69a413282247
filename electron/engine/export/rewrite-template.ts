import { type Document, isMap, isScalar, type Pair, Scalar, stringify, type YAMLMap } from 'yaml';
import { parseTemplate } from './cfn-yaml.ts';

/**
 * Writes OUT/template.yaml: the original template with every packaged function's `CodeUri` and
 * layer's `ContentUri` pointing at its zip. The edits are spliced into the source text, so every
 * other byte (comments, blank lines, quoting, short-form intrinsics) stays as the author wrote it;
 * only shapes the splicer does not handle (flow-style maps, JSON templates, tagged values) fall
 * back to printing the parsed Document, which still keeps comments and tags.
 */

export interface TemplateRewrite {
  /** Function logical id → zip path relative to the output template. */
  codeUris: Record<string, string>;
  /** Layer logical id → zip path relative to the output template. */
  contentUris: Record<string, string>;
  /** Variables `sam build` adds to a function (NODE_OPTIONS for esbuild source maps). */
  addedEnvironment: Record<string, Record<string, string>>;
}

type Path = readonly string[];

/** Every edit the rewrite makes, in terms of paths; applied to either printer. */
interface Changes {
  set: { path: Path; value: string }[];
  /** Keys to remove from the map at `map`; a map left empty is removed with them. */
  remove: { map: Path; keys: string[] }[];
}

export function rewriteTemplate(text: string, rewrite: TemplateRewrite): string {
  const doc = parseTemplate(text);
  if (doc.errors.length > 0) throw doc.errors[0]!;
  const changes = plan(rewrite);
  try {
    return spliceSource(text, doc, changes);
  } catch (err) {
    if (!(err instanceof NotSpliceable)) throw err;
    return reprint(doc, changes, text);
  }
}

function plan(rewrite: TemplateRewrite): Changes {
  const changes: Changes = { set: [], remove: [] };
  // The code is built already: a BuildMethod left behind would make `sam build` rebuild a zip.
  const dropBuild = (logicalId: string): void => void changes.remove.push({ map: ['Resources', logicalId, 'Metadata'], keys: ['BuildMethod', 'BuildProperties'] });
  for (const [logicalId, zip] of Object.entries(rewrite.codeUris)) {
    changes.set.push({ path: ['Resources', logicalId, 'Properties', 'CodeUri'], value: zip });
    dropBuild(logicalId);
  }
  for (const [logicalId, zip] of Object.entries(rewrite.contentUris)) {
    changes.set.push({ path: ['Resources', logicalId, 'Properties', 'ContentUri'], value: zip });
    dropBuild(logicalId);
  }
  for (const [logicalId, variables] of Object.entries(rewrite.addedEnvironment)) {
    for (const [name, value] of Object.entries(variables)) {
      changes.set.push({ path: ['Resources', logicalId, 'Properties', 'Environment', 'Variables', name], value });
    }
  }
  // Each function now names its own zip; a folder left in Globals would point at nothing.
  if (Object.keys(rewrite.codeUris).length > 0) changes.remove.push({ map: ['Globals', 'Function'], keys: ['CodeUri'] });
  return changes;
}

class NotSpliceable extends Error {}

interface Edit {
  start: number;
  end: number;
  text: string;
  /** Column of inserted keys: at one offset, outer keys go after inner ones. */
  column: number;
}

function spliceSource(text: string, doc: Document, changes: Changes): string {
  const edits: Edit[] = [];
  const inserts = new Map<YAMLMap, Map<string, InsertTree>>();
  const unit = indentUnitOf(text);
  const lineStart = (offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = (offset: number): number => {
    if (offset > 0 && text[offset - 1] === '\n') return offset;
    const newline = text.indexOf('\n', offset);
    return newline < 0 ? text.length : newline + 1;
  };
  const blockMapAt = (path: Path): YAMLMap | undefined => {
    const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
    if (node === undefined || node === null) return undefined;
    if (!isMap(node) || node.flow || node.tag) throw new NotSpliceable();
    return node;
  };
  const pairIn = (map: YAMLMap, key: string): Pair | undefined => map.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === key);
  const keyStart = (pair: Pair): number => {
    const start = (pair.key as Scalar).range?.[0];
    if (start === undefined || text.slice(lineStart(start), start).trim() !== '') throw new NotSpliceable(); // `- key:` or `{ key`
    return start;
  };
  const pairEnd = (pair: Pair): number => lineEnd(((pair.value as Scalar | null)?.range ?? (pair.key as Scalar).range!)[1]);

  for (const { path, value } of changes.set) {
    // The deepest map on the path that exists, and what is missing below it.
    let depth = 0;
    let map = blockMapAt([]);
    if (!map) throw new NotSpliceable();
    for (; depth < path.length - 1; depth++) {
      const child = pairIn(map, path[depth]!);
      if (!child) break;
      const next = blockMapAt(path.slice(0, depth + 1));
      if (!next) break; // `Key:` with no value yet
      map = next;
    }
    const existing = depth === path.length - 1 ? pairIn(map, path[depth]!) : undefined;
    if (existing) {
      const node = existing.value;
      if (!isScalar(node) || node.tag || node.anchor || !node.range || (node.type !== Scalar.PLAIN && node.type !== Scalar.QUOTE_SINGLE && node.type !== Scalar.QUOTE_DOUBLE)) {
        throw new NotSpliceable();
      }
      edits.push({ start: node.range[0], end: node.range[1], text: formatScalar(value), column: 0 });
      continue;
    }
    const stub = depth < path.length - 1 ? pairIn(map, path[depth]!) : undefined;
    if (stub) throw new NotSpliceable(); // `Environment:` left empty: rare, and the printer handles it
    // Keys missing below the same map are gathered, so two changes create one `Properties:`.
    let tree = inserts.get(map) ?? new Map<string, InsertTree>();
    inserts.set(map, tree);
    for (const key of path.slice(depth, -1)) {
      const sub = tree.get(key);
      const next = sub instanceof Map ? sub : new Map<string, InsertTree>();
      tree.set(key, next);
      tree = next;
    }
    tree.set(path.at(-1)!, value);
  }
  for (const [map, tree] of inserts) {
    const last = map.items.at(-1);
    const column = last ? keyStart(last) - lineStart(keyStart(last)) : 0;
    const at = last ? pairEnd(last) : text.length;
    const lines = renderTree(tree, column, unit);
    edits.push({ start: at, end: at, text: (at === text.length && !text.endsWith('\n') ? '\n' : '') + lines, column });
  }

  for (const { map: mapPath, keys } of changes.remove) {
    let path = mapPath;
    let map = blockMapAt(path);
    if (!map) continue;
    let doomed = map.items.filter((pair) => isScalar(pair.key) && keys.includes(String(pair.key.value)));
    if (doomed.length === 0) continue;
    // A map left empty goes with its key, and so on up, so no `Metadata:` stays behind as null.
    while (doomed.length === map.items.length && path.length > 0) {
      const parentPath = path.slice(0, -1);
      const parent = blockMapAt(parentPath)!;
      doomed = [pairIn(parent, path.at(-1)!)!];
      map = parent;
      path = parentPath;
      if (parent.items.length > 1) break;
    }
    for (const pair of doomed) edits.push({ start: lineStart(keyStart(pair)), end: pairEnd(pair), text: '', column: 0 });
  }

  edits.sort((a, b) => b.start - a.start || (b.end - b.start) - (a.end - a.start) || a.column - b.column);
  let out = text;
  for (const edit of edits) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

type InsertTree = string | Map<string, InsertTree>;

function renderTree(tree: Map<string, InsertTree>, column: number, unit: number): string {
  let out = '';
  for (const [key, value] of tree) {
    const head = `${' '.repeat(column)}${formatKey(key)}:`;
    out += typeof value === 'string' ? `${head} ${formatScalar(value)}\n` : `${head}\n${renderTree(value, column + unit, unit)}`;
  }
  return out;
}

function formatScalar(value: string): string {
  const printed = stringify(value).trimEnd();
  if (printed.includes('\n')) throw new NotSpliceable();
  return printed;
}

function formatKey(key: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(key) ? key : formatScalar(key);
}

/** The author's indentation step: the first nested key's column. */
function indentUnitOf(text: string): number {
  const nested = /^[A-Za-z][^\n#]*:[ \t]*(?:#[^\n]*)?\n(?:[ \t]*(?:#[^\n]*)?\n)*( +)[^\s#-]/m.exec(text);
  const unit = nested ? nested[1]!.length : 2;
  return unit >= 1 && unit <= 8 ? unit : 2;
}

/** The fallback: the same changes on the Document, printed with the author's indentation. */
function reprint(doc: Document, changes: Changes, text: string): string {
  for (const { path, value } of changes.set) doc.setIn(path, value);
  for (const { map: mapPath, keys } of changes.remove) {
    let path = mapPath;
    for (const key of keys) if (doc.hasIn([...path, key])) doc.deleteIn([...path, key]);
    for (let node = doc.getIn(path, true); path.length > 0 && isMap(node) && node.items.length === 0; node = doc.getIn(path, true)) {
      doc.deleteIn(path);
      path = path.slice(0, -1);
    }
  }
  const list = /^( *)[^\s#-][^\n]*:[ \t]*\n( *)- /m.exec(text);
  return doc.toString({ lineWidth: 0, indent: indentUnitOf(text), indentSeq: list ? list[2]!.length > list[1]!.length : true });
}
