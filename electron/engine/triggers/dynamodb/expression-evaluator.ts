import { cloneItem, compareValues, typeOf, valuesEqual, type AttributeValue, type Item } from './attribute-value.ts';
import { addNumbers, compareNumbers } from './decimal-number.ts';
import { dynamoErrors } from './dynamodb-errors.ts';
import { pathText, type Condition, type DocumentPath, type Operand, type UpdateActions } from './expression-parser.ts';

export function resolvePath(item: Item | undefined, path: DocumentPath): AttributeValue | undefined {
  let current: AttributeValue | undefined;
  for (const [i, element] of path.entries()) {
    if (i === 0) {
      current = 'name' in element ? item?.[element.name] : undefined;
      continue;
    }
    if (current === undefined) return undefined;
    if ('name' in element) current = 'M' in current ? current.M[element.name] : undefined;
    else current = 'L' in current ? current.L[element.index] : undefined;
  }
  return current;
}

function sizeOf(value: AttributeValue): number | undefined {
  if ('S' in value) return Buffer.byteLength(value.S);
  if ('B' in value) return Buffer.from(value.B, 'base64').length;
  if ('SS' in value) return value.SS.length;
  if ('NS' in value) return value.NS.length;
  if ('BS' in value) return value.BS.length;
  if ('L' in value) return value.L.length;
  if ('M' in value) return Object.keys(value.M).length;
  return undefined;
}

function conditionOperand(item: Item | undefined, operand: Operand, expression: string): AttributeValue | undefined {
  switch (operand.kind) {
    case 'path':
      return resolvePath(item, operand.path);
    case 'value':
      return operand.value;
    case 'size': {
      const value = resolvePath(item, operand.path);
      if (value === undefined) return undefined;
      const size = sizeOf(value);
      if (size === undefined) throw dynamoErrors.validation(`Invalid ${expression}: Incorrect operand type for operator or function; operator or function: size, operand type: ${typeOf(value)}`);
      return { N: String(size) };
    }
    default:
      throw dynamoErrors.validation(`Invalid ${expression}: ${operand.kind} is only allowed in an UpdateExpression.`);
  }
}

/** Whether `item` (undefined: no item) satisfies the condition, by DynamoDB's rules. */
export function evaluateCondition(condition: Condition, item: Item | undefined, expression = 'ConditionExpression'): boolean {
  const operand = (o: Operand) => conditionOperand(item, o, expression);
  switch (condition.kind) {
    case 'and':
      return evaluateCondition(condition.left, item, expression) && evaluateCondition(condition.right, item, expression);
    case 'or':
      return evaluateCondition(condition.left, item, expression) || evaluateCondition(condition.right, item, expression);
    case 'not':
      return !evaluateCondition(condition.condition, item, expression);
    case 'compare': {
      const left = operand(condition.left);
      const right = operand(condition.right);
      if (left === undefined || right === undefined) return condition.op === '<>' && (left !== undefined || right !== undefined);
      if (condition.op === '=') return valuesEqual(left, right);
      if (condition.op === '<>') return !valuesEqual(left, right);
      const order = compareValues(left, right);
      if (order === undefined) return false;
      return condition.op === '<' ? order < 0 : condition.op === '<=' ? order <= 0 : condition.op === '>' ? order > 0 : order >= 0;
    }
    case 'between': {
      const value = operand(condition.value);
      const low = operand(condition.low);
      const high = operand(condition.high);
      if (low && high && compareValues(low, high) !== undefined && compareValues(low, high)! > 0) {
        throw dynamoErrors.validation(`Invalid ${expression}: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower operand: AttributeValue: ${JSON.stringify(low)}, upper operand: AttributeValue: ${JSON.stringify(high)}`);
      }
      if (!value || !low || !high) return false;
      const a = compareValues(value, low);
      const b = compareValues(value, high);
      return a !== undefined && b !== undefined && a >= 0 && b <= 0;
    }
    case 'in': {
      const value = operand(condition.value);
      return value !== undefined && condition.list.some((o) => {
        const candidate = operand(o);
        return candidate !== undefined && valuesEqual(value, candidate);
      });
    }
    case 'function':
      return evaluateFunction(condition, item, expression);
  }
}

