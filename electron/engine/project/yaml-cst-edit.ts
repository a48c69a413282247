import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Document, Node as YamlNode, Pair, YAMLMap, YAMLSeq } from 'yaml';
import { ServiceError } from '../errors.ts';
import { SHORT_TAGS } from './cfn-tags.ts';
import { PathError, appendIn, getIn, nest, normalizeIntrinsics, plainEqual, removalTarget, removeIn, setIn } from './plain-edits.ts';
import type { PlainValue } from './plain-edits.ts';
import { TemplateDocument } from './template-document.ts';
import type { PathSegment } from './template-document.ts';
import { formatPath, toPlainValue, toTemplateNode } from './template-node.ts';
import { dashOffset, detectStyle, renderInline, renderItem, renderPair, renderValueUnderKey, renderingDocument, stringifyNode, toYamlNode } from './yaml-render.ts';
import type { YamlStyle } from './yaml-render.ts';

/** One step of a walk down the Document: the node reached and how its parent holds it. */
interface Step {
  node: YamlNode | null;
  /** The collection holding `node`; absent for the root. */
  parent?: YAMLMap | YAMLSeq;
  pair?: Pair;
  index?: number;
  /** Reached by a long intrinsic name (`Fn::If`) standing for the short tag of the same node. */
  viaTag?: boolean;
}

/**
 * Edits a YAML template as text, located through the parsed `yaml` Document: only the lines of
 * the entry being changed are rewritten, so comments, blank lines, key order, quoting, short
 * tags and anchors everywhere else stay byte for byte. New lines follow the file's own
 * indentation, sequence and quoting style. After every change the new text is parsed again and
 * must read as exactly the intended value; anything else is refused rather than written.
 */
export class YamlTextEdit {
  private current: string;
  private readonly style: YamlStyle;
  private parsed: TemplateDocument | undefined;

  constructor(text: string) {
    this.current = text;
    const parsed = this.parse(text);
    this.style = detectStyle(text, parsed.document);
  }

  get text(): string {
    return this.current;
  }

  /** The template as CloudFormation's JSON sees it (short tags as their long forms). */
  plain(): PlainValue {
    return toPlainValue(toTemplateNode(this.parse(this.current)));
  }

  /** Sets `path` to `value`, creating missing mappings; a list index equal to the list's length appends. */
  set(path: readonly PathSegment[], value: PlainValue): void {
    const before = this.plain();
    const expected = setIn(before, path, value);
    this.change(() => this.spliceSet(path, value, before), expected, `set ${formatPath(path)}`);
  }

  /** Removes `path`, and any mapping or list the removal leaves empty. */
  remove(path: readonly PathSegment[]): void {
    const before = this.plain();
    const expected = removeIn(before, path);
    this.change(() => this.spliceRemove(path, before), expected, `remove ${formatPath(path)}`);
  }

  /** Appends an item to the list at `path`, creating the list if it is missing. */
  append(path: readonly PathSegment[], value: PlainValue): void {
    const before = this.plain();
    const expected = appendIn(before, path, value);
    const list = getIn(before, path);
    const index = Array.isArray(list) ? list.length : 0;
    this.change(
      () => (Array.isArray(list) ? this.spliceSet([...path, index], value, before) : this.spliceSet(path, [value], before)),
      expected,
      `append to ${formatPath(path)}`,
    );
  }

  private change(splice: () => string, expected: PlainValue, what: string): void {
    const next = splice();
    const reparsed = this.parse(next);
    const problems = reparsed.syntaxErrors();
    const readBack = problems.length === 0 ? toPlainValue(toTemplateNode(reparsed)) : undefined;
    if (problems.length > 0 || !plainEqual(normalizeIntrinsics(readBack), normalizeIntrinsics(expected))) {
      // A bug guard: the file is never written with a change that reads differently than intended.
      throw new ServiceError(
        `LambdaDesk could not ${what} without changing other parts of the template${problems[0] ? ` (${problems[0].message})` : ''}.`,
        'Make this change in a text editor, and report the template to the LambdaDesk issue tracker.',
      );
    }
    this.current = next;
  }

