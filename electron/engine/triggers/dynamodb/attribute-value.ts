import { compareNumbers, normalizeNumber, NumberError } from './decimal-number.ts';
import { dynamoErrors } from './dynamodb-errors.ts';

/** DynamoDB's typed values, as they travel on the wire (binary as base64 text). */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] };

export type Item = Record<string, AttributeValue>;
export type AttributeType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'M' | 'L' | 'SS' | 'NS' | 'BS';

const TYPES = new Set<AttributeType>(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);

export function typeOf(value: AttributeValue): AttributeType {
  return Object.keys(value)[0] as AttributeType;
}

/**
 * Checks a value from a request and returns it normalized (numbers in DynamoDB's form, sets
 * without duplicates), throwing the ValidationException DynamoDB sends for a malformed one.
 */
export function checkValue(raw: unknown, where: string): AttributeValue {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw dynamoErrors.validation(`${where}: an AttributeValue must be an object such as {"S": "text"}.`);
  const keys = Object.keys(raw).filter((k) => (raw as Record<string, unknown>)[k] !== undefined);
  if (keys.length !== 1) {
    throw dynamoErrors.validation(keys.length === 0 ? `Supplied AttributeValue is empty, must contain exactly one of the supported datatypes` : `Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes`);
  }
  const type = keys[0] as AttributeType;
  const v = (raw as Record<string, unknown>)[type];
  if (!TYPES.has(type)) throw dynamoErrors.validation(`${where}: unknown AttributeValue type ${type}; use one of S, N, B, BOOL, NULL, M, L, SS, NS, BS.`);
  const number = (text: unknown): string => {
    if (typeof text !== 'string') throw dynamoErrors.validation(`${where}: a number must be sent as a string, e.g. {"N": "42"}.`);
    try {
      return normalizeNumber(text);
    } catch (err) {
      if (err instanceof NumberError) throw dynamoErrors.validation(err.message);
      throw err;
    }
  };
  const set = (values: unknown, each: (x: unknown) => string, name: string): string[] => {
    if (!Array.isArray(values)) throw dynamoErrors.validation(`${where}: ${name} must be a list.`);
    if (values.length === 0) throw dynamoErrors.validation(`One or more parameter values were invalid: An ${name === 'SS' ? 'string' : name === 'NS' ? 'number' : 'binary'} set may not be empty`);
    const out = values.map(each);
    if (new Set(out).size !== out.length) throw dynamoErrors.validation(`One or more parameter values were invalid: Input collection ${JSON.stringify(values)} contains duplicates.`);
    return out;
  };
  switch (type) {
    case 'S':
      if (typeof v !== 'string') throw dynamoErrors.validation(`${where}: S must be a string.`);
      return { S: v };
    case 'N':
      return { N: number(v) };
    case 'B':
      return { B: binary(v, where) };
    case 'BOOL':
      if (typeof v !== 'boolean') throw dynamoErrors.validation(`${where}: BOOL must be true or false.`);
      return { BOOL: v };
    case 'NULL':
      if (v !== true) throw dynamoErrors.validation('One or more parameter values were invalid: Null attribute value types must have the value of true');
      return { NULL: true };
    case 'M': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw dynamoErrors.validation(`${where}: M must be a map of names to AttributeValues.`);
      const out: Record<string, AttributeValue> = {};
      for (const [k, x] of Object.entries(v)) out[k] = checkValue(x, `${where}.${k}`);
      return { M: out };
    }
    case 'L':
      if (!Array.isArray(v)) throw dynamoErrors.validation(`${where}: L must be a list of AttributeValues.`);
      return { L: v.map((x, i) => checkValue(x, `${where}[${i}]`)) };
    case 'SS':
      return { SS: set(v, (x) => stringOf(x, where), 'SS') };
    case 'NS':
      return { NS: set(v, number, 'NS') };
    case 'BS':
      return { BS: set(v, (x) => binary(x, where), 'BS') };
  }
}

function stringOf(v: unknown, where: string): string {
  if (typeof v !== 'string') throw dynamoErrors.validation(`${where}: SS holds strings.`);
  return v;
}

