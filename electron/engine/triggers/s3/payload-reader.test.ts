import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import { PayloadReader } from './payload-reader.ts';
import { S3Error } from './s3-errors.ts';

function request(chunks: Array<string | Buffer>, headers: Record<string, string>): IncomingMessage {
  const stream = Readable.from(chunks.map((c) => Buffer.from(c))) as unknown as IncomingMessage;
  stream.headers = headers;
  return stream;
}

async function read(reader: PayloadReader): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of reader.body()) parts.push(chunk);
  return Buffer.concat(parts).toString();
}

const crc = (text: string) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(Buffer.from(text)));
  return b.toString('base64');
};

test('an aws-chunked body with a trailing checksum is decoded, even split at awkward places', async () => {
  const wire = `c\r\nhello stream\r\n0\r\nx-amz-checksum-crc32:${crc('hello stream')}\r\n\r\n`;
  const pieces = [wire.slice(0, 2), wire.slice(2, 9), wire.slice(9, 17), wire.slice(17)];
  const reader = new PayloadReader(request(pieces, { 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-trailer': 'x-amz-checksum-crc32', 'x-amz-decoded-content-length': '12' }));
  expect(await read(reader)).toBe('hello stream');
  expect(reader.verify()).toEqual({ CRC32: crc('hello stream') });
  expect(reader.contentEncoding()).toBeUndefined();
});

test('signed chunks (chunk-signature) decode the same way', async () => {
  const wire = '5;chunk-signature=abc\r\nhello\r\n6;chunk-signature=def\r\n world\r\n0;chunk-signature=ghi\r\n\r\n';
  const reader = new PayloadReader(request([wire], { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'x-amz-decoded-content-length': '11' }));
  expect(await read(reader)).toBe('hello world');
  expect(() => reader.verify()).not.toThrow();
});

test('a wrong checksum, Content-MD5 or x-amz-content-sha256 is refused with S3’s error', async () => {
  const bad = new PayloadReader(request(['data'], { 'x-amz-checksum-crc32': crc('other') }));
  await read(bad);
  expect(() => bad.verify()).toThrow(S3Error);
  const md5 = new PayloadReader(request(['data'], { 'content-md5': createHash('md5').update('nope').digest('base64') }));
  await read(md5);
  expect(() => md5.verify()).toThrow('The Content-MD5 you specified did not match');
  const sha = new PayloadReader(request(['data'], { 'x-amz-content-sha256': createHash('sha256').update('nope').digest('hex') }));
  await read(sha);
  expect(() => sha.verify()).toThrow("x-amz-content-sha256");
  const good = new PayloadReader(request(['data'], { 'content-md5': createHash('md5').update('data').digest('base64'), 'x-amz-content-sha256': createHash('sha256').update('data').digest('hex') }));
  await read(good);
  expect(() => good.verify()).not.toThrow();
});

test('a chunked body cut short is an incomplete body', async () => {
  const reader = new PayloadReader(request(['a\r\nhel'], { 'content-encoding': 'aws-chunked' }));
  await expect(read(reader)).rejects.toThrow('You did not provide the number of bytes');
});
