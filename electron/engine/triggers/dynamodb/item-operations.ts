import type { JsonOperation } from './aws-json-protocol.ts';
import { checkItem, checkValue, itemSize, type AttributeValue, type Item } from './attribute-value.ts';
import { dynamoErrors } from './dynamodb-errors.ts';
import { applyUpdate, evaluateCondition, project } from './expression-evaluator.ts';
import { ExpressionContext, parseCondition, parseProjection, parseUpdate, type DocumentPath } from './expression-parser.ts';
import { checkKey, keyOfItem, primaryKeyText } from './table-definition.ts';
import { checkTableName } from './table-schema.ts';
import type { ItemWrite, TableData, TableStore } from './table-store.ts';

/** DynamoDB's item size limit. */
const MAX_ITEM_BYTES = 400 * 1024;

/** One write worked out against the current item, before anything is applied. */
interface WritePlan {
  table: TableData;
  key: Item;
  old?: Item;
  next: Item | null;
  /** Only for ConditionCheck: nothing is written. */
  checkOnly?: boolean;
  conditionFailed: boolean;
  touched?: Set<string>;
  returnOnConditionFailure?: string;
}

export function expressionContext(input: Record<string, unknown>): ExpressionContext {
  const names = input.ExpressionAttributeNames as Record<string, string> | undefined;
  const rawValues = input.ExpressionAttributeValues as Record<string, unknown> | undefined;
  let values: Record<string, AttributeValue> | undefined;
  if (rawValues !== undefined) {
    if (typeof rawValues !== 'object' || rawValues === null) throw dynamoErrors.validation('ExpressionAttributeValues must be a map of :names to AttributeValues.');
    if (Object.keys(rawValues).length === 0) throw dynamoErrors.validation('ExpressionAttributeValues must not be empty');
    values = {};
    for (const [k, v] of Object.entries(rawValues)) {
      try {
        values[k] = checkValue(v, `ExpressionAttributeValues.${k}`);
      } catch (err) {
        throw dynamoErrors.validation(`ExpressionAttributeValues contains invalid value: ${(err as Error).message} for key ${k}`);
      }
    }
  }
  if (names !== undefined && Object.keys(names).length === 0) throw dynamoErrors.validation('ExpressionAttributeNames must not be empty');
  return new ExpressionContext(names, values);
}

/** The pre-expression parameters are not emulated: say which expression replaces each. */
export function rejectLegacy(input: Record<string, unknown>, ...names: string[]): void {
  const replacements: Record<string, string> = {
    Expected: 'ConditionExpression',
    AttributeUpdates: 'UpdateExpression',
    KeyConditions: 'KeyConditionExpression',
    QueryFilter: 'FilterExpression',
    ScanFilter: 'FilterExpression',
    ConditionalOperator: 'AND/OR inside the expression',
  };
  for (const name of names) {
    if (input[name] !== undefined) throw dynamoErrors.validation(`LambdaDesk does not emulate the legacy parameter ${name}.`, `Use ${replacements[name] ?? 'the expression parameters'} instead (the AWS SDKs' document clients do).`);
  }
}

function projectionOf(input: Record<string, unknown>, ctx: ExpressionContext): DocumentPath[] | undefined {
  if (typeof input.ProjectionExpression === 'string') return parseProjection(input.ProjectionExpression, ctx);
  if (Array.isArray(input.AttributesToGet)) return input.AttributesToGet.map((name) => [{ name: String(name) }]);
  return undefined;
}

function conditionHolds(input: Record<string, unknown>, ctx: ExpressionContext, old: Item | undefined): boolean {
  if (typeof input.ConditionExpression !== 'string') return true;
  return evaluateCondition(parseCondition(input.ConditionExpression, ctx), old);
}

