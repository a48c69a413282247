import { normalizeNumber } from './decimal-number.ts';
import type { AttributeValue, Item } from './attribute-value.ts';

/**
 * Plain JSON ↔ DynamoDB's typed values, as the document client converts them: what the CLI and
 * the canvas accept and show (`{"id": "42", "qty": 3}` instead of `{"id": {"S": "42"}, …}`).
 * Sets have no JSON form: they come back as lists.
 */
export function toAttributeValue(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${value} is not a number DynamoDB can store.`);
    return { N: normalizeNumber(String(value)) };
  }
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toAttributeValue) };
  if (typeof value === 'object') return { M: toItem(value as Record<string, unknown>) };
  throw new Error(`Cannot store a ${typeof value} in DynamoDB.`);
}

export function toItem(value: Record<string, unknown>): Item {
  const out: Item = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toAttributeValue(v);
  return out;
}

export function fromAttributeValue(value: AttributeValue): unknown {
  if ('S' in value) return value.S;
  if ('N' in value) {
    const n = Number(value.N);
    return Number.isSafeInteger(n) || (String(n) === value.N && Number.isFinite(n)) ? n : value.N;
  }
  if ('B' in value) return value.B;
  if ('BOOL' in value) return value.BOOL;
  if ('NULL' in value) return null;
  if ('L' in value) return value.L.map(fromAttributeValue);
  if ('M' in value) return fromItem(value.M);
  if ('SS' in value) return value.SS;
  if ('NS' in value) return value.NS.map((n) => (Number.isSafeInteger(Number(n)) ? Number(n) : n));
  return value.BS;
}

export function fromItem(item: Item): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, fromAttributeValue(v)]));
}
