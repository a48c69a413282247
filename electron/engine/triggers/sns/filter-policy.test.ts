import { describe, expect, test } from 'vitest';
import { matchesFilterPolicy, parseFilterPolicy, type MessageAttribute } from './filter-policy.ts';
import { InvalidParameterError } from './sns-errors.ts';

// The message of the AWS documentation's filter policy examples.
const attributes: Record<string, MessageAttribute> = {
  customer_interests: { dataType: 'String.Array', stringValue: '["soccer", "rugby", "hockey"]' },
  store: { dataType: 'String', stringValue: 'example_corp' },
  event: { dataType: 'String', stringValue: 'order_placed' },
  price_usd: { dataType: 'Number', stringValue: '210.75' },
  source_ip: { dataType: 'String', stringValue: '10.0.0.42' },
  encrypted: { dataType: 'Binary', binaryValue: 'AAEC' },
  order_id: { dataType: 'String.custom', stringValue: 'A-1001' },
  quantity: { dataType: 'Number', stringValue: '3' },
};
const body = JSON.stringify({
  store: 'example_corp',
  event: 'order_placed',
  customer_interests: ['soccer', 'rugby', 'hockey'],
  price_usd: 210.75,
  payment: { method: 'card', last4: '4242' },
  lines: [{ sku: 'tee', qty: 2 }, { sku: 'cap', qty: 1 }],
  gift: false,
  note: null,
});

const attributeCases: Array<[string, unknown, boolean]> = [
  ['AWS example: store, anything-but, array, numeric', { store: ['example_corp'], event: [{ 'anything-but': 'order_cancelled' }], customer_interests: ['rugby', 'football', 'baseball'], price_usd: [{ numeric: ['>=', 100] }] }, true],
  ['exact string', { store: ['example_corp'] }, true],
  ['exact string, other value', { store: ['other_corp'] }, false],
  ['exact is case-sensitive', { store: ['Example_Corp'] }, false],
  ['a custom String type is a string', { order_id: ['A-1001'] }, true],
  ['String.Array: any element', { customer_interests: ['hockey'] }, true],
  ['String.Array: none of them', { customer_interests: ['tennis', 'golf'] }, false],
  ['exact number matches a Number attribute', { quantity: [3] }, true],
  ['exact number does not match a String attribute', { order_id: [1001] }, false],
  ['exact string does not match a Number attribute', { quantity: ['3'] }, false],
  ['every key must match (AND)', { store: ['example_corp'], event: ['order_cancelled'] }, false],
  ['a missing attribute fails an exact match', { discount: ['yes'] }, false],
  ['prefix', { customer_interests: [{ prefix: 'hoc' }] }, true],
  ['prefix no match', { customer_interests: [{ prefix: 'bas' }] }, false],
  ['suffix', { store: [{ suffix: '_corp' }] }, true],
  ['suffix no match', { store: [{ suffix: '_inc' }] }, false],
  ['equals-ignore-case', { store: [{ 'equals-ignore-case': 'EXAMPLE_CORP' }] }, true],
  ['equals-ignore-case no match', { store: [{ 'equals-ignore-case': 'EXAMPLE' }] }, false],
  ['anything-but string', { event: [{ 'anything-but': 'order_cancelled' }] }, true],
  ['anything-but string, excluded', { event: [{ 'anything-but': 'order_placed' }] }, false],
  ['anything-but list', { store: [{ 'anything-but': ['a', 'b'] }] }, true],
  ['anything-but list, excluded', { store: [{ 'anything-but': ['a', 'example_corp'] }] }, false],
  ['anything-but number', { quantity: [{ 'anything-but': [1, 2] }] }, true],
  ['anything-but number, excluded', { quantity: [{ 'anything-but': 3 }] }, false],
  ['anything-but prefix', { event: [{ 'anything-but': { prefix: 'order-' } }] }, true],
  ['anything-but prefix, excluded', { event: [{ 'anything-but': { prefix: 'order_' } }] }, false],
  ['anything-but suffix, excluded', { event: [{ 'anything-but': { suffix: '_placed' } }] }, false],
  ['anything-but needs the attribute', { discount: [{ 'anything-but': 'x' }] }, false],
  ['numeric range (AWS example)', { price_usd: [{ numeric: ['>', 0, '<=', 150] }] }, false],
  ['numeric range hit', { price_usd: [{ numeric: ['>', 200, '<', 300] }] }, true],
  ['numeric equals', { price_usd: [{ numeric: ['=', 210.75] }] }, true],
  ['numeric inclusive lower bound', { quantity: [{ numeric: ['>=', 3] }] }, true],
  ['numeric exclusive upper bound', { quantity: [{ numeric: ['<', 3] }] }, false],
  ['numeric does not match a String attribute', { store: [{ numeric: ['>', 0] }] }, false],
  ['exists true', { store: [{ exists: true }] }, true],
  ['exists true, absent', { discount: [{ exists: true }] }, false],
  ['exists false, absent', { discount: [{ exists: false }] }, true],
  ['exists false, present', { store: [{ exists: false }] }, false],
  ['Binary attributes are not looked at', { encrypted: [{ exists: true }] }, false],
  ['cidr', { source_ip: [{ cidr: '10.0.0.0/24' }] }, true],
  ['cidr outside', { source_ip: [{ cidr: '10.0.1.0/24' }] }, false],
  ['$or', { store: ['example_corp'], $or: [{ event: ['order_cancelled'] }, { price_usd: [{ numeric: ['>', 200] }] }] }, true],
  ['$or none', { $or: [{ event: ['order_cancelled'] }, { price_usd: [{ numeric: ['<', 200] }] }] }, false],
  ['list of conditions is OR', { event: ['order_cancelled', { prefix: 'order_p' }] }, true],
];

