import { describe, expect, test } from 'vitest';
import type { AttributeValue, Item } from './attribute-value.ts';
import { addNumbers, normalizeNumber } from './decimal-number.ts';
import { applyUpdate, evaluateCondition } from './expression-evaluator.ts';
import { ExpressionContext, parseCondition, parseUpdate } from './expression-parser.ts';

const item: Item = {
  id: { S: 'a1' },
  n: { N: '5' },
  tags: { SS: ['x', 'y'] },
  parts: { L: [{ S: 'first' }, { N: '2' }] },
  nested: { M: { deep: { M: { flag: { BOOL: true } } } } },
  name: { S: 'Ann' },
};

function check(expression: string, values: Record<string, AttributeValue> = {}, names?: Record<string, string>): boolean {
  const ctx = new ExpressionContext(names, Object.keys(values).length ? values : undefined);
  const condition = parseCondition(expression, ctx);
  ctx.checkAllUsed();
  return evaluateCondition(condition, item);
}

describe('condition expressions', () => {
  test.each([
    ['n = :five', { ':five': { N: '5.0' } }, true],
    ['n BETWEEN :a AND :b', { ':a': { N: '1' }, ':b': { N: '5' } }, true],
    ['n IN (:a, :b)', { ':a': { N: '1' }, ':b': { N: '5' } }, true],
    ['attribute_exists(nested.deep.flag) AND nested.deep.flag = :t', { ':t': { BOOL: true } }, true],
    ['attribute_not_exists(absent) OR n < :a', { ':a': { N: '1' } }, true],
    ['NOT (n > :a)', { ':a': { N: '1' } }, false],
    ['contains(tags, :x) AND contains(#nm, :nn)', { ':x': { S: 'x' }, ':nn': { S: 'nn' } }, true],
    ['begins_with(parts[0], :f)', { ':f': { S: 'fir' } }, true],
    ['size(tags) = :two AND size(#nm) > :two', { ':two': { N: '2' } }, true],
    ['attribute_type(n, :t)', { ':t': { S: 'N' } }, true],
    ['absent <> :v', { ':v': { S: 'x' } }, true],
    ['absent = :v', { ':v': { S: 'x' } }, false],
    ['n > :s', { ':s': { S: '1' } }, false],
  ])('%s is %s', (expression, values, expected) => {
    const names = expression.includes('#nm') ? { '#nm': 'name' } : undefined;
    expect(check(expression, values as Record<string, AttributeValue>, names)).toBe(expected);
  });

  test('mistakes are rejected with DynamoDB messages', () => {
    expect(() => check('name = :v', { ':v': { S: 'x' } })).toThrow('Attribute name is a reserved keyword; reserved keyword: name');
    expect(() => check('#x = :v', { ':v': { S: 'x' } })).toThrow('An expression attribute name used in the document path is not defined; attribute name: #x');
    expect(() => check('n = :nope')).toThrow('An expression attribute value used in expression is not defined; attribute value: :nope');
    expect(() => check('n = ', {})).toThrow('Syntax error; token: "<EOF>"');
    expect(() => check('n BETWEEN :b AND :a', { ':a': { N: '1' }, ':b': { N: '5' } })).toThrow('The BETWEEN operator requires upper bound to be greater than or equal to lower bound');
  });
});

describe('update expressions', () => {
  const update = (expression: string, values: Record<string, AttributeValue> = {}) => {
    const ctx = new ExpressionContext(undefined, Object.keys(values).length ? values : undefined);
    const actions = parseUpdate(expression, ctx);
    ctx.checkAllUsed();
    return applyUpdate(item, actions).item;
  };

  test('SET evaluates right-hand sides against the item as it was, so values can swap', () => {
    const out = update('SET id = n, n = id');
    expect([out.id, out.n]).toEqual([{ N: '5' }, { S: 'a1' }]);
  });

  test('parts elements: SET past the end appends, REMOVE shifts the rest', () => {
    expect(update('SET parts[9] = :v', { ':v': { S: 'end' } }).parts).toEqual({ L: [{ S: 'first' }, { N: '2' }, { S: 'end' }] });
    expect(update('REMOVE parts[0]').parts).toEqual({ L: [{ N: '2' }] });
  });

  test('ADD and DELETE on sets; DELETE of the last element removes the attribute', () => {
    expect(update('ADD tags :z', { ':z': { SS: ['z', 'x'] } }).tags).toEqual({ SS: ['x', 'y', 'z'] });
    expect(update('DELETE tags :xy', { ':xy': { SS: ['x', 'y'] } }).tags).toBeUndefined();
  });

  test('overlapping paths and sections used twice are rejected', () => {
    expect(() => update('SET nested.deep = :v REMOVE nested', { ':v': { S: 'x' } })).toThrow('Two document paths overlap');
    expect(() => update('SET n = :v SET id = :v', { ':v': { S: 'x' } })).toThrow('The "SET" section can only be used once');
    expect(() => update('SET absent.child = :v', { ':v': { S: 'x' } })).toThrow('The document path provided in the update expression is invalid for update');
  });
});

test('numbers are exact decimals in DynamoDB form', () => {
  expect(addNumbers('0.1', '0.2')).toBe('0.3');
  expect(addNumbers('9007199254740993', '1')).toBe('9007199254740994');
  expect(normalizeNumber('001.500')).toBe('1.5');
  expect(normalizeNumber('1E+3')).toBe('1000');
  expect(normalizeNumber('-0')).toBe('0');
  expect(() => normalizeNumber('1'.repeat(39))).toThrow('38 significant digits');
  expect(() => normalizeNumber('abc')).toThrow('cannot be converted to a numeric value');
});
