import { cidrContains, parseCidr, type CidrBlock } from '../shared/cidr.ts';
import { isObject, valuesAt } from '../shared/event-pattern.ts';
import { InvalidParameterError } from './sns-errors.ts';

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

/** A message attribute as SNS keeps it: `String`, `String.Array`, `Number` or `Binary` (plus custom `.suffix` types). */
export interface MessageAttribute {
  dataType: string;
  stringValue?: string;
  /** Base64 text, as the Lambda event carries it. */
  binaryValue?: string;
}

type Scalar = string | number | boolean | null;

type Condition =
  | { kind: 'exact'; value: Scalar }
  | { kind: 'prefix' | 'suffix' | 'equals-ignore-case'; value: string }
  | { kind: 'numeric'; lower?: { value: number; inclusive: boolean }; upper?: { value: number; inclusive: boolean } }
  | { kind: 'exists'; value: boolean }
  | { kind: 'cidr'; block: CidrBlock }
  | { kind: 'anything-but'; values: Array<string | number> }
  | { kind: 'anything-but'; prefix?: string; suffix?: string };

interface PolicyNode {
  fields: Array<{ key: string; child: PolicyNode | Condition[] }>;
  or?: PolicyNode[];
}

export interface FilterPolicy {
  scope: FilterPolicyScope;
  /** The policy as JSON text, as GetSubscriptionAttributes returns it. */
  text: string;
  root: PolicyNode;
}

/** SNS's limits on one policy. */
export const FILTER_POLICY_LIMITS = { keys: 5, combinations: 150, numeric: 1e9, decimals: 5 } as const;
const OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

function invalid(reason: string, at: readonly string[] = []): InvalidParameterError {
  return new InvalidParameterError(
    `Invalid parameter: FilterPolicy: ${reason}${at.length ? ` (at ${at.join('.')})` : ''}`,
    'See https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html for the filter policy syntax.',
  );
}


/**
 * Parses and checks an SNS subscription filter policy (JSON text or a template value) for its
 * scope, enforcing SNS's limits: five keys, 150 combinations, numbers within ±1e9 with five
 * decimals. Errors are SNS's `InvalidParameter` with the reason.
 */
export function parseFilterPolicy(policy: unknown, scope: FilterPolicyScope = 'MessageAttributes'): FilterPolicy {
  if (scope !== 'MessageAttributes' && scope !== 'MessageBody') {
    throw new InvalidParameterError(`Invalid parameter: FilterPolicyScope: Invalid value [${String(scope)}]. Please use either MessageBody or MessageAttributes`);
  }
  let value = policy;
  if (typeof policy === 'string') {
    try {
      value = JSON.parse(policy);
    } catch (err) {
      throw invalid(`the policy is not JSON: ${(err as Error).message}`);
    }
  }
  if (!isObject(value)) throw invalid('Filter policy must be a JSON object');
  const root = compileNode(value, [], scope);
  const { keys, combinations } = measure(root);
  if (keys > FILTER_POLICY_LIMITS.keys) throw invalid(`Filter policy can not have more than ${FILTER_POLICY_LIMITS.keys} keys (this one has ${keys})`);
  if (combinations > FILTER_POLICY_LIMITS.combinations) throw invalid(`Filter policy is too complex: ${combinations} combinations of values, more than ${FILTER_POLICY_LIMITS.combinations}`);
  return { scope, text: typeof policy === 'string' ? policy : JSON.stringify(policy), root };
}

function compileNode(value: Record<string, unknown>, at: string[], scope: FilterPolicyScope): PolicyNode {
  const node: PolicyNode = { fields: [] };
  for (const [key, child] of Object.entries(value)) {
    const path = [...at, key];
    if (key === '$or') {
      if (!Array.isArray(child) || child.length < 2) throw invalid('"$or" must be an array of at least two policies', path);
      node.or = child.map((alternative) => {
        if (!isObject(alternative)) throw invalid('each "$or" alternative must be an object', path);
        return compileNode(alternative, at, scope);
      });
      continue;
    }
    if (isObject(child)) {
      if (scope === 'MessageAttributes') throw invalid('Filter policy scope MessageAttributes does not support nested filter policy', path);
      node.fields.push({ key, child: compileNode(child, path, scope) });
      continue;
    }
    if (!Array.isArray(child)) throw invalid(`"${key}" must be an object or an array`, path);
    if (child.length === 0) throw invalid(`"${key}" is an empty array, which matches nothing`, path);
    node.fields.push({ key, child: child.map((item) => compileCondition(item, path, scope)) });
  }
  if (node.fields.length === 0 && !node.or) throw invalid('Empty objects are not allowed', at);
  return node;
}

