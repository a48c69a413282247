import type { PathSegment } from './template-document.ts';
import { formatPath } from './template-node.ts';

/**
 * What an edit means, stated on the template's plain value (CloudFormation's JSON view). The
 * JSON writer applies these directly; the YAML writer splices text and then checks that the
 * text it wrote reads back as exactly this value, so the two formats cannot drift apart.
 */

export type PlainValue = unknown;

/** A path that cannot be followed; the message names the first segment that is missing. */
export class PathError extends Error {
  constructor(
    readonly path: readonly PathSegment[],
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function getIn(root: PlainValue, path: readonly PathSegment[]): PlainValue {
  let node = root;
  for (const segment of path) {
    if (typeof segment === 'number' ? Array.isArray(node) : isPlainObject(node)) {
      node = (node as Record<string | number, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return node;
}

export function hasIn(root: PlainValue, path: readonly PathSegment[]): boolean {
  let node = root;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(node) || segment < 0 || segment >= node.length) return false;
      node = node[segment];
    } else {
      if (!isPlainObject(node) || !Object.hasOwn(node, segment)) return false;
      node = node[segment];
    }
  }
  return true;
}

/** Wraps `value` in the mappings (and one-item lists, for index 0) that the rest of the path needs. */
export function nest(path: readonly PathSegment[], value: PlainValue): PlainValue {
  let out = value;
  for (let i = path.length - 1; i >= 0; i -= 1) {
    const segment = path[i] as PathSegment;
    out = typeof segment === 'number' ? [out] : { [segment]: out };
  }
  return out;
}

/**
 * Sets `path` to `value`, creating missing mappings on the way; a list index may be the list's
 * length (append) and a missing list may be created by index 0. New keys go last, as the YAML
 * writer places them.
 */
export function setIn(root: PlainValue, path: readonly PathSegment[], value: PlainValue): PlainValue {
  if (path.length === 0) return clone(value);
  const [head, ...rest] = path as [PathSegment, ...PathSegment[]];
  if (typeof head === 'number') {
    if (root === undefined || root === null) {
      if (head !== 0) throw new PathError([head], `There is no list to put item ${head} in.`, 'Add items to a list from index 0.');
      return [setIn(undefined, rest, value)];
    }
    if (!Array.isArray(root)) throw new PathError([head], `Item ${head} was asked of a value that is not a list.`, 'Check the path.');
    if (head < 0 || head > root.length) {
      throw new PathError([head], `The list has ${root.length} item(s); there is no item ${head}.`, `Use an index from 0 to ${root.length}.`);
    }
    const copy = [...root];
    copy[head] = setIn(root[head], rest, value);
    return copy;
  }
  if (root === undefined || root === null) return { [head]: setIn(undefined, rest, value) };
  if (!isPlainObject(root)) {
    throw new PathError([head], `${head} cannot be set inside a value that is not a mapping.`, 'Replace the value itself, or check the path.');
  }
  return { ...root, [head]: setIn(root[head], rest, value) };
}

/**
 * Removes `path`. A mapping or list left empty by the removal is removed too (an empty
 * `Events:` or `Variables:` is not valid SAM), up to but not including the template's root.
 */
export function removeIn(root: PlainValue, path: readonly PathSegment[]): PlainValue {
  if (!hasIn(root, path)) throw new PathError(path, `${formatPath(path)} is not in the template.`, 'Check the path: it may have been removed already.');
  return removeAt(root, path);
}

/** The path that removing `path` really removes, once emptied parents are taken along. */
export function removalTarget(root: PlainValue, path: readonly PathSegment[]): PathSegment[] {
  let target = [...path];
  while (target.length > 1) {
    const parent = getIn(root, target.slice(0, -1));
    const size = Array.isArray(parent) ? parent.length : isPlainObject(parent) ? Object.keys(parent).length : 0;
    if (size !== 1) break;
    target = target.slice(0, -1);
  }
  return target;
}

function removeAt(root: PlainValue, path: readonly PathSegment[]): PlainValue {
  const target = removalTarget(root, path);
  const parentPath = target.slice(0, -1);
  const last = target[target.length - 1] as PathSegment;
  const parent = getIn(root, parentPath);
  let replaced: PlainValue;
  if (Array.isArray(parent)) replaced = parent.filter((_, index) => index !== last);
  else {
    const copy = { ...(parent as Record<string, unknown>) };
    delete copy[last as string];
    replaced = copy;
  }
  return parentPath.length === 0 ? replaced : setIn(root, parentPath, replaced);
}

/** Appends to the list at `path`, creating the list if the path is missing. */
export function appendIn(root: PlainValue, path: readonly PathSegment[], value: PlainValue): PlainValue {
  const list = getIn(root, path);
  if (list === undefined || list === null) return setIn(root, path, [value]);
  if (!Array.isArray(list)) throw new PathError(path, `${formatPath(path)} is not a list.`, 'Turn it into a list first.');
  return setIn(root, [...path, list.length], value);
}

/** Deep equality of plain values; key order is ignored (the writers keep it, but the meaning does not depend on it). */
export function plainEqual(a: PlainValue, b: PlainValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, index) => plainEqual(item, b[index]));
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && plainEqual(a[key], b[key]));
  }
  return false;
}

export function clone<T>(value: T): T {
  return value === undefined ? value : (structuredClone(value) as T);
}

/**
 * `Fn::GetAtt` is written `A.B` or `[A, B]`; both mean the same, and the reader splits the
 * dotted form. Values compared with what the reader sees use the list form.
 */
export function normalizeIntrinsics(value: PlainValue): PlainValue {
  if (Array.isArray(value)) return value.map(normalizeIntrinsics);
  if (!isPlainObject(value)) return value;
  const entries = Object.entries(value);
  const [only] = entries;
  if (entries.length === 1 && only && only[0] === 'Fn::GetAtt' && typeof only[1] === 'string') {
    const dot = only[1].indexOf('.');
    if (dot > 0) return { 'Fn::GetAtt': [only[1].slice(0, dot), only[1].slice(dot + 1)] };
  }
  return Object.fromEntries(entries.map(([key, child]) => [key, normalizeIntrinsics(child)]));
}
