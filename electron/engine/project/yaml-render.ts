import { Document, Scalar, YAMLMap, YAMLSeq, isMap, isScalar, isSeq, visit } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { CFN_CUSTOM_TAGS, SHORT_TAGS, isIntrinsicKey } from './cfn-tags.ts';
import { isPlainObject } from './plain-edits.ts';

/** How a template is written, so that new lines look like the ones around them. */
export interface YamlStyle {
  /** Spaces per nesting level. */
  indent: number;
  /** `Key:\n  - item` (true) or `Key:\n- item` (false). */
  indentSeq: boolean;
  /** Quote with `'` (true), `"` (false), or whichever needs fewer escapes (null). */
  singleQuote: boolean | null;
  /** Write intrinsics as `!Ref X` rather than `Ref: X`. */
  shortTags: boolean;
  /** `[ a, b ]` rather than `[a, b]`. */
  flowPadding: boolean;
}

const LONG_TO_SHORT: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(SHORT_TAGS).map(([short, long]) => [long, short]),
);

/** Reads the style of a parsed template: the most common indentation, quoting and intrinsic form. */
export function detectStyle(source: string, document: Document.Parsed): YamlStyle {
  const indents = new Map<number, number>();
  const seqOffsets = new Map<number, number>();
  let single = 0;
  let double = 0;
  let shortTagged = 0;
  let longForm = 0;
  let padded = 0;
  let unpadded = 0;
  const column = (offset: number): number => offset - (source.lastIndexOf('\n', offset - 1) + 1);
  visit(document, {
    Pair(_, pair, path) {
      const parent = path[path.length - 1];
      if (!isMap(parent) || parent.flow || !isScalar(pair.key) || !pair.key.range) return;
      const keyColumn = column(pair.key.range[0]);
      if (isScalar(pair.key) && typeof pair.key.value === 'string' && isIntrinsicKey(pair.key.value) && parent.items.length === 1) longForm += 1;
      const value = pair.value as YamlNode | null;
      if (isMap(value) && !value.flow) {
        const first = value.items[0];
        if (isScalar(first?.key) && first.key.range) count(indents, column(first.key.range[0]) - keyColumn);
      } else if (isSeq(value) && !value.flow && value.range) {
        count(seqOffsets, column(dashOffset(source, value.range[0])) - keyColumn);
      }
    },
    Scalar(_, scalar) {
      if (scalar.type === 'QUOTE_SINGLE') single += 1;
      else if (scalar.type === 'QUOTE_DOUBLE') double += 1;
    },
    Node(_, node) {
      if (node.tag && SHORT_TAGS[node.tag]) shortTagged += 1;
      if ((isMap(node) || isSeq(node)) && node.flow && node.range && node.items.length > 0) {
        const open = source[node.range[0] + 1];
        if (open === ' ') padded += 1;
        else if (open !== '\n') unpadded += 1;
      }
    },
  });
  const indent = mostCommon(indents, 2, (value) => value > 0 && value <= 8);
  const seqOffset = mostCommon(seqOffsets, indent, (value) => value >= 0 && value <= 8);
  return {
    indent,
    // `yaml` writes sequences either one indent or one indent less two (`- ` counted) deeper.
    indentSeq: seqOffset >= indent,
    singleQuote: single > double ? true : double > single ? false : null,
    shortTags: shortTagged > 0 || longForm === 0,
    flowPadding: padded > unpadded,
  };
}

function count(counts: Map<number, number>, value: number): void {
  counts.set(value, (counts.get(value) ?? 0) + 1);
}

function mostCommon(counts: Map<number, number>, fallback: number, allowed: (value: number) => boolean): number {
  let best = fallback;
  let bestCount = 0;
  for (const [value, seen] of counts) {
    if (allowed(value) && seen > bestCount) {
      best = value;
      bestCount = seen;
    }
  }
  return best;
}

/** The `-` of a block sequence's first item, whose node starts after `- `. */
export function dashOffset(source: string, itemStart: number): number {
  let offset = itemStart - 1;
  while (offset >= 0 && (source[offset] === ' ' || source[offset] === '\t')) offset -= 1;
  return source[offset] === '-' ? offset : itemStart;
}

export interface RenderOptions {
  /** Write collections in flow style (`[a, b]`, `{A: b}`), for values inside a flow collection. */
  flow?: boolean;
}