  private parse(text: string): TemplateDocument {
    // One edit reads the same text several times; the flow writer, which changes nodes, drops this.
    if (this.parsed?.source !== text) this.parsed = TemplateDocument.parse('template.yaml', text);
    return this.parsed;
  }

  // ── locating ──────────────────────────────────────────────────────────────────────────────

  /** Follows `path` as far as it exists; `steps[i]` is the node at `path.slice(0, i)`. */
  private walk(document: TemplateDocument, path: readonly PathSegment[]): Step[] {
    const steps: Step[] = [{ node: document.document.contents as YamlNode | null }];
    for (let i = 0; i < path.length; i += 1) {
      const segment = path[i] as PathSegment;
      const { node } = steps[i] as Step;
      if (isAlias(node)) {
        throw new PathError(path.slice(0, i), `${formatPath(path.slice(0, i))} is a YAML alias (*${node.source}); LambdaDesk does not edit through aliases.`, `Edit the anchored value (&${node.source}) instead, or replace the alias with a copy.`);
      }
      if (node?.tag && SHORT_TAGS[node.tag] === segment) {
        // `!If [...]` is read as `{ 'Fn::If': [...] }`: the long name steps into the same node.
        steps.push({ ...(steps[i] as Step), viaTag: true });
        continue;
      }
      if (isMap(node) && typeof segment === 'string') {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
        if (!pair) break;
        steps.push({ node: (pair.value as YamlNode | null) ?? null, parent: node, pair });
      } else if (isSeq(node) && typeof segment === 'number' && segment >= 0 && segment < node.items.length) {
        steps.push({ node: (node.items[segment] as YamlNode | null) ?? null, parent: node, index: segment });
      } else {
        break;
      }
    }
    return steps;
  }

  /** The shallowest flow collection (`[a, b]`, `{A: b}`) among the first `count` nodes of the walk. */
  private outermostFlow(steps: readonly Step[], count: number): number | undefined {
    for (let i = 0; i < count && i < steps.length; i += 1) {
      const node = steps[i]?.node;
      if ((isMap(node) || isSeq(node)) && node.flow) return i;
    }
    return undefined;
  }

  // ── set ───────────────────────────────────────────────────────────────────────────────────

  private spliceSet(path: readonly PathSegment[], value: PlainValue, before: PlainValue): string {
    const document = this.parse(this.current);
    const steps = this.walk(document, path);
    const depth = steps.length - 1;
    const tagAt = steps.findIndex((step) => step.viaTag);
    if (tagAt > 0) {
      // Inside `!Ref X` or `!If [...]`: the intrinsic is written again from its new value.
      const intrinsicPath = path.slice(0, tagAt - 1);
      return this.spliceSet(intrinsicPath, getIn(setIn(before, path, value), intrinsicPath), before);
    }
    const flowAt = this.outermostFlow(steps, depth === path.length ? depth : depth + 1);
    if (flowAt !== undefined) {
      const flowPath = path.slice(0, flowAt);
      const replaced = getIn(setIn(before, path, value), flowPath);
      if (isEmptyCollection(getIn(before, flowPath))) return this.spliceSet(flowPath, replaced, before);
      return this.editFlow(document, steps[flowAt]?.node as YamlNode, replaced, (render) => setFlowNode(render, steps, path, value, this.style));
    }
    if (depth === path.length) {
      const step = steps[depth] as Step;
      if (!step.parent) return this.renderWholeDocument(value);
      if (step.pair) return this.replacePairValue(document, step.pair, value);
      return this.replaceItem(document, step.parent as YAMLSeq, step.index as number, value);
    }
    const existing = steps[depth]?.node ?? null;
    const rest = path.slice(depth);
    const [next] = rest as [PathSegment];
    if (typeof next === 'number') {
      if (isSeq(existing) && next === existing.items.length) {
        return this.appendItem(document, existing, nest(rest.slice(1), value));
      }
      throw new PathError(path.slice(0, depth + 1), `${formatPath(path.slice(0, depth))} has no item ${next}.`, 'Check the path: list items are counted from 0.');
    }
    if (isMap(existing) && !existing.tag) return this.insertPair(document, existing, next, nest(rest.slice(1), value), depth === 1);
    if (isEmpty(existing)) {
      if (depth === 0) return this.renderWholeDocument(nest(path, value));
      return this.spliceSet(path.slice(0, depth), nest(rest, value), before);
    }
    const what = isSeq(existing) ? 'a list' : existing?.tag && SHORT_TAGS[existing.tag] ? `an intrinsic function (${existing.tag})` : 'a single value';
    throw new PathError(
      path.slice(0, depth),
      `${formatPath(path.slice(0, depth)) || 'The template'} is ${what}, so ${String(next)} cannot be set inside it.`,
      'Replace the whole value instead, or edit it in a text editor.',
    );
  }