const bodyCases: Array<[string, unknown, boolean]> = [
  ['top-level exact', { store: ['example_corp'] }, true],
  ['nested exact', { payment: { method: ['card'] } }, true],
  ['nested no match', { payment: { method: ['cash'] } }, false],
  ['array of strings', { customer_interests: ['rugby'] }, true],
  ['array of objects', { lines: { sku: ['cap'] } }, true],
  ['numeric in the body', { price_usd: [{ numeric: ['>', 200] }] }, true],
  ['numeric inside objects of an array', { lines: { qty: [{ numeric: ['>', 5] }] } }, false],
  ['boolean', { gift: [false] }, true],
  ['null', { note: [null] }, true],
  ['exists false, nested', { payment: { token: [{ exists: false }] } }, true],
  ['prefix nested', { payment: { last4: [{ prefix: '42' }] } }, true],
  ['anything-but nested, excluded', { payment: { method: [{ 'anything-but': ['card'] }] } }, false],
  ['$or nested', { payment: { $or: [{ method: ['cash'] }, { last4: ['4242'] }] } }, true],
];

describe('SNS filter policies, MessageAttributes scope', () => {
  test.each(attributeCases)('%s', (_name, policy, expected) => {
    expect(matchesFilterPolicy(parseFilterPolicy(policy), { body: 'not json', attributes })).toBe(expected);
  });
});

describe('SNS filter policies, MessageBody scope', () => {
  test.each(bodyCases)('%s', (_name, policy, expected) => {
    expect(matchesFilterPolicy(parseFilterPolicy(policy, 'MessageBody'), { body, attributes: {} })).toBe(expected);
  });

  test('a body that is not JSON matches no body policy', () => {
    expect(matchesFilterPolicy(parseFilterPolicy({ store: [{ exists: false }] }, 'MessageBody'), { body: 'hello', attributes: {} })).toBe(false);
  });

  test('attributes are not looked at in MessageBody scope', () => {
    expect(matchesFilterPolicy(parseFilterPolicy({ store: ['example_corp'] }, 'MessageBody'), { body: '{}', attributes })).toBe(false);
  });
});