function binary(v: unknown, where: string): string {
  if (typeof v !== 'string') throw dynamoErrors.validation(`${where}: binary values are sent as base64 text.`);
  return Buffer.from(v, 'base64').toString('base64');
}

export function checkItem(raw: unknown, where = 'Item'): Item {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw dynamoErrors.validation(`${where} must be a map of attribute names to AttributeValues.`);
  const out: Item = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (name === '') throw dynamoErrors.validation('One or more parameter values were invalid: An AttributeValue may not contain an empty attribute name.');
    out[name] = checkValue(value, `${where}.${name}`);
  }
  return out;
}

/** Deep equality; sets compare as sets. */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const type = typeOf(a);
  if (type !== typeOf(b)) return false;
  const x = (a as Record<string, unknown>)[type];
  const y = (b as Record<string, unknown>)[type];
  switch (type) {
    case 'N':
      return compareNumbers(x as string, y as string) === 0;
    case 'SS':
    case 'BS':
    case 'NS': {
      const xs = x as string[];
      const ys = y as string[];
      if (xs.length !== ys.length) return false;
      return type === 'NS' ? xs.every((n) => ys.some((m) => compareNumbers(n, m) === 0)) : xs.every((s) => ys.includes(s));
    }
    case 'M': {
      const xm = x as Record<string, AttributeValue>;
      const ym = y as Record<string, AttributeValue>;
      const keys = Object.keys(xm);
      return keys.length === Object.keys(ym).length && keys.every((k) => ym[k] !== undefined && valuesEqual(xm[k]!, ym[k]!));
    }
    case 'L': {
      const xl = x as AttributeValue[];
      const yl = y as AttributeValue[];
      return xl.length === yl.length && xl.every((v, i) => valuesEqual(v, yl[i]!));
    }
    default:
      return x === y;
  }
}

/** Order of two scalars of the same type (S by UTF-8 bytes, N numerically, B by bytes); undefined otherwise. */
export function compareValues(a: AttributeValue, b: AttributeValue): number | undefined {
  const type = typeOf(a);
  if (type !== typeOf(b)) return undefined;
  if ('S' in a && 'S' in b) return Buffer.compare(Buffer.from(a.S, 'utf8'), Buffer.from(b.S, 'utf8'));
  if ('N' in a && 'N' in b) return compareNumbers(a.N, b.N);
  if ('B' in a && 'B' in b) return Buffer.compare(Buffer.from(a.B, 'base64'), Buffer.from(b.B, 'base64'));
  return undefined;
}

/** A key value as a map key: type-tagged so that "1" (S) and 1 (N) differ. */
export function keyText(value: AttributeValue): string {
  const type = typeOf(value);
  return `${type}:${(value as Record<string, string>)[type]}`;
}

/** DynamoDB's item size rules (names plus values), used for SizeBytes and the 400 KB item limit. */
export function valueSize(value: AttributeValue): number {
  if ('S' in value) return Buffer.byteLength(value.S);
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return Buffer.from(value.B, 'base64').length;
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('SS' in value) return value.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
  if ('NS' in value) return value.NS.reduce((n, s) => n + numberSize(s), 0);
  if ('BS' in value) return value.BS.reduce((n, s) => n + Buffer.from(s, 'base64').length, 0);
  if ('L' in value) return 3 + value.L.reduce((n, v) => n + 1 + valueSize(v), 0);
  return 3 + Object.entries(value.M).reduce((n, [k, v]) => n + 1 + Buffer.byteLength(k) + valueSize(v), 0);
}

function numberSize(text: string): number {
  const digits = text.replace(/[-.]/g, '').replace(/^0+/, '').length;
  return Math.ceil(digits / 2) + 1;
}

export function itemSize(item: Item): number {
  return Object.entries(item).reduce((n, [k, v]) => n + Buffer.byteLength(k) + valueSize(v), 0);
}

export function cloneItem<T>(item: T): T {
  return structuredClone(item);
}