  private renderWholeDocument(value: PlainValue): string {
    if (!this.isPlainRecord(value)) throw new PathError([], 'A template must be a mapping.', 'Set a section such as Resources instead.');
    const lines = Object.entries(value).flatMap(([key, child]) => renderPair(key, child, this.style));
    return `${lines.join('\n')}\n`;
  }

  private isPlainRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }

  /**
   * Rewrites a flow collection (`[a, 'b']`, `{ Path: /x }`) on its line. The parsed nodes are
   * changed in place and printed again, so the items not edited keep their quoting and tags;
   * where that is not possible the collection is printed from its new value.
   */
  private editFlow(document: TemplateDocument, node: YamlNode, value: PlainValue, mutate: (render: Document) => boolean): string {
    const start = document.startOf(node);
    const end = (node.range as [number, number, number])[1];
    // Each flow collection keeps its own spacing: `{ Path: /x }` and `[a, b]` live in one file.
    const opening = (node.range as [number, number, number])[0];
    const style: YamlStyle = { ...this.style, flowPadding: this.current[opening + 1] === ' ' };
    const render = renderingDocument();
    this.parsed = undefined;
    let inline = mutate(render) ? stringifyNode(render, node, style) : renderInline(value, style, { flow: true });
    if (inline === undefined || inline.includes('\n')) inline = renderInline(value, style, { flow: true });
    if (inline === undefined) throw new ServiceError('A flow collection could not be written on one line.');
    return splice(this.current, start, end, inline);
  }

  private replacePairValue(document: TemplateDocument, pair: Pair, value: PlainValue): string {
    const text = this.current;
    const key = pair.key as YamlNode;
    const keyRange = key.range as [number, number, number];
    const old = (pair.value as YamlNode | null) ?? null;
    const inline = renderInline(value, this.style);
    if (inline !== undefined && old && isInlineValue(text, document, old)) {
      const range = old.range as [number, number, number];
      if (isEmpty(old) && range[0] === range[1]) return splice(text, range[0], range[0], ` ${inline}`);
      return splice(text, document.startOf(old), range[1], inline);
    }
    const end = entryEnd(text, old ?? key);
    const comment = keyLineComment(text, document, key, old);
    const { header, body } = renderValueUnderKey(value, this.style);
    const keyColumn = columnOf(text, keyRange[0]);
    const lines = [`${text.slice(keyRange[0], keyRange[1])}:${header}${comment ? ` ${comment}` : ''}`, ...indentLines(body, keyColumn)];
    return splice(text, keyRange[0], end, joinLines(lines, text, end));
  }

  private replaceItem(document: TemplateDocument, seq: YAMLSeq, index: number, value: PlainValue): string {
    const text = this.current;
    const old = (seq.items[index] as YamlNode | null) ?? null;
    if (!old?.range) throw new PathError([index], `Item ${index} has no position in the file.`, 'Edit it in a text editor.');
    const inline = renderInline(value, this.style);
    if (inline !== undefined && isInlineValue(text, document, old)) {
      if (isEmpty(old) && old.range[0] === old.range[1]) return splice(text, old.range[0], old.range[0], ` ${inline}`);
      return splice(text, document.startOf(old), old.range[1], inline);
    }
    const dash = dashOffset(text, document.startOf(old));
    const end = entryEnd(text, old);
    const [first = '- ', ...rest] = renderItem(value, this.style);
    const lines = [first, ...indentLines(rest, columnOf(text, dash))];
    return splice(text, dash, end, joinLines(lines, text, end));
  }

  private insertPair(document: TemplateDocument, map: YAMLMap, key: string, value: PlainValue, rootSection: boolean): string {
    const text = this.current;
    const first = map.items[0];
    const last = map.items[map.items.length - 1];
    if (!first || !last || !isScalar(first.key) || !first.key.range) {
      throw new ServiceError('An empty block mapping has no place to add to.');
    }
    const column = columnOf(text, first.key.range[0]);
    const lines = indentLines(renderPair(key, value, this.style), column);
    const following = map === document.document.contents ? sectionAfter(map, key) : undefined;
    if (following) {
      // A new top-level section goes where SAM's documentation puts it: Globals before Resources.
      const at = startOfEntry(text, startOfLine(text, (following.key as YamlNode).range?.[0] ?? 0));
      const blank = separatedByBlankLines(text, document, map, false, at) ? '\n' : '';
      return splice(text, at, at, `${lines.join('\n')}\n${blank}`);
    }
    const at = entryEnd(text, (last.value as YamlNode | null) ?? (last.key as YamlNode));
    const blank = separatedByBlankLines(text, document, map, rootSection, at) ? '\n' : '';
    return insertLines(text, at, blank, lines);
  }

  private appendItem(document: TemplateDocument, seq: YAMLSeq, value: PlainValue): string {
    const text = this.current;
    const first = seq.items[0] as YamlNode | null | undefined;
    const last = seq.items[seq.items.length - 1] as YamlNode | null | undefined;
    if (!first?.range || !last?.range) throw new ServiceError('An empty block sequence has no place to add to.');
    const at = entryEnd(text, last);
    const column = columnOf(text, dashOffset(text, document.startOf(first)));
    return insertLines(text, at, '', indentLines(renderItem(value, this.style), column));
  }

  // ── remove ────────────────────────────────────────────────────────────────────────────────

  private spliceRemove(path: readonly PathSegment[], before: PlainValue): string {
    const document = this.parse(this.current);
    const target = removalTarget(before, path);
    const steps = this.walk(document, target);
    if (steps.length - 1 !== target.length) {
      throw new PathError(path, `${formatPath(path)} is not in the template.`, 'Check the path: it may have been removed already.');
    }
    const tagAt = steps.findIndex((step) => step.viaTag);
    if (tagAt > 0) {
      const intrinsicPath = target.slice(0, tagAt - 1);
      return this.spliceSet(intrinsicPath, getIn(removeIn(before, path), intrinsicPath), before);
    }
    const flowAt = this.outermostFlow(steps, target.length);
    if (flowAt !== undefined) {
      const replaced = getIn(removeIn(before, path), target.slice(0, flowAt));
      return this.editFlow(document, steps[flowAt]?.node as YamlNode, replaced, () => removeFlowNode(steps, target));
    }
    const step = steps[target.length] as Step;
    const text = this.current;
    if (step.pair) {
      const map = step.parent as YAMLMap;
      const key = step.pair.key as YamlNode;
      const keyStart = (key.range as [number, number, number])[0];
      const lineStart = startOfLine(text, keyStart);
      if (text.slice(lineStart, keyStart).trim() !== '') {
        // `- First: 1\n  Second: 2`: the next key moves up behind the dash.
        const next = map.items[map.items.indexOf(step.pair) + 1];
        const nextStart = (next?.key as YamlNode | undefined)?.range?.[0];
        if (nextStart === undefined) throw new ServiceError(`${formatPath(path)} could not be removed from its line.`);
        return splice(text, keyStart, nextStart, '');
      }
      return removeLines(text, lineStart, entryEnd(text, (step.pair.value as YamlNode | null) ?? key), step.pair === map.items[0]);
    }
    const item = step.node;
    if (!item?.range) throw new PathError(path, `${formatPath(path)} has no position in the file.`, 'Edit it in a text editor.');
    const dash = dashOffset(text, document.startOf(item));
    const lineStart = startOfLine(text, dash);
    if (text.slice(lineStart, dash).trim() !== '') {
      const seqPath = target.slice(0, -1);
      return this.spliceSet(seqPath, getIn(removeIn(before, path), seqPath), before);
    }
    return removeLines(text, lineStart, entryEnd(text, item), step.index === 0);
  }
}