function checkedNumber(n: unknown, what: string, at: string[]): number {
  if (typeof n !== 'number' || !Number.isFinite(n)) throw invalid(`Value of ${what} must be numeric`, at);
  if (Math.abs(n) > FILTER_POLICY_LIMITS.numeric) throw invalid(`Numeric values must be from -1.0E9 to 1.0E9 inclusive, not ${n}`, at);
  const decimals = /\.(\d+)$/.exec(String(n))?.[1]?.length ?? 0;
  if (decimals > FILTER_POLICY_LIMITS.decimals) throw invalid(`Numeric values have at most ${FILTER_POLICY_LIMITS.decimals} digits after the decimal point, not ${n}`, at);
  return n;
}

function compileNumeric(spec: unknown, at: string[]): Condition {
  if (!Array.isArray(spec) || (spec.length !== 2 && spec.length !== 4)) throw invalid('numeric takes one condition ["<", 5] or a range [">", 0, "<=", 5]', at);
  const out: Extract<Condition, { kind: 'numeric' }> = { kind: 'numeric' };
  for (let i = 0; i < spec.length; i += 2) {
    const op = spec[i];
    if (typeof op !== 'string' || !OPERATORS.has(op)) throw invalid(`Unrecognized numeric range operator: ${JSON.stringify(op)}`, at);
    const value = checkedNumber(spec[i + 1], op, at);
    if (op === '=') {
      if (spec.length !== 2) throw invalid('"=" cannot be combined with other numeric operators', at);
      return { kind: 'numeric', lower: { value, inclusive: true }, upper: { value, inclusive: true } };
    }
    const bound = { value, inclusive: op.endsWith('=') };
    if (op.startsWith('>')) {
      if (out.lower) throw invalid('numeric range has two lower bounds', at);
      out.lower = bound;
    } else {
      if (out.upper) throw invalid('numeric range has two upper bounds', at);
      out.upper = bound;
    }
  }
  if (out.lower && out.upper && out.lower.value >= out.upper.value) throw invalid('Bottom must be less than top in a numeric range', at);
  return out;
}

function compileAnythingBut(spec: unknown, at: string[]): Condition {
  if (typeof spec === 'string') return { kind: 'anything-but', values: [spec] };
  if (typeof spec === 'number') return { kind: 'anything-but', values: [checkedNumber(spec, 'anything-but', at)] };
  if (Array.isArray(spec)) {
    if (spec.length === 0) throw invalid('anything-but list must not be empty', at);
    if (!spec.every((v) => typeof v === 'string') && !spec.every((v) => typeof v === 'number')) {
      throw invalid('Inside anything but list, start|null|boolean is not supported, and strings and numbers cannot be mixed', at);
    }
    return { kind: 'anything-but', values: spec.map((v) => (typeof v === 'number' ? checkedNumber(v, 'anything-but', at) : (v as string))) };
  }
  if (isObject(spec)) {
    const keys = Object.keys(spec);
    const key = keys[0];
    if (keys.length === 1 && (key === 'prefix' || key === 'suffix')) {
      if (typeof spec[key] !== 'string') throw invalid(`${key} match pattern must be a string`, at);
      return { kind: 'anything-but', [key]: spec[key] as string };
    }
    throw invalid('anything-but takes a value, a list, {"prefix": "..."} or {"suffix": "..."}', at);
  }
  throw invalid('Inside anything but list, start|null|boolean is not supported.', at);
}

function compileCondition(item: unknown, at: string[], scope: FilterPolicyScope): Condition {
  if (typeof item === 'string') return { kind: 'exact', value: item };
  if (typeof item === 'number') return { kind: 'exact', value: checkedNumber(item, 'an exact number', at) };
  // Message attributes are strings, numbers and string arrays: nothing is ever null or a boolean there.
  if ((item === null || typeof item === 'boolean') && scope === 'MessageBody') return { kind: 'exact', value: item };
  if (!isObject(item)) throw invalid('Match value must be String, number, true, false, or null', at);
  const keys = Object.keys(item);
  if (keys.length !== 1) throw invalid(`a match object has exactly one match type, not ${keys.length} (${keys.join(', ')})`, at);
  const kind = keys[0]!;
  const spec = item[kind];
  switch (kind) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof spec !== 'string') throw invalid(`${kind} match pattern must be a string`, at);
      return { kind, value: spec };
    case 'numeric':
      return compileNumeric(spec, at);
    case 'exists':
      if (typeof spec !== 'boolean') throw invalid('exists match pattern must be either true or false.', at);
      return { kind, value: spec };
    case 'cidr': {
      const block = typeof spec === 'string' ? parseCidr(spec) : undefined;
      if (!block) throw invalid(`Malformed CIDR: ${JSON.stringify(spec)}; write e.g. "10.0.0.0/24"`, at);
      return { kind, block };
    }
    case 'anything-but':
      return compileAnythingBut(spec, at);
    default:
      throw invalid(`Unrecognized match type ${kind}`, at);
  }
}