function planPut(store: TableStore, input: Record<string, unknown>): WritePlan {
  rejectLegacy(input, 'Expected', 'ConditionalOperator');
  const table = store.require(checkTableName(input.TableName));
  const item = checkItem(input.Item);
  const key = keyOfItem(table.definition, item);
  if (itemSize(item) > MAX_ITEM_BYTES) throw dynamoErrors.validation('Item size has exceeded the maximum allowed size');
  const ctx = expressionContext(input);
  const old = table.get(key);
  const conditionFailed = !conditionHolds(input, ctx, old);
  ctx.checkAllUsed();
  return { table, key, old, next: item, conditionFailed, returnOnConditionFailure: input.ReturnValuesOnConditionCheckFailure as string | undefined };
}

function planDelete(store: TableStore, input: Record<string, unknown>): WritePlan {
  rejectLegacy(input, 'Expected', 'ConditionalOperator');
  const table = store.require(checkTableName(input.TableName));
  const key = checkKey(table.definition, checkItem(input.Key, 'Key'));
  const ctx = expressionContext(input);
  const old = table.get(key);
  const conditionFailed = !conditionHolds(input, ctx, old);
  ctx.checkAllUsed();
  return { table, key, old, next: null, conditionFailed, returnOnConditionFailure: input.ReturnValuesOnConditionCheckFailure as string | undefined };
}

function planUpdate(store: TableStore, input: Record<string, unknown>): WritePlan {
  rejectLegacy(input, 'Expected', 'AttributeUpdates', 'ConditionalOperator');
  const table = store.require(checkTableName(input.TableName));
  const key = checkKey(table.definition, checkItem(input.Key, 'Key'));
  const ctx = expressionContext(input);
  const actions = typeof input.UpdateExpression === 'string' ? parseUpdate(input.UpdateExpression, ctx) : { set: [], remove: [], add: [], delete: [] };
  const keyAttributes = Object.keys(key);
  for (const path of [...actions.set.map((a) => a.path), ...actions.remove, ...actions.add.map((a) => a.path), ...actions.delete.map((a) => a.path)]) {
    const top = path[0];
    if (top && 'name' in top && keyAttributes.includes(top.name)) {
      throw dynamoErrors.validation(`One or more parameter values were invalid: Cannot update attribute ${top.name}. This attribute is part of the key`);
    }
  }
  const old = table.get(key);
  const conditionFailed = !conditionHolds(input, ctx, old);
  ctx.checkAllUsed();
  if (conditionFailed) return { table, key, old, next: old ?? null, conditionFailed, returnOnConditionFailure: input.ReturnValuesOnConditionCheckFailure as string | undefined };
  const { item, touched } = applyUpdate(old ?? key, actions);
  keyOfItem(table.definition, item);
  if (itemSize(item) > MAX_ITEM_BYTES) throw dynamoErrors.validation('Item size to update has exceeded the maximum allowed size');
  return { table, key, old, next: item, conditionFailed, touched };
}

function planConditionCheck(store: TableStore, input: Record<string, unknown>): WritePlan {
  const table = store.require(checkTableName(input.TableName));
  const key = checkKey(table.definition, checkItem(input.Key, 'Key'));
  if (typeof input.ConditionExpression !== 'string') throw dynamoErrors.validation('ConditionCheck needs a ConditionExpression.');
  const ctx = expressionContext(input);
  const old = table.get(key);
  const conditionFailed = !conditionHolds(input, ctx, old);
  ctx.checkAllUsed();
  return { table, key, old, next: old ?? null, conditionFailed, checkOnly: true, returnOnConditionFailure: input.ReturnValuesOnConditionCheckFailure as string | undefined };
}

function returned(plan: WritePlan, returnValues: unknown, allowed: string[]): Record<string, unknown> {
  const mode = returnValues === undefined ? 'NONE' : String(returnValues);
  if (!allowed.includes(mode)) throw dynamoErrors.validation(`1 validation error detected: Value '${mode}' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`);
  const pick = (item: Item | null | undefined) => {
    if (!item) return undefined;
    const out: Item = {};
    for (const name of plan.touched ?? []) if (item[name] !== undefined) out[name] = item[name]!;
    return Object.keys(out).length ? out : undefined;
  };
  const attributes = mode === 'ALL_OLD' ? plan.old : mode === 'ALL_NEW' ? (plan.next ?? undefined) : mode === 'UPDATED_OLD' ? pick(plan.old) : mode === 'UPDATED_NEW' ? pick(plan.next) : undefined;
  return attributes ? { Attributes: attributes } : {};
}