function evaluateFunction(condition: Extract<Condition, { kind: 'function' }>, item: Item | undefined, expression: string): boolean {
  const [first, second] = condition.args;
  const target = conditionOperand(item, first!, expression);
  switch (condition.name) {
    case 'attribute_exists':
      return target !== undefined;
    case 'attribute_not_exists':
      return target === undefined;
    case 'attribute_type': {
      const type = conditionOperand(item, second!, expression);
      if (!type || !('S' in type) || !['S', 'SS', 'N', 'NS', 'B', 'BS', 'BOOL', 'NULL', 'L', 'M'].includes(type.S)) {
        throw dynamoErrors.validation(`Invalid ${expression}: Invalid attribute type name found; type: ${type && 'S' in type ? type.S : JSON.stringify(type)}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`);
      }
      return target !== undefined && typeOf(target) === type.S;
    }
    case 'begins_with': {
      const prefix = conditionOperand(item, second!, expression);
      if (!target || !prefix) return false;
      if ('S' in target && 'S' in prefix) return Buffer.from(target.S).subarray(0, Buffer.byteLength(prefix.S)).equals(Buffer.from(prefix.S));
      if ('B' in target && 'B' in prefix) {
        const p = Buffer.from(prefix.B, 'base64');
        return Buffer.from(target.B, 'base64').subarray(0, p.length).equals(p);
      }
      return false;
    }
    case 'contains': {
      const needle = conditionOperand(item, second!, expression);
      if (!target || !needle) return false;
      if ('S' in target) return 'S' in needle && target.S.includes(needle.S);
      if ('B' in target) return 'B' in needle && Buffer.from(target.B, 'base64').includes(Buffer.from(needle.B, 'base64'));
      if ('SS' in target) return 'S' in needle && target.SS.includes(needle.S);
      if ('NS' in target) return 'N' in needle && target.NS.some((n) => compareNumbers(n, needle.N) === 0);
      if ('BS' in target) return 'B' in needle && target.BS.includes(needle.B);
      if ('L' in target) return target.L.some((v) => valuesEqual(v, needle));
      return false;
    }
  }
}

/** Values of SET right-hand sides are all read from the item as it was before the update. */
function updateOperand(item: Item, operand: Operand): AttributeValue {
  switch (operand.kind) {
    case 'path': {
      const value = resolvePath(item, operand.path);
      if (value === undefined) throw dynamoErrors.validation('The provided expression refers to an attribute that does not exist in the item');
      return value;
    }
    case 'value':
      return operand.value;
    case 'if_not_exists':
      return resolvePath(item, operand.path) ?? updateOperand(item, operand.fallback);
    case 'list_append': {
      const first = updateOperand(item, operand.first);
      const second = updateOperand(item, operand.second);
      if (!('L' in first) || !('L' in second)) throw dynamoErrors.validation(`Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: ${!('L' in first) ? typeOf(first) : typeOf(second)}`);
      return { L: [...first.L, ...second.L] };
    }
    case 'arithmetic': {
      const left = updateOperand(item, operand.left);
      const right = updateOperand(item, operand.right);
      if (!('N' in left) || !('N' in right)) throw dynamoErrors.validation(`An operand in the update expression has an incorrect data type`);
      return { N: addNumbers(left.N, right.N, operand.op === '+' ? 1 : -1) };
    }
    case 'size':
      throw dynamoErrors.validation('Invalid UpdateExpression: The function is not allowed in an update expression; function: size');
  }
}

function invalidPath(): Error {
  return dynamoErrors.validation('The document path provided in the update expression is invalid for update');
}