// ── flow collections ──────────────────────────────────────────────────────────────────────

/** Sets `path` among the parsed nodes of a flow collection; false when only a reprint from the value will do. */
function setFlowNode(render: Document, steps: readonly Step[], path: readonly PathSegment[], value: PlainValue, style: YamlStyle): boolean {
  const depth = steps.length - 1;
  const flow = { flow: true };
  if (depth === path.length) {
    const step = steps[depth] as Step;
    if (step.viaTag || !step.parent) return false;
    const node = toYamlNode(render, value, style, flow);
    if (step.pair) step.pair.value = node;
    else (step.parent as YAMLSeq).items[step.index as number] = node;
    return true;
  }
  const container = steps[depth]?.node ?? null;
  const rest = path.slice(depth);
  const [next] = rest as [PathSegment];
  const node = toYamlNode(render, nest(rest.slice(1), value), style, flow);
  if (isSeq(container) && next === container.items.length) {
    container.items.push(node);
    return true;
  }
  if (isMap(container) && typeof next === 'string') {
    container.items.push(render.createPair(next, node));
    return true;
  }
  return false;
}

function removeFlowNode(steps: readonly Step[], target: readonly PathSegment[]): boolean {
  const step = steps[target.length] as Step;
  if (step.viaTag || !step.parent) return false;
  if (step.pair) (step.parent as YAMLMap).items.splice((step.parent as YAMLMap).items.indexOf(step.pair), 1);
  else (step.parent as YAMLSeq).items.splice(step.index as number, 1);
  return true;
}

