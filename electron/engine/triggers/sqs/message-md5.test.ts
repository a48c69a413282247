import { expect, test } from 'vitest';
import { md5Hex, md5OfMessageAttributes } from './message-md5.ts';

test('the MD5 of message attributes is the one SQS computes (a value botocore checks against)', () => {
  const digest = md5OfMessageAttributes({ Hello: { DataType: 'String', StringValue: 'There' }, General: { DataType: 'String', StringValue: 'Kenobi' } });
  expect(digest).toBe('fca026605781cb4126a1e9044df24232');
});

test('attribute order does not matter, the type and the transport byte do', () => {
  const a = md5OfMessageAttributes({ x: { DataType: 'String', StringValue: '1' }, y: { DataType: 'Binary', BinaryValue: Buffer.from('hi').toString('base64') } });
  const b = md5OfMessageAttributes({ y: { DataType: 'Binary', BinaryValue: Buffer.from('hi').toString('base64') }, x: { DataType: 'String', StringValue: '1' } });
  expect(a).toBe(b);
  expect(md5OfMessageAttributes({ x: { DataType: 'Number', StringValue: '1' } })).not.toBe(md5OfMessageAttributes({ x: { DataType: 'String', StringValue: '1' } }));
  expect(md5OfMessageAttributes({})).toBeUndefined();
});

test('the MD5 of a body is of its UTF-8 bytes', () => {
  expect(md5Hex('hello')).toBe('5d41402abc4b2a76b9719d911017c592');
});
