import { describe, expect, test } from 'vitest';
import { InvalidEventPatternError, matchesEventPattern, parseEventPattern } from './event-pattern.ts';

const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'terminated',
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    sourceIPAddress: '10.0.0.123',
    name: 'Alice Smith',
    FileName: 'photo.PNG',
    responseElements: null,
    note: '',
    tags: ['blue', 'prod'],
    items: [
      { sku: 'a-1', qty: 2 },
      { sku: 'b-7', qty: 9 },
    ],
    flag: true,
  },
};

const cases: Array<[string, unknown, boolean]> = [
  // exact values: strings, numbers (by value), booleans, null, empty string; lists are OR
  ['exact source', { source: ['aws.ec2'] }, true],
  ['exact source, other value', { source: ['aws.s3'] }, false],
  ['one of several values', { source: ['aws.s3', 'aws.ec2'] }, true],
  ['case matters for exact', { source: ['AWS.EC2'] }, false],
  ['nested exact', { detail: { state: ['terminated'] } }, true],
  ['exact number by value', { detail: { 'c-count': [5.0] } }, true],
  ['a number does not equal its string', { detail: { 'c-count': ['5'] } }, false],
  ['exact true', { detail: { flag: [true] } }, true],
  ['null matches null', { detail: { responseElements: [null] } }, true],
  ['null does not match a missing field', { detail: { missing: [null] } }, false],
  ['empty string matches empty string', { detail: { note: [''] } }, true],
  ['all fields must match (AND)', { source: ['aws.ec2'], detail: { state: ['running'] } }, false],
  // arrays in the event: any element matches
  ['event array: any element', { resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0', 'other'] }, true],
  ['event array of strings', { detail: { tags: ['prod'] } }, true],
  ['event array of objects: nested key', { detail: { items: { sku: ['b-7'] } } }, true],
  ['event array of objects: flattened across elements', { detail: { items: { sku: ['a-1'], qty: [9] } } }, true],
  ['event array of objects: numeric', { detail: { items: { qty: [{ numeric: ['>', 10] }] } } }, false],
  // prefix / suffix, with and without equals-ignore-case
  ['prefix', { time: [{ prefix: '2017-12-22' }] }, true],
  ['prefix no match', { time: [{ prefix: '2017-10-02' }] }, false],
  ['prefix is case-sensitive', { detail: { name: [{ prefix: 'alice' }] } }, false],
  ['prefix equals-ignore-case', { detail: { name: [{ prefix: { 'equals-ignore-case': 'alice' } }] } }, true],
  ['suffix', { detail: { FileName: [{ suffix: '.PNG' }] } }, true],
  ['suffix is case-sensitive', { detail: { FileName: [{ suffix: '.png' }] } }, false],
  ['suffix equals-ignore-case', { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, true],
  ['prefix does not apply to numbers', { detail: { 'c-count': [{ prefix: '5' }] } }, false],
  // equals-ignore-case
  ['equals-ignore-case', { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] }, true],
  ['equals-ignore-case no match', { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance' }] }, false],
  // anything-but
  ['anything-but string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, true],
  ['anything-but string, excluded', { detail: { state: [{ 'anything-but': 'terminated' }] } }, false],
  ['anything-but list', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, true],
  ['anything-but list, excluded', { detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } }, false],
  ['anything-but number', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, true],
  ['anything-but number list, excluded', { detail: { 'c-count': [{ 'anything-but': [4, 5] }] } }, false],
  ['anything-but prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, true],
  ['anything-but prefix, excluded', { detail: { state: [{ 'anything-but': { prefix: 'term' } }] } }, false],
  ['anything-but prefix list', { detail: { state: [{ 'anything-but': { prefix: ['init', 'term'] } }] } }, false],
  ['anything-but suffix', { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } }, true],
  ['anything-but suffix, excluded', { detail: { FileName: [{ 'anything-but': { suffix: '.PNG' } }] } }, false],
  ['anything-but equals-ignore-case', { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['TERMINATED', 'Stopped'] } }] } }, false],
  ['anything-but wildcard', { detail: { FileName: [{ 'anything-but': { wildcard: '*.txt' } }] } }, true],
  ['anything-but needs the field', { detail: { missing: [{ 'anything-but': 'x' }] } }, false],
  // numeric
  ['numeric range (AWS example)', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, true],
  ['numeric exclusive bound', { detail: { 'c-count': [{ numeric: ['<', 5] }] } }, false],
  ['numeric inclusive bound', { detail: { 'c-count': [{ numeric: ['>=', 5] }] } }, true],
  ['numeric does not match strings', { detail: { state: [{ numeric: ['>', 0] }] } }, false],
  // exists
  ['exists true', { detail: { state: [{ exists: true }] } }, true],
  ['exists true, absent', { detail: { nothing: [{ exists: true }] } }, false],
  ['exists false, absent', { detail: { nothing: [{ exists: false }] } }, true],
  ['exists false, present', { detail: { state: [{ exists: false }] } }, false],
  ['exists only looks at leaves', { detail: [{ exists: true }] }, false],
  ['exists true on null (a value)', { detail: { responseElements: [{ exists: true }] } }, true],
  // cidr
  ['cidr v4', { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, true],
  ['cidr v4 outside', { detail: { sourceIPAddress: [{ cidr: '10.0.1.0/24' }] } }, false],
  ['cidr v4 /32', { detail: { sourceIPAddress: [{ cidr: '10.0.0.123/32' }] } }, true],
  ['cidr v6 does not match a v4 address', { detail: { sourceIPAddress: [{ cidr: '2001:db8::/32' }] } }, false],
  // wildcard
  ['wildcard (AWS example)', { resources: [{ wildcard: 'arn:aws:ec2:us-west-1:*:instance/*' }] }, true],
  ['wildcard no match', { resources: [{ wildcard: 'arn:aws:s3:::*' }] }, false],
  ['wildcard in the middle', { detail: { FileName: [{ wildcard: 'ph*.PNG' }] } }, true],
  ['escaped star is a literal star', { detail: { FileName: [{ wildcard: 'photo\\*' }] } }, false],
  ['wildcard is case-sensitive', { detail: { FileName: [{ wildcard: '*.png' }] } }, false],
  // $or
  ['$or (AWS example)', { detail: { $or: [{ 'c-count': [{ numeric: ['>', 100] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } }, true],
  ['$or none matches', { detail: { $or: [{ 'c-count': [{ numeric: ['>', 100] }] }, { state: ['running'] }] } }, false],
  ['$or at the top, with siblings', { source: ['aws.ec2'], $or: [{ 'detail-type': ['nope'] }, { detail: { state: ['terminated'] } }] }, true],
  ['$or with a failing sibling', { source: ['aws.s3'], $or: [{ 'detail-type': ['nope'] }, { detail: { state: ['terminated'] } }] }, false],
  // several operators in one list are OR
  ['mixed list: exact or prefix', { detail: { state: ['running', { prefix: 'term' }] } }, true],
  ['mixed list: value or exists false', { detail: { nothing: ['x', { exists: false }] } }, true],
];

describe('event pattern matching', () => {
  test.each(cases)('%s', (_name, pattern, expected) => {
    expect(matchesEventPattern(parseEventPattern(pattern), ec2Event)).toBe(expected);
  });

  test('patterns are accepted as JSON text too', () => {
    expect(matchesEventPattern(parseEventPattern('{"source":["aws.ec2"],"detail":{"state":["terminated"]}}'), ec2Event)).toBe(true);
  });

  test('a custom application event', () => {
    const pattern = parseEventPattern({ source: ['com.shop.orders'], 'detail-type': ['OrderPlaced'], detail: { total: [{ numeric: ['>=', 100] }], country: [{ 'anything-but': ['XX'] }] } });
    const event = (detail: object) => ({ source: 'com.shop.orders', 'detail-type': 'OrderPlaced', detail });
    expect(matchesEventPattern(pattern, event({ total: 150, country: 'DE' }))).toBe(true);
    expect(matchesEventPattern(pattern, event({ total: 99.99, country: 'DE' }))).toBe(false);
    expect(matchesEventPattern(pattern, event({ total: 150, country: 'XX' }))).toBe(false);
    expect(matchesEventPattern(pattern, event({ total: 150 }))).toBe(false);
  });
});

describe('invalid patterns are InvalidEventPatternException with the reason', () => {
  test.each([
    ['not JSON', '{source: [aws.ec2]}', 'the pattern is not JSON'],
    ['not an object', '["aws.ec2"]', 'Filter is not an object'],
    ['a bare string value', { source: 'aws.ec2' }, '"source" must be an object or an array (at source)'],
    ['an empty list', { source: [] }, 'empty array'],
    ['an object in a list that is not a match type', { source: [{ foo: 'x' }] }, 'Unrecognized match type foo'],
    ['a nested list', { source: [['aws.ec2']] }, 'Match value must be String, number, true, false, or null'],
    ['two match types in one object', { source: [{ prefix: 'a', suffix: 'b' }] }, 'exactly one match type'],
    ['prefix of a number', { source: [{ prefix: 5 }] }, 'prefix match pattern must be a string'],
    ['suffix of an object', { source: [{ suffix: { foo: 'x' } }] }, 'suffix match pattern must be a string'],
    ['equals-ignore-case of a number', { source: [{ 'equals-ignore-case': 5 }] }, 'equals-ignore-case match pattern must be a string'],
    ['numeric with a bad operator', { detail: { n: [{ numeric: ['>>', 5] }] } }, 'Unrecognized numeric range operator: ">>"'],
    ['numeric with a string value', { detail: { n: [{ numeric: ['>', '5'] }] } }, 'Value of > must be numeric'],
    ['numeric with an upside-down range', { detail: { n: [{ numeric: ['>', 10, '<', 5] }] } }, 'Bottom must be less than top'],
    ['numeric with two lower bounds', { detail: { n: [{ numeric: ['>', 1, '>=', 5] }] } }, 'two lower bounds'],
    ['numeric out of range', { detail: { n: [{ numeric: ['>', 6e9] }] } }, 'between -5.0E9 and +5.0E9'],
    ['exists not boolean', { detail: { n: [{ exists: 'yes' }] } }, 'exists match pattern must be either true or false.'],
    ['anything-but with null', { detail: { n: [{ 'anything-but': null }] } }, 'Inside anything but list, start|null|boolean is not supported'],
    ['anything-but mixed list', { detail: { n: [{ 'anything-but': ['a', 1] }] } }, 'strings and numbers cannot be mixed'],
    ['anything-but with an unknown operator', { detail: { n: [{ 'anything-but': { numeric: ['>', 1] } }] } }, 'anything-but takes a value'],
    ['cidr that is not a CIDR', { detail: { ip: [{ cidr: '10.0.0.300/24' }] } }, 'Malformed CIDR'],
    ['wildcard with consecutive stars', { detail: { f: [{ wildcard: 'a**b' }] } }, 'Consecutive wildcard characters at pos 2'],
    ['$or with one alternative', { $or: [{ source: ['a'] }] }, '"$or" must be an array of at least two patterns'],
    ['$or with a non-object', { $or: [{ source: ['a'] }, 'b'] }, 'each "$or" alternative must be an object'],
    ['empty object', {}, 'Empty objects are not allowed'],
  ])('%s', (_name, pattern, reason) => {
    let caught: unknown;
    try {
      parseEventPattern(pattern);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidEventPatternError);
    expect((caught as InvalidEventPatternError).awsName).toBe('InvalidEventPatternException');
    expect((caught as Error).message).toMatch(/^Event pattern is not valid\. Reason: /);
    expect((caught as Error).message).toContain(reason);
  });
});
