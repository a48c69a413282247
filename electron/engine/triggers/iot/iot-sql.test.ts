import { describe, expect, test } from 'vitest';
import { evaluateRule } from './iot-sql-eval.ts';
import { IotSqlError, parseIotSql } from './iot-sql.ts';
import { topicFilterProblem, topicMatches } from './topic-filter.ts';

const run = (sql: string, topic: string, payload: unknown, clientId = 'dev-1') =>
  evaluateRule(parseIotSql(sql), { topic, payload: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)), clientId, receivedAt: 1_700_000_000_123 }, topicMatches);

describe('IoT SQL', () => {
  test('SELECT * passes the payload through when topic and WHERE match', () => {
    expect(run("SELECT * FROM 'sensors/#'", 'sensors/a/temp', { t: 1 })).toEqual({ t: 1 });
    expect(run("SELECT * FROM 'sensors/#'", 'other/a', { t: 1 })).toBeUndefined();
  });

  test('field lists, aliases, nested fields, topic(n), clientid() and timestamp()', () => {
    const out = run("SELECT state.reported.temp AS temp, humidity, topic(2) AS device, topic() AS topic, clientid() AS client, timestamp() AS ts FROM 'sensors/+/data'", 'sensors/kitchen/data', { state: { reported: { temp: 21.5 } }, humidity: 40, extra: true });
    expect(out).toEqual({ temp: 21.5, humidity: 40, device: 'kitchen', topic: 'sensors/kitchen/data', client: 'dev-1', ts: 1_700_000_000_123 });
  });

  test('SELECT *, extra merges, and missing fields drop out', () => {
    expect(run("SELECT *, topic(1) AS root, missing.field AS gone FROM 'a/b'", 'a/b', { x: 1 })).toEqual({ x: 1, root: 'a' });
  });

  test.each([
    ['temp > 30', { temp: 31 }, true],
    ['temp > 30', { temp: 30 }, false],
    ["temp > 30 AND status = 'on'", { temp: 40, status: 'on' }, true],
    ["temp > 30 AND status = 'on'", { temp: 40, status: 'off' }, false],
    ["temp > 30 OR status <> 'on'", { temp: 1, status: 'off' }, true],
    ['NOT muted', { muted: false }, true],
    ['NOT muted', { muted: true }, false],
    ['missing > 1', { temp: 3 }, false],
    ["temp >= '20'", { temp: 20 }, true],
    ['temp * 2 - 1 = 9', { temp: 5 }, true],
    ['a.b[1] = 7', { a: { b: [6, 7] } }, true],
    ['x IS UNDEFINED', {}, true],
    ['x IS NOT NULL', { x: null }, false],
    ["lower(name) = 'ann'", { name: 'ANN' }, true],
  ])('WHERE %s on %j is %s', (where, payload, matches) => {
    expect(run(`SELECT * FROM 't' WHERE ${where}`, 't', payload) !== undefined).toBe(matches);
  });

  test('mistakes name the problem and where it is', () => {
    expect(() => parseIotSql("SELECT * FROM sensors/#")).toThrow(IotSqlError);
    expect(() => parseIotSql("SELECT * FROM 'a' WHERE")).toThrow(/Expected a value/);
    expect(() => parseIotSql("SELECT nosuch(x) FROM 'a'")).toThrow(/does not emulate the IoT SQL function nosuch/);
  });

  test('MQTT topic filters', () => {
    expect(topicMatches('a/+/c', 'a/b/c')).toBe(true);
    expect(topicMatches('a/+/c', 'a/b/d')).toBe(false);
    expect(topicMatches('a/#', 'a')).toBe(true);
    expect(topicMatches('a/#', 'a/b/c')).toBe(true);
    expect(topicMatches('#', '$SYS/x')).toBe(false);
    expect(topicMatches('a/b', 'a/b/c')).toBe(false);
    expect(topicFilterProblem('a/#/b')).toMatch(/last one/);
    expect(topicFilterProblem('a/b+')).toMatch(/whole level/);
  });
});
