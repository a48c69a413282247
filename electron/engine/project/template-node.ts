import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import type { SourceLocation } from '../contract.ts';
import { SHORT_TAGS, isIntrinsicKey } from './cfn-tags.ts';
import type { PathSegment, TemplateDocument } from './template-document.ts';

interface NodeBase {
  /** Where the value sits in the template, e.g. `['Resources', 'Hello', 'Properties', 'Timeout']`. */
  path: PathSegment[];
  /** The key of a mapping entry (what messages point at), else the value itself. */
  at: SourceLocation;
}
export interface ScalarNode extends NodeBase {
  kind: 'scalar';
  value: string | number | boolean | null;
}
export interface MapNode extends NodeBase {
  kind: 'map';
  entries: Map<string, TemplateNode>;
}
export interface SeqNode extends NodeBase {
  kind: 'seq';
  items: TemplateNode[];
}
/** `!Sub x` and `Fn::Sub: x` alike, by its long name (`Ref`, `Condition`, `Fn::Sub`, …). */
export interface IntrinsicNode extends NodeBase {
  kind: 'intrinsic';
  fn: string;
  arg: TemplateNode;
}
export type TemplateNode = ScalarNode | MapNode | SeqNode | IntrinsicNode;

/** `Resources.Hello.Properties.Layers[0]`: the field name used in messages. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}

/**
 * A plain, located view of the template for reading: short and long intrinsic forms become one
 * kind of node, aliases are followed, and every node knows its path and position. The YAML
 * Document itself stays untouched for the writer.
 */
export function toTemplateNode(template: TemplateDocument): TemplateNode {
  const convert = (
    node: YamlNode | null | undefined,
    nodePath: PathSegment[],
    at: SourceLocation,
    visiting: Set<YamlNode>,
  ): TemplateNode => {
    if (isAlias(node)) {
      const target = node.resolve(template.document) as YamlNode | undefined;
      // A YAML alias may point at its own ancestor; reading it would never end.
      if (!target || visiting.has(target)) return { kind: 'scalar', value: null, path: nodePath, at };
      return convert(target, nodePath, at, visiting);
    }
    if (!node) return { kind: 'scalar', value: null, path: nodePath, at };
    const shortName = node.tag ? SHORT_TAGS[node.tag] : undefined;
    if (shortName) {
      const argPath = [...nodePath, shortName];
      const untagged = convertUntagged(node, argPath, at, visiting);
      return { kind: 'intrinsic', fn: shortName, arg: splitGetAtt(shortName, untagged), path: nodePath, at };
    }
    const converted = convertUntagged(node, nodePath, at, visiting);
    if (converted.kind === 'map' && converted.entries.size === 1) {
      const [[key, arg]] = [...converted.entries] as [[string, TemplateNode]];
      if (isIntrinsicKey(key)) return { kind: 'intrinsic', fn: key, arg: splitGetAtt(key, arg), path: nodePath, at };
    }
    return converted;
  };

  const convertUntagged = (
    node: YamlNode,
    nodePath: PathSegment[],
    at: SourceLocation,
    visiting: Set<YamlNode>,
  ): TemplateNode => {
    visiting.add(node);
    try {
      if (isMap(node)) {
        const entries = new Map<string, TemplateNode>();
        for (const pair of node.items) {
          const keyNode = pair.key as YamlNode | null;
          const key = isScalar(keyNode) ? String(keyNode.value ?? '') : String(keyNode ?? '');
          const keyAt = template.location(keyNode?.range?.[0] ?? node.range?.[0] ?? 0);
          entries.set(key, convert(pair.value as YamlNode | null, [...nodePath, key], keyAt, visiting));
        }
        return { kind: 'map', entries, path: nodePath, at };
      }
      if (isSeq(node)) {
        const items = node.items.map((item, index) => {
          const itemNode = item as YamlNode | null;
          const itemAt = itemNode?.range ? template.location(template.startOf(itemNode)) : at;
          return convert(itemNode, [...nodePath, index], itemAt, visiting);
        });
        return { kind: 'seq', items, path: nodePath, at };
      }
      if (isScalar(node)) {
        const value = node.value;
        const plain =
          value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
            ? value
            : String(value);
        return { kind: 'scalar', value: plain, path: nodePath, at };
      }
      return { kind: 'scalar', value: null, path: nodePath, at };
    } finally {
      visiting.delete(node);
    }
  };

  const root = template.document.contents as YamlNode | null;
  const rootAt = template.location(root ? template.startOf(root) : 0);
  return convert(root, [], rootAt, new Set());
}

/** `!GetAtt Fn.Arn` is shorthand for `[Fn, Arn]`; only the first dot separates the two. */
function splitGetAtt(fn: string, arg: TemplateNode): TemplateNode {
  if (fn !== 'Fn::GetAtt' || arg.kind !== 'scalar' || typeof arg.value !== 'string') return arg;
  const dot = arg.value.indexOf('.');
  if (dot < 0) return arg;
  const parts = [arg.value.slice(0, dot), arg.value.slice(dot + 1)];
  return {
    kind: 'seq',
    items: parts.map((value, index) => ({ kind: 'scalar', value, path: [...arg.path, index], at: arg.at })),
    path: arg.path,
    at: arg.at,
  };
}

/** The entry `key` of a mapping node, if the node is a mapping and has it. */
export function entryOf(node: TemplateNode | undefined, key: string): TemplateNode | undefined {
  return node?.kind === 'map' ? node.entries.get(key) : undefined;
}

/** The node's literal string, if it is a plain string scalar. */
export function literalString(node: TemplateNode | undefined): string | undefined {
  return node?.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
}

/** The template as CloudFormation's JSON sees it: short tags become their long `Fn::` forms. */
export function toPlainValue(node: TemplateNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toPlainValue);
    case 'map':
      return Object.fromEntries([...node.entries].map(([key, value]) => [key, toPlainValue(value)]));
    case 'intrinsic':
      return { [node.fn]: toPlainValue(node.arg) };
  }
}