/** Keys (per alternative, after expanding `$or`) and value combinations, as SNS counts them. */
function measure(node: PolicyNode, prefix = ''): { keys: number; combinations: number } {
  const alternatives = expand(node, prefix);
  return {
    keys: Math.max(0, ...alternatives.map((a) => new Set(a.map((leaf) => leaf.path)).size)),
    combinations: alternatives.reduce((sum, a) => sum + a.reduce((product, leaf) => product * leaf.values, 1), 0),
  };
}

type Leaf = { path: string; values: number };
function expand(node: PolicyNode, prefix: string): Leaf[][] {
  let alternatives: Leaf[][] = [[]];
  const cross = (options: Leaf[][]): void => {
    alternatives = alternatives.flatMap((a) => options.map((o) => [...a, ...o]));
  };
  for (const { key, child } of node.fields) {
    const path = prefix ? `${prefix}.${key}` : key;
    cross(Array.isArray(child) ? [[{ path, values: child.length }]] : expand(child, path));
  }
  if (node.or) cross(node.or.flatMap((alternative) => expand(alternative, prefix)));
  return alternatives;
}

function test(c: Condition, v: Scalar): boolean {
  switch (c.kind) {
    case 'exact':
      return c.value === v;
    case 'prefix':
      return typeof v === 'string' && v.startsWith(c.value);
    case 'suffix':
      return typeof v === 'string' && v.endsWith(c.value);
    case 'equals-ignore-case':
      return typeof v === 'string' && v.toLowerCase() === c.value.toLowerCase();
    case 'numeric':
      if (typeof v !== 'number') return false;
      if (c.lower && (c.lower.inclusive ? v < c.lower.value : v <= c.lower.value)) return false;
      if (c.upper && (c.upper.inclusive ? v > c.upper.value : v >= c.upper.value)) return false;
      return true;
    case 'cidr':
      return typeof v === 'string' && cidrContains(c.block, v);
    case 'anything-but':
      if ('values' in c) return !c.values.some((x) => x === v);
      if (typeof v !== 'string') return true;
      if (c.prefix !== undefined) return !v.startsWith(c.prefix);
      return !v.endsWith(c.suffix!);
    case 'exists':
      return true;
  }
}

function testLeaves(conditions: Condition[], leaves: Scalar[]): boolean {
  return conditions.some((c) => (c.kind === 'exists' ? (leaves.length > 0) === c.value : leaves.some((v) => test(c, v))));
}

/**
 * What a policy sees of an attribute: a String is a string, a Number a number, a String.Array
 * each of its elements; Binary attributes are not looked at, so they count as absent.
 */
export function attributeValues(attribute: MessageAttribute | undefined): Scalar[] {
  if (!attribute || attribute.stringValue === undefined) return [];
  const base = attribute.dataType.split('.')[0];
  if (attribute.dataType === 'String.Array') {
    try {
      const parsed: unknown = JSON.parse(attribute.stringValue);
      return Array.isArray(parsed) ? parsed.filter((v): v is Scalar => v === null || typeof v !== 'object') : [];
    } catch {
      return [];
    }
  }
  if (base === 'Number') {
    const n = Number(attribute.stringValue);
    return Number.isFinite(n) ? [n] : [];
  }
  return base === 'String' ? [attribute.stringValue] : [];
}

function matchAttributes(node: PolicyNode, attributes: Readonly<Record<string, MessageAttribute>>): boolean {
  for (const { key, child } of node.fields) {
    if (!Array.isArray(child) || !testLeaves(child, attributeValues(attributes[key]))) return false;
  }
  return !node.or || node.or.some((alternative) => matchAttributes(alternative, attributes));
}

function matchBody(node: PolicyNode, candidates: unknown[]): boolean {
  for (const { key, child } of node.fields) {
    const values = valuesAt(candidates, key);
    if (Array.isArray(child)) {
      if (!testLeaves(child, values.filter((v): v is Scalar => v === null || typeof v !== 'object'))) return false;
    } else if (!matchBody(child, values.filter(isObject))) {
      return false;
    }
  }
  return !node.or || node.or.some((alternative) => matchBody(alternative, candidates));
}

/** Whether a published message passes a subscription's filter policy. */
export function matchesFilterPolicy(policy: FilterPolicy, message: { body: string; attributes: Readonly<Record<string, MessageAttribute>> }): boolean {
  if (policy.scope === 'MessageAttributes') return matchAttributes(policy.root, message.attributes);
  let body: unknown;
  try {
    body = JSON.parse(message.body);
  } catch {
    return false; // a body that is not JSON matches no MessageBody policy
  }
  return isObject(body) && matchBody(policy.root, [body]);
}
