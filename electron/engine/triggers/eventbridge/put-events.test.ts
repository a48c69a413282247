import { describe, expect, test } from 'vitest';
import { buildEvent, checkEntries } from './put-events.ts';

const identity = { region: 'eu-central-1', accountId: '111122223333' };
const NOW = Date.parse('2024-05-01T10:00:00.789Z');

describe('PutEvents entries', () => {
  test('an entry becomes an event in EventBridge’s envelope, time to the second', () => {
    const out = buildEvent({ Source: 'com.shop', DetailType: 'OrderPlaced', Detail: '{"id":1}', Resources: ['arn:aws:s3:::b'] }, identity, NOW);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(Object.keys(out.event)).toEqual(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
    expect(out.event).toMatchObject({ version: '0', 'detail-type': 'OrderPlaced', source: 'com.shop', account: '111122223333', time: '2024-05-01T10:00:00Z', region: 'eu-central-1', resources: ['arn:aws:s3:::b'], detail: { id: 1 } });
  });

  test('Time is epoch seconds (JSON protocol) or ISO text', () => {
    const at = (Time: unknown) => {
      const out = buildEvent({ Source: 's', DetailType: 'd', Detail: '{}', Time }, identity, NOW);
      return out.ok ? out.event.time : out.errorMessage;
    };
    expect(at(1700000000)).toBe('2023-11-14T22:13:20Z');
    expect(at('2030-01-01T00:00:00Z')).toBe('2030-01-01T00:00:00Z');
    expect(at('yesterday')).toBe('Parameter Time is not valid. Reason: Time must be a timestamp.');
  });

  test.each([
    [{ DetailType: 'd', Detail: '{}' }, 'InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.'],
    [{ Source: 's', Detail: '{}' }, 'InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.'],
    [{ Source: 's', DetailType: 'd' }, 'InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.'],
    [{ Source: 's', DetailType: 'd', Detail: 'nope' }, 'MalformedDetail', 'Detail is malformed.'],
    [{ Source: 's', DetailType: 'd', Detail: '"text"' }, 'MalformedDetail', 'Detail is malformed.'],
    [{ Source: 'aws.s3', DetailType: 'd', Detail: '{}' }, 'NotAuthorizedForSourceException', 'Not authorized for the source.'],
    [{ Source: 's', DetailType: 'd', Detail: '{}', Resources: 'arn' }, 'InvalidArgument', 'Parameter Resources is not valid. Reason: Resources must be a list of ARNs.'],
  ])('%j → %s', (entry, code, message) => {
    expect(buildEvent(entry, identity, NOW)).toEqual({ ok: false, errorCode: code, errorMessage: message });
  });

  test('request limits: 1 to 10 entries, 256 KB in all', () => {
    expect(() => checkEntries(undefined)).toThrow("Value null at 'entries' failed to satisfy constraint: Member must not be null");
    expect(() => checkEntries([])).toThrow('Member must have length greater than or equal to 1');
    expect(() => checkEntries(Array.from({ length: 11 }, () => ({})))).toThrow('Member must have length less than or equal to 10');
    expect(() => checkEntries([{ Source: 's', DetailType: 'd', Detail: JSON.stringify({ x: 'y'.repeat(262_144) }) }])).toThrow('Total size of the entries in the request is over the limit.');
    expect(checkEntries([{ Source: 's', DetailType: 'd', Detail: '{}' }])).toHaveLength(1);
  });
});