describe('invalid policies are InvalidParameter with the reason', () => {
  const keys6 = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [k, ['x']]));
  const combos = { a: Array.from({ length: 10 }, (_, i) => `a${i}`), b: Array.from({ length: 16 }, (_, i) => `b${i}`) };
  test.each([
    ['not JSON', '{store: x}', 'MessageAttributes', 'the policy is not JSON'],
    ['not an object', '["x"]', 'MessageAttributes', 'Filter policy must be a JSON object'],
    ['more than five keys', keys6, 'MessageAttributes', 'Filter policy can not have more than 5 keys (this one has 6)'],
    ['more than 150 combinations', combos, 'MessageAttributes', 'Filter policy is too complex: 160 combinations'],
    ['nesting in MessageAttributes scope', { payment: { method: ['card'] } }, 'MessageAttributes', 'Filter policy scope MessageAttributes does not support nested filter policy'],
    ['wildcard is EventBridge only', { store: [{ wildcard: '*corp' }] }, 'MessageAttributes', 'Unrecognized match type wildcard'],
    ['null in MessageAttributes scope', { store: [null] }, 'MessageAttributes', 'Match value must be String, number, true, false, or null'],
    ['a bare string', { store: 'example_corp' }, 'MessageAttributes', '"store" must be an object or an array'],
    ['numeric beyond 1e9', { price: [{ numeric: ['>', 2e9] }] }, 'MessageAttributes', 'Numeric values must be from -1.0E9 to 1.0E9'],
    ['six decimals', { price: [{ numeric: ['>', 1.123456] }] }, 'MessageAttributes', 'at most 5 digits after the decimal point'],
    ['numeric operator', { price: [{ numeric: ['~', 1] }] }, 'MessageAttributes', 'Unrecognized numeric range operator: "~"'],
    ['numeric value', { price: [{ numeric: ['>', 'one'] }] }, 'MessageAttributes', 'Value of > must be numeric'],
    ['numeric backwards', { price: [{ numeric: ['>', 5, '<', 1] }] }, 'MessageAttributes', 'Bottom must be less than top'],
    ['exists not boolean', { store: [{ exists: 1 }] }, 'MessageAttributes', 'exists match pattern must be either true or false.'],
    ['anything-but with a boolean', { store: [{ 'anything-but': true }] }, 'MessageAttributes', 'Inside anything but list'],
    ['anything-but with equals-ignore-case', { store: [{ 'anything-but': { wildcard: 'x' } }] }, 'MessageAttributes', 'anything-but takes a value'],
    ['prefix of a number', { store: [{ prefix: 1 }] }, 'MessageAttributes', 'prefix match pattern must be a string'],
    ['cidr not a block', { ip: [{ cidr: 'ten' }] }, 'MessageAttributes', 'Malformed CIDR'],
    ['$or with one alternative', { $or: [{ a: ['x'] }] }, 'MessageAttributes', '"$or" must be an array of at least two policies'],
    ['unknown scope', { a: ['x'] }, 'Everything', 'Please use either MessageBody or MessageAttributes'],
  ])('%s', (_name, policy, scope, reason) => {
    let caught: unknown;
    try {
      parseFilterPolicy(policy, scope as 'MessageAttributes');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidParameterError);
    expect((caught as InvalidParameterError).awsName).toBe('InvalidParameter');
    expect((caught as Error).message).toMatch(/^Invalid parameter: FilterPolicy/);
    expect((caught as Error).message).toContain(reason);
  });

  test('$or alternatives count separately towards the limits', () => {
    const alt = (k: string) => ({ [k]: Array.from({ length: 75 }, (_, i) => String(i)) });
    expect(() => parseFilterPolicy({ $or: [alt('a'), alt('b')] })).not.toThrow(); // 75 + 75 = 150
    expect(() => parseFilterPolicy({ $or: [alt('a'), alt('b'), { c: ['x'] }] })).toThrow(/151 combinations/);
  });
});
