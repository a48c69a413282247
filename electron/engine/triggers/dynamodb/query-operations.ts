import { createHash } from 'node:crypto';
import type { JsonOperation } from './aws-json-protocol.ts';
import { checkItem, compareValues, itemSize, keyText, typeOf, valuesEqual, type AttributeValue, type Item } from './attribute-value.ts';
import { dynamoErrors } from './dynamodb-errors.ts';
import { evaluateCondition, project } from './expression-evaluator.ts';
import { parseCondition, parseProjection, type Condition, type DocumentPath, type ExpressionContext, type Operand } from './expression-parser.ts';
import { expressionContext, rejectLegacy } from './item-operations.ts';
import { attributeType, keyNames, primaryKeyText, type IndexDefinition, type KeyNames } from './table-definition.ts';
import { checkTableName } from './table-schema.ts';
import type { TableData, TableStore } from './table-store.ts';

/** A Query or Scan page stops after 1 MB of items read, as DynamoDB's does. */
const PAGE_BYTES = 1024 * 1024;

interface Source {
  table: TableData;
  index?: IndexDefinition;
  /** The keys that order the items read: the index's, or the table's. */
  keys: KeyNames;
  global: boolean;
}

function sourceOf(store: TableStore, input: Record<string, unknown>): Source {
  const table = store.require(checkTableName(input.TableName));
  if (input.IndexName === undefined) return { table, keys: table.keys, global: false };
  const name = String(input.IndexName);
  const global = table.definition.GlobalSecondaryIndexes?.find((i) => i.IndexName === name);
  const local = table.definition.LocalSecondaryIndexes?.find((i) => i.IndexName === name);
  const index = global ?? local;
  if (!index) throw dynamoErrors.validation(`The table does not have the specified index: ${name}`);
  if (global && input.ConsistentRead === true) throw dynamoErrors.validation('Consistent reads are not supported on global secondary indexes');
  return { table, index, keys: keyNames(index.KeySchema), global: Boolean(global) };
}

