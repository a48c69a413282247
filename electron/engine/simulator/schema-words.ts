import { z } from 'zod';

/**
 * Zod builders whose messages say, in plain words, what a field allows: the scenario file is
 * written by hand, and "expected number, received string" does not tell anyone what to type.
 */

export interface NumberRule {
  /** Inclusive lower bound. */
  min?: number;
  /** Exclusive lower bound ("above 0"). */
  above?: number;
  max?: number;
  integer?: boolean;
  /** Unit in words, e.g. `MB` or `requests per second`. */
  unit?: string;
}

export function describeNumber(rule: NumberRule): string {
  const kind = rule.integer ? 'a whole number' : 'a number';
  let range = '';
  if (rule.min !== undefined && rule.max !== undefined) range = ` from ${fmt(rule.min)} to ${fmt(rule.max)}`;
  else if (rule.above !== undefined && rule.max !== undefined) range = ` above ${fmt(rule.above)} and at most ${fmt(rule.max)}`;
  else if (rule.min !== undefined) range = rule.min === 0 ? ' of 0 or more' : ` of at least ${fmt(rule.min)}`;
  else if (rule.above !== undefined) range = ` above ${fmt(rule.above)}`;
  else if (rule.max !== undefined) range = ` of at most ${fmt(rule.max)}`;
  return `${kind}${range}${rule.unit ? ` (${rule.unit})` : ''}`;
}

export function num(rule: NumberRule = {}) {
  const error = `must be ${describeNumber(rule)}`;
  let schema = z.number({ error });
  if (rule.integer) schema = schema.int({ error });
  if (rule.min !== undefined) schema = schema.min(rule.min, { error });
  if (rule.above !== undefined) schema = schema.gt(rule.above, { error });
  if (rule.max !== undefined) schema = schema.max(rule.max, { error });
  return schema;
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` });
}

export function bool() {
  return z.boolean({ error: 'must be true or false' });
}

export function text(what: string) {
  return z.string({ error: `must be a string (${what})` }).min(1, { error: `must not be empty (${what})` });
}

export function list<T extends z.ZodType>(item: T, what: string, minItems = 0) {
  const error = `must be a list of ${what}${minItems > 0 ? ` with at least ${minItems} item${minItems > 1 ? 's' : ''}` : ''}`;
  return z.array(item, { error }).min(minItems, { error });
}

/** An object that names its allowed fields when it meets one it does not know (typos). */
export function obj<T extends z.ZodRawShape>(shape: T, what = 'an object') {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}; allowed: ${allowed}`
        : `must be ${what} with the fields ${allowed}`,
  });
}

/** A union picked by its `type` field, whose error lists the types there are. */
export function tagged<const T extends readonly [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]]>(
  options: T,
  typeNames: readonly string[],
  what: string,
) {
  const names = typeNames.join(', ');
  return z.discriminatedUnion('type', options, {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `must be one of ${names}`
        : `must be ${what}: an object with "type" one of ${names}`,
  });
}

function fmt(n: number): string {
  return Number.isInteger(n) && Math.abs(n) >= 10_000 ? n.toLocaleString('en-US') : String(n);
}
