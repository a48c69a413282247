import { LambdaDeskError } from '../../errors.ts';
import { cidrContains, parseCidr, type CidrBlock } from './cidr.ts';

/** AWS's answer to a pattern it cannot use (PutRule, TestEventPattern, templates). */
export class InvalidEventPatternError extends LambdaDeskError {
  readonly awsName = 'InvalidEventPatternException';
  readonly status = 400;
  constructor(reason: string, at: readonly string[] = []) {
    super(`Event pattern is not valid. Reason: ${reason}${at.length ? ` (at ${at.join('.')})` : ''}`, 'See https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html for the pattern syntax.');
  }
}

type Scalar = string | number | boolean | null;

type Matcher =
  | { kind: 'exact'; value: Scalar }
  | { kind: 'prefix' | 'suffix'; value: string; ignoreCase: boolean }
  | { kind: 'equals-ignore-case'; value: string }
  | { kind: 'wildcard'; regex: RegExp }
  | { kind: 'numeric'; lower?: { value: number; inclusive: boolean }; upper?: { value: number; inclusive: boolean } }
  | { kind: 'exists'; value: boolean }
  | { kind: 'cidr'; block: CidrBlock }
  | { kind: 'anything-but'; values: Array<string | number> }
  | { kind: 'anything-but'; not: Matcher[] };

interface PatternNode {
  fields: Array<{ key: string; child: PatternNode | Matcher[] }>;
  /** `$or`: at least one alternative must match, on top of `fields`. */
  or?: PatternNode[];
}

/** A checked pattern, ready to match events against. */
export interface EventPattern {
  readonly source: string;
  readonly root: PatternNode;
}

/** EventBridge compares numbers within ±5.0e9. */
const NUMERIC_LIMIT = 5e9;
const OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

/**
 * Parses and checks an EventBridge event pattern (JSON text or a value from the template),
 * throwing InvalidEventPatternException with the reason AWS would give and where it is.
 */