// ── text helpers ──────────────────────────────────────────────────────────────────────────

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

function startOfLine(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just past the line's `\n` (or the end of the text). */
function endOfLine(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

function columnOf(text: string, offset: number): number {
  return offset - startOfLine(text, offset);
}

function lineAt(text: string, offset: number): string {
  return text.slice(offset, endOfLine(text, offset));
}

function isBlankLine(line: string): boolean {
  return line.trim() === '' && line.length > 0;
}

/** Where an entry's text ends: after its value and the rest of that value's last line (a trailing comment). */
function entryEnd(text: string, node: YamlNode): number {
  const range = node.range as [number, number, number];
  const end = range[1];
  return end > 0 && text[end - 1] !== '\n' ? endOfLine(text, end) : end;
}

function isEmpty(node: YamlNode | null): boolean {
  return node === null || (isScalar(node) && node.value === null && !node.tag);
}

function isEmptyCollection(value: unknown): boolean {
  return (Array.isArray(value) && value.length === 0) || (value !== null && typeof value === 'object' && Object.keys(value).length === 0);
}

/** A value written on its key's line alone: a one-line scalar, short tag or flow collection. */
function isInlineValue(text: string, document: TemplateDocument, node: YamlNode): boolean {
  if (isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED')) return false;
  if ((isMap(node) || isSeq(node)) && !node.flow) return false;
  const range = node.range as [number, number, number];
  return !text.slice(document.startOf(node), range[1]).includes('\n');
}

/** A comment on the key's own line (`Key: # why` or `Key: 5 # why`), kept when the value is rewritten. */
function keyLineComment(text: string, document: TemplateDocument, key: YamlNode, value: YamlNode | null): string | undefined {
  const keyEnd = (key.range as [number, number, number])[1];
  const lineEnd = endOfLine(text, keyEnd);
  if (value?.range && isInlineValue(text, document, value) && document.startOf(value) < lineEnd) {
    const after = text.slice(value.range[1], lineEnd).trim();
    return after.startsWith('#') ? after : undefined;
  }
  const tail = text.slice(keyEnd, lineEnd).replace(/^\s*:/, '');
  const match = /^\s*(?:!\S+\s*)?(?:[|>][-+0-9]*\s*)?(#.*?)\s*$/.exec(tail);
  return match?.[1];
}

/** Lines of a rendered block shifted right by `column`; empty lines stay empty. */
function indentLines(lines: readonly string[], column: number): string[] {
  const pad = ' '.repeat(column);
  return lines.map((line) => (line === '' ? line : pad + line));
}

/** Replacement text for an entry that ended at `end`: newline-terminated unless the file ended without one there. */
function joinLines(lines: readonly string[], text: string, end: number): string {
  const endedWithNewline = end > 0 && text[end - 1] === '\n';
  return lines.join('\n') + (endedWithNewline ? '\n' : '');
}

function insertLines(text: string, at: number, blank: string, lines: readonly string[]): string {
  if (at > 0 && text[at - 1] !== '\n') return splice(text, at, at, `\n${blank}${lines.join('\n')}`);
  return splice(text, at, at, `${blank}${lines.join('\n')}\n`);
}

/**
 * New entries copy the spacing between the existing ones: a blank line between resources stays
 * a blank line between resources.
 */
function separatedByBlankLines(text: string, document: TemplateDocument, map: YAMLMap, rootSection: boolean, at: number): boolean {
  if (map.items.length === 1) return rootSection && at < text.length && isBlankLine(lineAt(text, at));
  for (let i = 1; i < map.items.length; i += 1) {
    const previous = map.items[i - 1] as Pair;
    const key = (map.items[i] as Pair).key as YamlNode;
    const gapStart = entryEnd(text, (previous.value as YamlNode | null) ?? (previous.key as YamlNode));
    const gap = text.slice(gapStart, startOfLine(text, document.startOf(key)));
    if (!gap.split('\n').some((line, index, all) => index < all.length - 1 && line.trim() === '')) return false;
  }
  return true;
}

/** The order of a template's top-level sections in AWS's documentation. */
const SECTION_ORDER = ['AWSTemplateFormatVersion', 'Transform', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions', 'Globals', 'Resources', 'Outputs'];

/** The first existing top-level section that belongs after a new section `key`. */
function sectionAfter(root: YAMLMap, key: string): Pair | undefined {
  const rank = SECTION_ORDER.indexOf(key);
  if (rank < 0) return undefined;
  return root.items.find((pair) => {
    const other = SECTION_ORDER.indexOf(isScalar(pair.key) ? String(pair.key.value) : '');
    return other > rank;
  });
}

/** The start of an entry's line, moved up over the comment lines written just above it (they describe it). */
function startOfEntry(text: string, lineStart: number): number {
  const column = text.slice(lineStart).search(/\S/);
  let from = lineStart;
  while (from > 0) {
    const previousStart = startOfLine(text, from - 1);
    const line = text.slice(previousStart, from);
    const indent = line.search(/\S/);
    if (indent !== column || !line.trimStart().startsWith('#')) break;
    from = previousStart;
  }
  // Comments that open the file describe the file, not its first entry.
  return from === 0 ? lineStart : from;
}

/**
 * Removes whole lines from `start` to `end`, with the comment lines written just above the
 * entry, and one blank line so that no double gap is left behind.
 */
function removeLines(text: string, start: number, end: number, first: boolean): string {
  const from = startOfEntry(text, start);
  let to = end;
  const previousBlank = from === 0 || isBlankLine(text.slice(startOfLine(text, from - 1), from));
  if (to < text.length && isBlankLine(lineAt(text, to)) && (previousBlank || first)) to = endOfLine(text, to);
  return splice(text, from, to, '');
}
