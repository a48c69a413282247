import { randomUUID } from 'node:crypto';
import type { Expr, IotRuleQuery } from './iot-sql.ts';

/** A message as the rules engine sees it. */
export interface IotMessage {
  topic: string;
  payload: Buffer;
  clientId: string;
  /** Epoch ms. */
  receivedAt: number;
}

/** IoT SQL's Undefined: a field that is not there. It drops out of results and fails WHERE. */
const UNDEFINED = Symbol('Undefined');
type Value = unknown;

function parsePayload(payload: Buffer): { json: unknown; isJson: boolean } {
  try {
    return { json: JSON.parse(payload.toString('utf8')), isJson: true };
  } catch {
    return { json: UNDEFINED, isJson: false };
  }
}

/**
 * Runs a rule against a message: undefined when the topic or WHERE does not match, else the
 * document the rule's action receives (what the Lambda function gets as its event).
 */
export function evaluateRule(query: IotRuleQuery, message: IotMessage, matchesTopic: (filter: string, topic: string) => boolean): unknown {
  if (!matchesTopic(query.topicFilter, message.topic)) return undefined;
  const { json, isJson } = parsePayload(message.payload);
  const scope = { message, json };
  if (query.where && truthy(evaluate(query.where, scope)) !== true) return undefined;
  if (query.select.length === 1 && query.select[0]!.kind === 'star') {
    // A payload that is not JSON passes through as it is (as text).
    return isJson ? json : message.payload.toString('utf8');
  }
  const out: Record<string, unknown> = {};
  for (const item of query.select) {
    if (item.kind === 'star') {
      if (isObject(json)) Object.assign(out, json);
      continue;
    }
    const value = evaluate(item.expr, scope);
    if (value !== UNDEFINED) out[item.alias] = value;
  }
  return out;
}

interface Scope {
  message: IotMessage;
  json: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function truthy(v: Value): boolean | typeof UNDEFINED {
  if (v === UNDEFINED) return UNDEFINED;
  if (typeof v === 'boolean') return v;
  return UNDEFINED;
}

function evaluate(expr: Expr, scope: Scope): Value {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'path': {
      let current: unknown = scope.json;
      for (const part of expr.path) {
        if (typeof part === 'number') current = Array.isArray(current) ? current[part] : undefined;
        else current = isObject(current) ? current[part] : undefined;
        if (current === undefined) return UNDEFINED;
      }
      return current === UNDEFINED ? UNDEFINED : current;
    }
    case 'unary': {
      const v = evaluate(expr.operand, scope);
      if (expr.op === 'NOT') {
        const b = truthy(v);
        return b === UNDEFINED ? UNDEFINED : !b;
      }
      return typeof v === 'number' ? -v : UNDEFINED;
    }
    case 'is': {
      const v = evaluate(expr.operand, scope);
      const result = expr.what === 'NULL' ? v === null : v === UNDEFINED;
      return expr.negate ? !result : result;
    }
    case 'binary':
      return binary(expr.op, expr.left, expr.right, scope);
    case 'call':
      return call(expr, scope);
  }
}

function binary(op: string, leftExpr: Expr, rightExpr: Expr, scope: Scope): Value {
  if (op === 'AND' || op === 'OR') {
    const left = truthy(evaluate(leftExpr, scope));
    if (op === 'AND' && left === false) return false;
    if (op === 'OR' && left === true) return true;
    const right = truthy(evaluate(rightExpr, scope));
    if (left === UNDEFINED || right === UNDEFINED) return op === 'AND' ? (right === false ? false : UNDEFINED) : right === true ? true : UNDEFINED;
    return right;
  }
  const left = evaluate(leftExpr, scope);
  const right = evaluate(rightExpr, scope);
  if (left === UNDEFINED || right === UNDEFINED) return UNDEFINED;
  if (['+', '-', '*', '/', '%'].includes(op)) {
    if (op === '+' && typeof left === 'string' && typeof right === 'string') return left + right;
    const [a, b] = [toNumber(left), toNumber(right)];
    if (a === undefined || b === undefined) return UNDEFINED;
    if ((op === '/' || op === '%') && b === 0) return UNDEFINED;
    return op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b : a % b;
  }
  // A number compared with a string that holds a number compares as numbers, as IoT does.
  let a: unknown = left;
  let b: unknown = right;
  if (typeof a === 'number' && typeof b === 'string' && toNumber(b) !== undefined) b = toNumber(b);
  if (typeof b === 'number' && typeof a === 'string' && toNumber(a) !== undefined) a = toNumber(a);
  if (op === '=') return deepEqual(a, b);
  if (op === '<>') return !deepEqual(a, b);
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) return UNDEFINED;
  const x = a as number | string;
  const y = b as number | string;
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function call(expr: Extract<Expr, { kind: 'call' }>, scope: Scope): Value {
  const { message } = scope;
  const args = expr.args.map((a) => (a.kind === 'star' ? (scope.json === UNDEFINED ? message.payload.toString('utf8') : scope.json) : evaluate(a, scope)));
  switch (expr.name) {
    case 'topic': {
      if (args.length === 0) return message.topic;
      const n = toNumber(args[0]);
      const part = n === undefined ? undefined : message.topic.split('/')[n - 1];
      return part ?? UNDEFINED;
    }
    case 'clientid':
    case 'principal':
      return message.clientId;
    case 'timestamp':
      return Math.floor(message.receivedAt);
    case 'newuuid':
      return randomUUID();
    case 'encode': {
      if (args[1] !== 'base64') return UNDEFINED;
      const star = expr.args[0]?.kind === 'star';
      return (star ? message.payload : Buffer.from(typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0]))).toString('base64');
    }
    case 'lower':
      return typeof args[0] === 'string' ? args[0].toLowerCase() : UNDEFINED;
    case 'upper':
      return typeof args[0] === 'string' ? args[0].toUpperCase() : UNDEFINED;
    case 'concat':
      return args.some((a) => a === UNDEFINED) ? UNDEFINED : args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join('');
    case 'length':
      return typeof args[0] === 'string' ? args[0].length : Array.isArray(args[0]) ? args[0].length : UNDEFINED;
    case 'startswith':
      return typeof args[0] === 'string' && typeof args[1] === 'string' ? args[0].startsWith(args[1]) : UNDEFINED;
    case 'endswith':
      return typeof args[0] === 'string' && typeof args[1] === 'string' ? args[0].endsWith(args[1]) : UNDEFINED;
    case 'get': {
      const [container, key] = args;
      if (Array.isArray(container) && typeof key === 'number') return container[key] ?? UNDEFINED;
      if (isObject(container) && typeof key === 'string') return container[key] ?? UNDEFINED;
      return UNDEFINED;
    }
    case 'abs':
    case 'floor':
    case 'ceil':
    case 'round': {
      const n = toNumber(args[0]);
      if (n === undefined) return UNDEFINED;
      return expr.name === 'abs' ? Math.abs(n) : expr.name === 'floor' ? Math.floor(n) : expr.name === 'ceil' ? Math.ceil(n) : Math.round(n);
    }
    default:
      return UNDEFINED;
  }
}