export function parseEventPattern(pattern: unknown): EventPattern {
  let value = pattern;
  const source = typeof pattern === 'string' ? pattern : JSON.stringify(pattern);
  if (typeof pattern === 'string') {
    try {
      value = JSON.parse(pattern);
    } catch (err) {
      throw new InvalidEventPatternError(`the pattern is not JSON: ${(err as Error).message}`);
    }
  }
  if (!isObject(value)) throw new InvalidEventPatternError('Filter is not an object');
  return { source, root: compileNode(value, []) };
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function compileNode(value: Record<string, unknown>, at: string[]): PatternNode {
  const node: PatternNode = { fields: [] };
  for (const [key, child] of Object.entries(value)) {
    const path = [...at, key];
    if (key === '$or') {
      if (!Array.isArray(child) || child.length < 2) throw new InvalidEventPatternError('"$or" must be an array of at least two patterns', path);
      node.or = child.map((alternative, i) => {
        if (!isObject(alternative)) throw new InvalidEventPatternError('each "$or" alternative must be an object', [...path, String(i)]);
        return compileNode(alternative, path);
      });
      continue;
    }
    if (isObject(child)) {
      node.fields.push({ key, child: compileNode(child, path) });
      continue;
    }
    if (!Array.isArray(child)) throw new InvalidEventPatternError(`"${key}" must be an object or an array`, path);
    if (child.length === 0) throw new InvalidEventPatternError(`"${key}" is an empty array, which matches nothing`, path);
    node.fields.push({ key, child: child.map((item) => compileMatcher(item, path)) });
  }
  if (node.fields.length === 0 && !node.or) throw new InvalidEventPatternError('Empty objects are not allowed', at);
  return node;
}

function numberInRange(n: unknown, what: string, at: string[]): number {
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new InvalidEventPatternError(`Value of ${what} must be numeric`, at);
  if (Math.abs(n) > NUMERIC_LIMIT) throw new InvalidEventPatternError(`Value of ${what} must be between -5.0E9 and +5.0E9 inclusive`, at);
  return n;
}

function stringOrIgnoreCase(kind: 'prefix' | 'suffix', value: unknown, at: string[]): { value: string; ignoreCase: boolean } {
  if (typeof value === 'string') return { value, ignoreCase: false };
  if (isObject(value) && Object.keys(value).length === 1 && typeof value['equals-ignore-case'] === 'string') {
    return { value: value['equals-ignore-case'], ignoreCase: true };
  }
  throw new InvalidEventPatternError(`${kind} match pattern must be a string or {"equals-ignore-case": "..."}`, at);
}

function wildcardRegex(pattern: unknown, at: string[]): RegExp {
  if (typeof pattern !== 'string') throw new InvalidEventPatternError('wildcard match pattern must be a string', at);
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') throw new InvalidEventPatternError(`Invalid escape character at pos ${i}: only "\\*" and "\\\\" are escapes`, at);
      out += next === '*' ? '\\*' : '\\\\';
      i++;
    } else if (c === '*') {
      if (pattern[i + 1] === '*') throw new InvalidEventPatternError(`Consecutive wildcard characters at pos ${i + 1}`, at);
      out += '[\\s\\S]*';
    } else {
      out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${out}$`);
}

function compileNumeric(spec: unknown, at: string[]): Matcher {
  if (!Array.isArray(spec) || spec.length === 0) throw new InvalidEventPatternError('Value of numeric must be an array', at);
  if (spec.length !== 2 && spec.length !== 4) throw new InvalidEventPatternError('numeric takes one condition ["<", 5] or a range [">", 0, "<=", 5]', at);
  const matcher: Extract<Matcher, { kind: 'numeric' }> = { kind: 'numeric' };
  for (let i = 0; i < spec.length; i += 2) {
    const op = spec[i];
    if (typeof op !== 'string' || !OPERATORS.has(op)) throw new InvalidEventPatternError(`Unrecognized numeric range operator: ${JSON.stringify(op)}`, at);
    const value = numberInRange(spec[i + 1], op, at);
    if (op === '=') {
      if (spec.length !== 2) throw new InvalidEventPatternError('"=" cannot be combined with other numeric operators', at);
      return { kind: 'numeric', lower: { value, inclusive: true }, upper: { value, inclusive: true } };
    }
    const bound = { value, inclusive: op.endsWith('=') };
    if (op.startsWith('>')) {
      if (matcher.lower) throw new InvalidEventPatternError('numeric range has two lower bounds', at);
      matcher.lower = bound;
    } else {
      if (matcher.upper) throw new InvalidEventPatternError('numeric range has two upper bounds', at);
      matcher.upper = bound;
    }
  }
  if (matcher.lower && matcher.upper && matcher.lower.value >= matcher.upper.value) throw new InvalidEventPatternError('Bottom must be less than top in a numeric range', at);
  return matcher;
}

function compileAnythingBut(spec: unknown, at: string[]): Matcher {
  if (typeof spec === 'string' || typeof spec === 'number') return { kind: 'anything-but', values: [typeof spec === 'number' ? numberInRange(spec, 'anything-but', at) : spec] };
  if (Array.isArray(spec)) {
    if (spec.length === 0) throw new InvalidEventPatternError('anything-but list must not be empty', at);
    const allStrings = spec.every((v) => typeof v === 'string');
    const allNumbers = spec.every((v) => typeof v === 'number');
    if (!allStrings && !allNumbers) throw new InvalidEventPatternError('Inside anything but list, start|null|boolean is not supported, and strings and numbers cannot be mixed', at);
    return { kind: 'anything-but', values: spec.map((v) => (typeof v === 'number' ? numberInRange(v, 'anything-but', at) : (v as string))) };
  }
  if (isObject(spec)) {
    const keys = Object.keys(spec);
    const [key] = keys;
    if (keys.length !== 1 || !key || !['prefix', 'suffix', 'equals-ignore-case', 'wildcard'].includes(key)) {
      throw new InvalidEventPatternError('anything-but takes a value, a list, or one of prefix, suffix, equals-ignore-case, wildcard', at);
    }
    const inner = spec[key];
    // Each of these takes one string or a list of them: {"anything-but": {"prefix": ["init", "pend"]}}.
    const items = Array.isArray(inner) ? inner : [inner];
    if (items.length === 0 || items.some((v) => typeof v !== 'string')) throw new InvalidEventPatternError(`anything-but ${key} takes a string or a list of strings`, at);
    const not = (items as string[]).map((v): Matcher => {
      if (key === 'wildcard') return { kind: 'wildcard', regex: wildcardRegex(v, at) };
      if (key === 'equals-ignore-case') return { kind: 'equals-ignore-case', value: v };
      return { kind: key as 'prefix' | 'suffix', value: v, ignoreCase: false };
    });
    return { kind: 'anything-but', not };
  }
  throw new InvalidEventPatternError('Inside anything but list, start|null|boolean is not supported.', at);
}

function compileMatcher(item: unknown, at: string[]): Matcher {
  if (item === null || typeof item === 'string' || typeof item === 'boolean') return { kind: 'exact', value: item };
  if (typeof item === 'number') return { kind: 'exact', value: numberInRange(item, 'an exact number', at) };
  if (!isObject(item)) throw new InvalidEventPatternError('Match value must be String, number, true, false, or null', at);
  const keys = Object.keys(item);
  if (keys.length !== 1) throw new InvalidEventPatternError(`a match object has exactly one match type, not ${keys.length} (${keys.join(', ')})`, at);
  const kind = keys[0]!;
  const spec = item[kind];
  switch (kind) {
    case 'prefix':
    case 'suffix':
      return { kind, ...stringOrIgnoreCase(kind, spec, at) };
    case 'equals-ignore-case':
      if (typeof spec !== 'string') throw new InvalidEventPatternError('equals-ignore-case match pattern must be a string', at);
      return { kind, value: spec };
    case 'wildcard':
      return { kind, regex: wildcardRegex(spec, at) };
    case 'numeric':
      return compileNumeric(spec, at);
    case 'exists':
      if (typeof spec !== 'boolean') throw new InvalidEventPatternError('exists match pattern must be either true or false.', at);
      return { kind, value: spec };
    case 'cidr': {
      const block = typeof spec === 'string' ? parseCidr(spec) : undefined;
      if (!block) throw new InvalidEventPatternError(`Malformed CIDR: ${JSON.stringify(spec)}; write e.g. "10.0.0.0/24" or "2001:db8::/32"`, at);
      return { kind, block };
    }
    case 'anything-but':
      return compileAnythingBut(spec, at);
    default:
      throw new InvalidEventPatternError(`Unrecognized match type ${kind}`, at);
  }
}

function testValue(m: Matcher, v: Scalar): boolean {
  switch (m.kind) {
    case 'exact':
      return typeof m.value === 'number' && typeof v === 'number' ? m.value === v : m.value === v;
    case 'prefix':
      return typeof v === 'string' && (m.ignoreCase ? v.toLowerCase().startsWith(m.value.toLowerCase()) : v.startsWith(m.value));
    case 'suffix':
      return typeof v === 'string' && (m.ignoreCase ? v.toLowerCase().endsWith(m.value.toLowerCase()) : v.endsWith(m.value));
    case 'equals-ignore-case':
      return typeof v === 'string' && v.toLowerCase() === m.value.toLowerCase();
    case 'wildcard':
      return typeof v === 'string' && m.regex.test(v);
    case 'numeric':
      if (typeof v !== 'number') return false;
      if (m.lower && (m.lower.inclusive ? v < m.lower.value : v <= m.lower.value)) return false;
      if (m.upper && (m.upper.inclusive ? v > m.upper.value : v >= m.upper.value)) return false;
      return true;
    case 'cidr':
      return typeof v === 'string' && cidrContains(m.block, v);
    case 'anything-but':
      if ('not' in m) return typeof v !== 'string' || !m.not.some((inner) => testValue(inner, v));
      return !m.values.some((x) => x === v);
    case 'exists':
      return true;
  }
}

/** Values at one key of every candidate object; arrays are flattened, as EventBridge (and SNS's MessageBody scope) does. */
export function valuesAt(candidates: unknown[], key: string): unknown[] {
  const out: unknown[] = [];
  const push = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(push);
    else out.push(v);
  };
  for (const c of candidates) if (isObject(c) && Object.hasOwn(c, key)) push(c[key]);
  return out;
}

function matchNode(node: PatternNode, candidates: unknown[]): boolean {
  for (const { key, child } of node.fields) {
    const values = valuesAt(candidates, key);
    if (Array.isArray(child)) {
      // Exists and the other operators look at leaves only: an object is not a value.
      const leaves = values.filter((v): v is Scalar => v === null || typeof v !== 'object');
      const ok = child.some((m) => (m.kind === 'exists' ? (leaves.length > 0) === m.value : leaves.some((v) => testValue(m, v))));
      if (!ok) return false;
    } else if (!matchNode(child, values.filter(isObject))) {
      return false;
    }
  }
  return !node.or || node.or.some((alternative) => matchNode(alternative, candidates));
}

/** Whether an event (the full envelope: source, detail-type, detail, …) matches a pattern. */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return matchNode(pattern.root, [event]);
}