/** Writes `value` at `path` (creating the attribute, a map entry or a list element at the end). */
function setAt(item: Item, path: DocumentPath, value: AttributeValue): void {
  const first = path[0]!;
  if (!('name' in first)) throw invalidPath();
  if (path.length === 1) {
    item[first.name] = value;
    return;
  }
  const parent = resolvePath(item, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (!parent) throw invalidPath();
  if ('name' in last) {
    if (!('M' in parent)) throw invalidPath();
    parent.M[last.name] = value;
  } else {
    if (!('L' in parent)) throw invalidPath();
    if (last.index >= parent.L.length) parent.L.push(value);
    else parent.L[last.index] = value;
  }
}

function removeAt(item: Item, path: DocumentPath): void {
  const first = path[0]!;
  if (!('name' in first)) throw invalidPath();
  if (path.length === 1) {
    delete item[first.name];
    return;
  }
  const parent = resolvePath(item, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (!parent) return;
  if ('name' in last && 'M' in parent) delete parent.M[last.name];
  else if ('index' in last && 'L' in parent && last.index < parent.L.length) parent.L.splice(last.index, 1);
  else if (!('M' in parent) && !('L' in parent)) throw invalidPath();
}

/**
 * Applies an UpdateExpression to a copy of `item`, returning the new item and the top-level
 * attributes it touched (for UPDATED_OLD / UPDATED_NEW).
 */
export function applyUpdate(old: Item, actions: UpdateActions): { item: Item; touched: Set<string> } {
  const item = cloneItem(old);
  const touched = new Set<string>();
  const top = (path: DocumentPath) => (path[0] as { name: string }).name;
  const sets = actions.set.map((a) => ({ path: a.path, value: updateOperand(old, a.value) }));
  for (const { path, value } of sets) {
    setAt(item, path, cloneItem(value));
    touched.add(top(path));
  }
  // Removing list elements from the highest index down keeps the others' positions meaningful.
  const removals = [...actions.remove].sort((a, b) => {
    const x = a[a.length - 1]!;
    const y = b[b.length - 1]!;
    return 'index' in x && 'index' in y ? y.index - x.index : 0;
  });
  for (const path of removals) {
    removeAt(item, path);
    touched.add(top(path));
  }
  for (const { path, value: operand } of actions.add) {
    const value = (operand as { value: AttributeValue }).value;
    const current = resolvePath(item, path);
    touched.add(top(path));
    if ('N' in value) {
      if (current && !('N' in current)) throw dynamoErrors.validation('An operand in the update expression has an incorrect data type');
      setAt(item, path, { N: current && 'N' in current ? addNumbers(current.N, value.N) : value.N });
    } else if ('SS' in value || 'NS' in value || 'BS' in value) {
      const type = typeOf(value) as 'SS' | 'NS' | 'BS';
      if (current && typeOf(current) !== type) throw dynamoErrors.validation('An operand in the update expression has an incorrect data type');
      const existing = current ? ((current as Record<string, string[]>)[type] ?? []) : [];
      const merged = [...existing];
      for (const x of (value as Record<string, string[]>)[type]!) if (!merged.some((y) => (type === 'NS' ? compareNumbers(x, y) === 0 : x === y))) merged.push(x);
      setAt(item, path, { [type]: merged } as AttributeValue);
    } else {
      throw dynamoErrors.validation(`Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: ${typeOf(value) === 'L' ? 'LIST' : typeOf(value)}`);
    }
  }
  for (const { path, value: operand } of actions.delete) {
    const value = (operand as { value: AttributeValue }).value;
    const type = typeOf(value);
    if (type !== 'SS' && type !== 'NS' && type !== 'BS') throw dynamoErrors.validation(`Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: ${type}`);
    const current = resolvePath(item, path);
    touched.add(top(path));
    if (!current) continue;
    if (typeOf(current) !== type) throw dynamoErrors.validation('An operand in the update expression has an incorrect data type');
    const removing = (value as Record<string, string[]>)[type]!;
    const left = (current as Record<string, string[]>)[type]!.filter((x) => !removing.some((y) => (type === 'NS' ? compareNumbers(x, y) === 0 : x === y)));
    if (left.length === 0) removeAt(item, path);
    else setAt(item, path, { [type]: left } as AttributeValue);
  }
  return { item, touched };
}

/** The parts of `item` that `paths` name, shaped as DynamoDB returns them. */
export function project(item: Item, paths: DocumentPath[]): Item {
  const out: Item = {};
  for (const path of paths) {
    const value = resolvePath(item, path);
    if (value === undefined) continue;
    let target: Record<string, AttributeValue> | AttributeValue[] = out;
    for (const [i, element] of path.entries()) {
      const last = i === path.length - 1;
      const key = 'name' in element ? element.name : element.index;
      const nextElement = path[i + 1];
      if (last) {
        if (Array.isArray(target)) target.push(cloneItem(value));
        else target[key as string] = cloneItem(value);
        break;
      }
      const container: AttributeValue = nextElement && 'index' in nextElement ? { L: [] } : { M: {} };
      let existing: AttributeValue | undefined = Array.isArray(target) ? undefined : target[key as string];
      if (!existing) {
        existing = container;
        if (Array.isArray(target)) target.push(existing);
        else target[key as string] = existing;
      }
      target = 'M' in existing ? existing.M : 'L' in existing ? existing.L : {};
    }
  }
  return out;
}

export { pathText };