/** Orders items by the source's sort key, then by the table's primary key (index keys need not be unique). */
function comparator(source: Source): (a: Item, b: Item) => number {
  const tableKeys = source.table.keys;
  return (a, b) => {
    if (source.keys.range) {
      const order = compareValues(a[source.keys.range]!, b[source.keys.range]!) ?? 0;
      if (order !== 0) return order;
    }
    if (!source.index) return 0;
    const x = primaryKeyText(source.table.definition, pick(a, tableKeys));
    const y = primaryKeyText(source.table.definition, pick(b, tableKeys));
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

function pick(item: Item, keys: KeyNames): Item {
  const out: Item = { [keys.hash]: item[keys.hash]! };
  if (keys.range) out[keys.range] = item[keys.range]!;
  return out;
}

/** The key a page ends with: table keys, plus the index keys when reading an index. */
function lastKeyOf(source: Source, item: Item): Item {
  const out = pick(item, source.table.keys);
  if (source.index) Object.assign(out, pick(item, source.keys));
  return out;
}

/** Items that appear in an index: those with all of its key attributes (sparse indexes). */
function inIndex(source: Source, item: Item): boolean {
  return item[source.keys.hash] !== undefined && (!source.keys.range || item[source.keys.range] !== undefined);
}

function indexProjection(source: Source, item: Item): Item {
  const projection = source.index?.Projection;
  if (!projection || projection.ProjectionType === 'ALL' || projection.ProjectionType === undefined) return item;
  const out: Item = { ...lastKeyOf(source, item) };
  for (const name of projection.NonKeyAttributes ?? []) if (item[name] !== undefined) out[name] = item[name]!;
  return out;
}

interface KeyCondition {
  hash: AttributeValue;
  range?: Condition;
}

/** A KeyConditionExpression must be `hash = :v`, optionally AND one condition on the sort key. */
function keyCondition(source: Source, text: string, ctx: ExpressionContext): KeyCondition {
  const expression = 'KeyConditionExpression';
  const condition = parseCondition(text, ctx, expression);
  const parts = condition.kind === 'and' ? [condition.left, condition.right] : [condition];
  if (parts.some((p) => p.kind === 'and' || p.kind === 'or' || p.kind === 'not' || p.kind === 'in')) throw dynamoErrors.validation(`Invalid ${expression}: Invalid operator used in KeyConditionExpression: ${parts.find((p) => p.kind !== 'compare')?.kind.toUpperCase()}`);
  const attributeOf = (o: Operand) => (o.kind === 'path' && o.path.length === 1 && 'name' in o.path[0]! ? o.path[0].name : undefined);
  let hash: AttributeValue | undefined;
  let range: Condition | undefined;
  for (const part of parts) {
    const subject = part.kind === 'compare' ? attributeOf(part.left) : part.kind === 'between' ? attributeOf(part.value) : part.kind === 'function' ? attributeOf(part.args[0]!) : undefined;
    if (subject === source.keys.hash && part.kind === 'compare' && part.op === '=' && part.right.kind === 'value') {
      hash = part.right.value;
      continue;
    }
    if (subject === source.keys.range && source.keys.range) {
      const allowed = (part.kind === 'compare' && part.op !== '<>' && part.right.kind === 'value') || (part.kind === 'between' && part.low.kind === 'value' && part.high.kind === 'value') || (part.kind === 'function' && part.name === 'begins_with');
      if (!allowed) throw dynamoErrors.validation(`Invalid ${expression}: Unsupported operator on KeyConditionExpression: operator: ${part.kind === 'compare' ? part.op : part.kind === 'function' ? part.name : part.kind}`);
      range = part;
      continue;
    }
    if (subject === undefined) throw dynamoErrors.validation(`Invalid ${expression}: Key conditions take the form key = :value, with the attribute on the left.`);
    throw dynamoErrors.validation(`Query condition missed key schema element: ${subject === source.keys.hash || !source.keys.range ? source.keys.hash : source.keys.range}`);
  }
  if (!hash) throw dynamoErrors.validation(`Query condition missed key schema element: ${source.keys.hash}`);
  const expected = attributeType(source.table.definition, source.keys.hash);
  if (typeOf(hash) !== expected) throw dynamoErrors.validation('One or more parameter values were invalid: Condition parameter type does not match schema type');
  return { hash, range };
}

function startAfter(items: Item[], source: Source, raw: unknown, compare: (a: Item, b: Item) => number, forward: boolean): Item[] {
  if (raw === undefined) return items;
  const start = checkItem(raw, 'ExclusiveStartKey');
  const wanted = [source.table.keys.hash, source.table.keys.range, source.index ? source.keys.hash : undefined, source.index ? source.keys.range : undefined].filter((n): n is string => n !== undefined);
  if (wanted.some((n) => start[n] === undefined)) throw dynamoErrors.validation('The provided starting key is invalid: The provided key element does not match the schema');
  const exact = items.findIndex((item) => Object.keys(lastKeyOf(source, item)).every((n) => valuesEqual(item[n]!, start[n]!)));
  if (exact >= 0) return items.slice(exact + 1);
  // The item it names is gone: continue with the first one past where it would be.
  const next = items.findIndex((item) => (forward ? compare(item, start) > 0 : compare(item, start) < 0));
  return next < 0 ? [] : items.slice(next);
}

interface PageInput {
  source: Source;
  candidates: Item[];
  input: Record<string, unknown>;
  filter?: Condition;
  projection?: DocumentPath[];
}

function page({ source, candidates, input, filter, projection }: PageInput): Record<string, unknown> {
  const limit = input.Limit === undefined ? Infinity : Number(input.Limit);
  if (limit !== Infinity && (!Number.isInteger(limit) || limit < 1)) throw dynamoErrors.validation(`1 validation error detected: Value '${String(input.Limit)}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  const select = input.Select === undefined ? (projection ? 'SPECIFIC_ATTRIBUTES' : source.index ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES') : String(input.Select);
  if (!['ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES', 'COUNT'].includes(select)) throw dynamoErrors.validation(`1 validation error detected: Value '${select}' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]`);
  if (select === 'COUNT' && projection) throw dynamoErrors.validation('Cannot specify the AttributesToGet or ProjectionExpression when choosing to get only the Count');
  const items: Item[] = [];
  let scanned = 0;
  let bytes = 0;
  let last: Item | undefined;
  for (const candidate of candidates) {
    if (scanned >= limit || bytes >= PAGE_BYTES) break;
    scanned++;
    bytes += itemSize(candidate);
    last = candidate;
    const visible = select === 'ALL_ATTRIBUTES' && !source.global ? candidate : indexProjection(source, candidate);
    if (filter && !evaluateCondition(filter, visible, 'FilterExpression')) continue;
    items.push(projection ? project(visible, projection) : visible);
  }
  const out: Record<string, unknown> = { Count: items.length, ScannedCount: scanned };
  if (select !== 'COUNT') out.Items = items;
  if (last && scanned < candidates.length) out.LastEvaluatedKey = lastKeyOf(source, last);
  if (input.ReturnConsumedCapacity === 'TOTAL' || input.ReturnConsumedCapacity === 'INDEXES') out.ConsumedCapacity = { TableName: source.table.definition.TableName, CapacityUnits: Math.max(0.5, Math.ceil(bytes / 4096) / 2) };
  return out;
}

export function queryOperations(store: TableStore): Record<string, JsonOperation> {
  return {
    Query(input) {
      rejectLegacy(input, 'KeyConditions', 'QueryFilter', 'ConditionalOperator');
      const source = sourceOf(store, input);
      if (typeof input.KeyConditionExpression !== 'string') throw dynamoErrors.validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.', 'Add KeyConditionExpression: "#pk = :pk" with ExpressionAttributeNames/Values.');
      const ctx = expressionContext(input);
      const key = keyCondition(source, input.KeyConditionExpression, ctx);
      const filter = typeof input.FilterExpression === 'string' ? parseCondition(input.FilterExpression, ctx, 'FilterExpression') : undefined;
      const projection = typeof input.ProjectionExpression === 'string' ? parseProjection(input.ProjectionExpression, ctx) : undefined;
      ctx.checkAllUsed();
      const compare = comparator(source);
      const inPartition = source.index ? source.table.all().filter((item) => inIndex(source, item) && valuesEqual(item[source.keys.hash]!, key.hash)) : source.table.partition(key.hash);
      let items = inPartition.filter((item) => !key.range || evaluateCondition(key.range, item, 'KeyConditionExpression')).sort(compare);
      const forward = input.ScanIndexForward !== false;
      if (!forward) items.reverse();
      items = startAfter(items, source, input.ExclusiveStartKey, compare, forward);
      return page({ source, candidates: items, input, filter, projection });
    },
    Scan(input) {
      rejectLegacy(input, 'ScanFilter', 'ConditionalOperator');
      const source = sourceOf(store, input);
      const ctx = expressionContext(input);
      const filter = typeof input.FilterExpression === 'string' ? parseCondition(input.FilterExpression, ctx, 'FilterExpression') : undefined;
      const projection = typeof input.ProjectionExpression === 'string' ? parseProjection(input.ProjectionExpression, ctx) : Array.isArray(input.AttributesToGet) ? input.AttributesToGet.map((n) => [{ name: String(n) }]) : undefined;
      ctx.checkAllUsed();
      let items = source.table.all().filter((item) => !source.index || inIndex(source, item));
      if (input.TotalSegments !== undefined) {
        const total = Number(input.TotalSegments);
        const segment = Number(input.Segment);
        if (!Number.isInteger(total) || total < 1 || total > 1_000_000 || !Number.isInteger(segment) || segment < 0 || segment >= total) throw dynamoErrors.validation('Segment must be from 0 to TotalSegments - 1, and TotalSegments from 1 to 1000000.');
        items = items.filter((item) => createHash('md5').update(keyText(item[source.table.keys.hash]!)).digest().readUInt32BE(0) % total === segment);
      }
      const compare = comparator(source);
      items = startAfter(items, source, input.ExclusiveStartKey, (a, b) => {
        const x = keyText(a[source.table.keys.hash]!);
        const y = keyText(b[source.table.keys.hash]!);
        return x < y ? -1 : x > y ? 1 : compare(a, b);
      }, true);
      return page({ source, candidates: items, input, filter, projection });
    },
  };
}
