import { expect, test } from 'vitest';
import { encodeEventKey, nextSequencer, s3EventRecord } from './s3-event-record.ts';

test('keys are form-URL-encoded as S3 sends them, slashes kept', () => {
  expect(encodeEventKey('red flower.jpg')).toBe('red+flower.jpg');
  expect(encodeEventKey('photos/hello world (1).jpg')).toBe('photos/hello+world+%281%29.jpg');
  expect(encodeEventKey('year=2024/a+b.txt')).toBe('year%3D2024/a%2Bb.txt');
  expect(encodeEventKey('café.txt')).toBe('caf%C3%A9.txt');
});

test('sequencers only grow', () => {
  const a = nextSequencer(1_000);
  const b = nextSequencer(1_000);
  const c = nextSequencer(999);
  expect(a < b && b < c).toBe(true);
  expect(a).toMatch(/^[0-9A-F]{18}$/);
});

test('a record has the shape of SAM’s S3 sample events (version 2.1, as S3 sends today)', () => {
  const input = { region: 'us-east-1', accountId: '123456789012', partition: 'aws', bucket: 'uploads', key: 'in/a b.txt', eventTime: Date.UTC(2026, 0, 2), requestId: 'req-1', sourceIp: '127.0.0.1', configurationId: 'cfg' };
  const put = s3EventRecord({ ...input, eventName: 'ObjectCreated:Put', size: 12, etag: 'abc' });
  expect(Object.keys(put)).toEqual(['eventVersion', 'eventSource', 'awsRegion', 'eventTime', 'eventName', 'userIdentity', 'requestParameters', 'responseElements', 's3']);
  expect(put).toMatchObject({ eventVersion: '2.1', eventSource: 'aws:s3', eventTime: '2026-01-02T00:00:00.000Z', eventName: 'ObjectCreated:Put', requestParameters: { sourceIPAddress: '127.0.0.1' } });
  const s3 = put.s3 as { s3SchemaVersion: string; configurationId: string; bucket: Record<string, unknown>; object: Record<string, unknown> };
  expect(Object.keys(s3)).toEqual(['s3SchemaVersion', 'configurationId', 'bucket', 'object']);
  expect(s3.bucket).toMatchObject({ name: 'uploads', arn: 'arn:aws:s3:::uploads' });
  expect(Object.keys(s3.object)).toEqual(['key', 'size', 'eTag', 'sequencer']);
  expect(s3.object).toMatchObject({ key: 'in/a+b.txt', size: 12, eTag: 'abc' });
  const removed = s3EventRecord({ ...input, eventName: 'ObjectRemoved:Delete' });
  expect(Object.keys((removed.s3 as { object: object }).object)).toEqual(['key', 'sequencer']);
});
