import { expect, test } from 'vitest';
import { compareRanks, matchPath, parsePathTemplate, requestSegments, type PathTemplate } from './path-template.ts';

const template = (text: string): PathTemplate => {
  const parsed = parsePathTemplate(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
};

test('parameters fill whole segments; a greedy parameter takes the rest, at least one segment', () => {
  expect(matchPath(template('/items/{id}'), requestSegments('/items/42'))?.pathParameters).toEqual({ id: '42' });
  expect(matchPath(template('/items/{id}'), requestSegments('/items/42/extra'))).toBeUndefined();
  expect(matchPath(template('/files/{proxy+}'), requestSegments('/files/a/b%20c'))?.pathParameters).toEqual({ proxy: 'a/b c' });
  expect(matchPath(template('/files/{proxy+}'), requestSegments('/files'))).toBeUndefined();
  expect(matchPath(template('/{proxy+}'), requestSegments('/'))).toBeUndefined();
  expect(matchPath(template('/'), requestSegments('/'))).toEqual({ pathParameters: {}, rank: [] });
});

test('one trailing slash is ignored, and a malformed escape is kept as sent', () => {
  expect(matchPath(template('/items'), requestSegments('/items/'))).toBeDefined();
  expect(requestSegments('/a/%E0%A4%A')).toEqual(['a', '%E0%A4%A']);
});

test('paths API Gateway refuses are reported', () => {
  expect(parsePathTemplate('items')).toMatch(/does not start with/);
  expect(parsePathTemplate('/{proxy+}/x')).toMatch(/must be the last segment/);
  expect(parsePathTemplate('/items/{id}.json')).toMatch(/whole segment/);
  expect(parsePathTemplate('/a//b')).toMatch(/empty segment/);
});

test('literal segments rank before parameters, parameters before greedy', () => {
  const rank = (t: string, path: string) => matchPath(template(t), requestSegments(path))!.rank;
  expect(compareRanks(rank('/items/special', '/items/special'), rank('/items/{id}', '/items/special'))).toBeLessThan(0);
  expect(compareRanks(rank('/items/{id}', '/items/1'), rank('/{proxy+}', '/items/1'))).toBeLessThan(0);
  expect(compareRanks(rank('/files/{proxy+}', '/files/a'), rank('/{proxy+}', '/files/a'))).toBeLessThan(0);
});