function capacity(input: Record<string, unknown>, tables: string[], units: number): Record<string, unknown> {
  const mode = input.ReturnConsumedCapacity;
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return {};
  return { ConsumedCapacity: tables.map((TableName) => ({ TableName, CapacityUnits: units })) };
}

function failCondition(plan: WritePlan): never {
  throw dynamoErrors.conditionalCheckFailed(plan.returnOnConditionFailure === 'ALL_OLD' ? plan.old : undefined);
}

function writeOf(plan: WritePlan): ItemWrite {
  return { table: plan.table.definition.TableName, key: plan.key, item: plan.next };
}

export function itemOperations(store: TableStore): Record<string, JsonOperation> {
  return {
    async PutItem(input) {
      const plan = planPut(store, input);
      if (plan.conditionFailed) failCondition(plan);
      await store.write([writeOf(plan)]);
      return { ...returned(plan, input.ReturnValues, ['NONE', 'ALL_OLD']), ...capacity(input, [plan.table.definition.TableName], 1) };
    },
    async UpdateItem(input) {
      const plan = planUpdate(store, input);
      if (plan.conditionFailed) failCondition(plan);
      await store.write([writeOf(plan)]);
      return { ...returned(plan, input.ReturnValues, ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW']), ...capacity(input, [plan.table.definition.TableName], 1) };
    },
    async DeleteItem(input) {
      const plan = planDelete(store, input);
      if (plan.conditionFailed) failCondition(plan);
      if (plan.old) await store.write([writeOf(plan)]);
      return { ...returned(plan, input.ReturnValues, ['NONE', 'ALL_OLD']), ...capacity(input, [plan.table.definition.TableName], 1) };
    },
    GetItem(input) {
      const table = store.require(checkTableName(input.TableName));
      const key = checkKey(table.definition, checkItem(input.Key, 'Key'));
      const ctx = expressionContext(input);
      const projection = projectionOf(input, ctx);
      ctx.checkAllUsed();
      const item = table.get(key);
      return { ...(item ? { Item: projection ? project(item, projection) : item } : {}), ...capacity(input, [table.definition.TableName], 0.5) };
    },
    BatchGetItem(input) {
      const requests = (input.RequestItems ?? {}) as Record<string, Record<string, unknown>>;
      const total = Object.values(requests).reduce((n, r) => n + (Array.isArray(r.Keys) ? r.Keys.length : 0), 0);
      if (total === 0) throw dynamoErrors.validation('1 validation error detected: Value at \'requestItems\' failed to satisfy constraint: Member must have length greater than or equal to 1');
      if (total > 100) throw dynamoErrors.validation('Too many items requested for the BatchGetItem call');
      const Responses: Record<string, Item[]> = {};
      for (const [name, request] of Object.entries(requests)) {
        const table = store.require(checkTableName(name));
        const ctx = expressionContext(request);
        const projection = projectionOf(request, ctx);
        ctx.checkAllUsed();
        const seen = new Set<string>();
        Responses[name] = [];
        for (const raw of (request.Keys as unknown[]) ?? []) {
          const key = checkKey(table.definition, checkItem(raw, 'Key'));
          const id = primaryKeyText(table.definition, key);
          if (seen.has(id)) throw dynamoErrors.validation('Provided list of item keys contains duplicates');
          seen.add(id);
          const item = table.get(key);
          if (item) Responses[name].push(projection ? project(item, projection) : item);
        }
      }
      return { Responses, UnprocessedKeys: {} };
    },
    async BatchWriteItem(input) {
      const requests = (input.RequestItems ?? {}) as Record<string, unknown[]>;
      const writes: ItemWrite[] = [];
      const seen = new Set<string>();
      for (const [name, list] of Object.entries(requests)) {
        const table = store.require(checkTableName(name));
        for (const raw of list ?? []) {
          const request = (raw ?? {}) as Record<string, Record<string, unknown>>;
          let write: ItemWrite;
          if (request.PutRequest) {
            const item = checkItem(request.PutRequest.Item);
            if (itemSize(item) > MAX_ITEM_BYTES) throw dynamoErrors.validation('Item size has exceeded the maximum allowed size');
            write = { table: name, key: keyOfItem(table.definition, item), item };
          } else if (request.DeleteRequest) {
            write = { table: name, key: checkKey(table.definition, checkItem(request.DeleteRequest.Key, 'Key')), item: null };
          } else throw dynamoErrors.validation('Each WriteRequest needs exactly one of PutRequest or DeleteRequest.');
          const id = `${name}\u0001${primaryKeyText(table.definition, write.key)}`;
          if (seen.has(id)) throw dynamoErrors.validation('Provided list of item keys contains duplicates');
          seen.add(id);
          writes.push(write);
        }
      }
      if (writes.length === 0) throw dynamoErrors.validation("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
      if (writes.length > 25) throw dynamoErrors.validation(`1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Member must have length less than or equal to 25`);
      // Deleting an item that is not there changes nothing and leaves no stream record.
      await store.write(writes.filter((w) => w.item !== null || store.require(w.table).get(w.key) !== undefined));
      return { UnprocessedItems: {} };
    },
    async TransactWriteItems(input) {
      const items = input.TransactItems;
      if (!Array.isArray(items) || items.length === 0 || items.length > 100) throw dynamoErrors.validation('1 validation error detected: Value at \'transactItems\' failed to satisfy constraint: Member must have length less than or equal to 100 and greater than or equal to 1');
      const plans = items.map((raw: unknown) => {
        const entry = (raw ?? {}) as Record<string, Record<string, unknown>>;
        if (entry.Put) return planPut(store, entry.Put);
        if (entry.Update) return planUpdate(store, entry.Update);
        if (entry.Delete) return planDelete(store, entry.Delete);
        if (entry.ConditionCheck) return planConditionCheck(store, entry.ConditionCheck);
        throw dynamoErrors.validation('Each TransactItem needs exactly one of Put, Update, Delete or ConditionCheck.');
      });
      const ids = plans.map((p) => `${p.table.definition.TableName}\u0001${primaryKeyText(p.table.definition, p.key)}`);
      if (new Set(ids).size !== ids.length) throw dynamoErrors.validation('Transaction request cannot include multiple operations on one item');
      if (plans.some((p) => p.conditionFailed)) {
        throw dynamoErrors.transactionCanceled(
          plans.map((p) => (p.conditionFailed ? { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...(p.returnOnConditionFailure === 'ALL_OLD' && p.old ? { Item: p.old } : {}) } : { Code: 'None' })),
        );
      }
      await store.write(plans.filter((p) => !p.checkOnly && (p.next !== null || p.old !== undefined)).map(writeOf));
      return {};
    },
    TransactGetItems(input) {
      const items = input.TransactItems;
      if (!Array.isArray(items) || items.length === 0 || items.length > 100) throw dynamoErrors.validation('TransactItems must hold 1 to 100 entries.');
      return {
        Responses: items.map((raw: unknown) => {
          const get = ((raw ?? {}) as Record<string, Record<string, unknown>>).Get;
          if (!get) throw dynamoErrors.validation('Each TransactGetItem needs Get.');
          const table = store.require(checkTableName(get.TableName));
          const key = checkKey(table.definition, checkItem(get.Key, 'Key'));
          const ctx = expressionContext(get);
          const projection = projectionOf(get, ctx);
          ctx.checkAllUsed();
          const item = table.get(key);
          return item ? { Item: projection ? project(item, projection) : item } : {};
        }),
      };
    },
  };
}