/**
 * A plain value (CloudFormation's JSON view, intrinsics as `{ Ref: X }` / `{ 'Fn::GetAtt': [...] }`)
 * as `yaml` nodes in the template's style: intrinsics as short tags when the file uses them.
 */
export function toYamlNode(document: Document, value: unknown, style: YamlStyle, options: RenderOptions = {}): YamlNode {
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    seq.items = value.map((item) => toYamlNode(document, item, style, options));
    if (options.flow) seq.flow = true;
    return seq;
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value);
    const [only] = entries;
    if (style.shortTags && entries.length === 1 && only) {
      const tagged = shortTagged(document, only[0], only[1], style, options);
      if (tagged) return tagged;
    }
    const map = new YAMLMap();
    for (const [key, child] of entries) map.items.push(document.createPair(key, toYamlNode(document, child, style, options)));
    if (options.flow) map.flow = true;
    return map;
  }
  if (value === undefined) return document.createNode(null) as YamlNode;
  const node = document.createNode(value) as YamlNode;
  // `!Sub '${AWS::StackName}-x'` is how templates write substitutions; plain reads the same but looks broken.
  if (typeof value === 'string' && value.includes('${') && isScalar(node)) node.type = style.singleQuote === false ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
  return node;
}

function shortTagged(document: Document, key: string, arg: unknown, style: YamlStyle, options: RenderOptions): YamlNode | undefined {
  // `Condition: X` is also a resource attribute; the long form reads the same in both places.
  const tag = key === 'Condition' ? undefined : LONG_TO_SHORT[key];
  if (!tag) return undefined;
  if (key === 'Fn::GetAtt' && Array.isArray(arg) && arg.length === 2 && arg.every((part) => typeof part === 'string')) {
    const scalar = new Scalar(`${arg[0] as string}.${arg[1] as string}`);
    scalar.tag = tag;
    return scalar;
  }
  const node = toYamlNode(document, arg, style, options);
  // A node carries one tag: `!Base64 !Sub x` is not YAML, so the outer function stays long.
  if (node.tag) return undefined;
  if (isScalar(node) && node.value === null) return undefined;
  node.tag = tag;
  return node;
}

/** A fresh `yaml` Document that knows CloudFormation's tags. */
export function renderingDocument(): Document {
  // YAML 1.1 rules decide the quoting: CloudFormation and SAM CLI read `yes`, `on`, `0755` and
  // `2024-01-01` as YAML 1.1 does, so such strings must be quoted to stay strings.
  return new Document(null, { customTags: CFN_CUSTOM_TAGS, version: '1.1' });
}

/** Text of a node as `yaml` prints it in the template's style, without a final newline. */
export function stringifyNode(document: Document, node: YamlNode, style: YamlStyle): string {
  document.contents = node;
  const text = document.toString({
    indent: style.indent,
    indentSeq: style.indentSeq,
    singleQuote: style.singleQuote,
    flowCollectionPadding: style.flowPadding,
    lineWidth: 0,
    minContentWidth: 0,
    directives: false,
  });
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** `key: value` lines at column 0 (a block value spans several lines). */
export function renderPair(key: string, value: unknown, style: YamlStyle): string[] {
  const document = renderingDocument();
  const map = new YAMLMap();
  map.items.push(document.createPair(key, toYamlNode(document, value, style)));
  return stringifyNode(document, map, style).split('\n');
}

/** `- value` lines at column 0. */
export function renderItem(value: unknown, style: YamlStyle): string[] {
  const document = renderingDocument();
  const seq = new YAMLSeq();
  seq.items.push(toYamlNode(document, value, style));
  return stringifyNode(document, seq, style).split('\n');
}

/** The value alone if `yaml` writes it on one line (a scalar, a short tag, a flow collection), else undefined. */
export function renderInline(value: unknown, style: YamlStyle, options: RenderOptions = {}): string | undefined {
  const document = renderingDocument();
  const node = toYamlNode(document, value, style, options);
  if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) return undefined;
  const text = stringifyNode(document, node, style);
  return text.includes('\n') ? undefined : text;
}

/** `Key:` lines of a block value rendered under a one-letter key, for splicing under an existing key. */
export function renderValueUnderKey(value: unknown, style: YamlStyle): { header: string; body: string[] } {
  const [first = 'x:', ...body] = renderPair('x', value, style);
  return { header: first.slice(2), body };
}
