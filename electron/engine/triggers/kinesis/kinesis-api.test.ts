import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { AwsRequestContext } from '../../http/aws-request.ts';
import { kinesisOperations } from './kinesis-api.ts';
import { KinesisStore } from './kinesis-store.ts';
import { evenRanges, hashKeyOf } from './shard-hash.ts';

const request = {} as AwsRequestContext;

async function open(dir = mkdtempSync(join(tmpdir(), 'lambdadesk-kinesis-'))) {
  const clock = new ManualClock(Date.parse('2024-01-01T00:00:00Z'));
  const store = await KinesisStore.open(dir, clock);
  const api = kinesisOperations({ store, clock, region: 'us-east-1', accountId: '123456789012' });
  const call = async (op: string, input: Record<string, unknown>) => (await api[op]!(input, request)) as Record<string, unknown>;
  return { dir, store, call, clock };
}

test('shards split the 128-bit hash key space evenly, as CreateStream does', () => {
  expect(evenRanges(1)).toEqual([{ start: 0n, end: 2n ** 128n - 1n }]);
  const [a, b] = evenRanges(2);
  expect(a!.end + 1n).toBe(b!.start);
  expect(b!.start).toBe(2n ** 127n);
  // MD5("alice") = 6384e2b2184bcbf58eccf10ca7a6563c: in the lower half.
  expect(hashKeyOf('alice')).toBe(0x6384e2b2184bcbf58eccf10ca7a6563cn);
});

test('PutRecord picks the shard by the MD5 of the partition key; GetRecords returns each shard in order', async () => {
  const { call } = await open();
  await call('CreateStream', { StreamName: 's', ShardCount: 2 });
  const put = async (key: string, text: string) => call('PutRecord', { StreamName: 's', PartitionKey: key, Data: Buffer.from(text).toString('base64') });
  const first = await put('alice', 'a1');
  const second = await put('alice', 'a2');
  const other = await put('bob', 'b1');
  expect(first.ShardId).toBe(hashKeyOf('alice') < 2n ** 127n ? 'shardId-000000000000' : 'shardId-000000000001');
  expect(second.ShardId).toBe(first.ShardId);
  expect(other.ShardId).toBe(hashKeyOf('bob') < 2n ** 127n ? 'shardId-000000000000' : 'shardId-000000000001');
  expect(String(first.SequenceNumber)).toHaveLength(56);
  expect(BigInt(String(second.SequenceNumber)) > BigInt(String(first.SequenceNumber))).toBe(true);
  const { ShardIterator } = await call('GetShardIterator', { StreamName: 's', ShardId: first.ShardId, ShardIteratorType: 'TRIM_HORIZON' });
  const page = await call('GetRecords', { ShardIterator, Limit: 1 });
  expect((page.Records as Array<{ Data: string }>).map((r) => Buffer.from(r.Data, 'base64').toString())).toEqual(['a1']);
  const next = await call('GetRecords', { ShardIterator: page.NextShardIterator });
  expect((next.Records as Array<{ Data: string }>).map((r) => Buffer.from(r.Data, 'base64').toString())).toEqual(['a2']);
  const latest = await call('GetShardIterator', { StreamName: 's', ShardId: first.ShardId, ShardIteratorType: 'LATEST' });
  expect((await call('GetRecords', { ShardIterator: latest.ShardIterator })).Records).toEqual([]);
});

test('records and sequence numbers survive a reopen; numbers keep growing', async () => {
  const first = await open();
  await first.call('CreateStream', { StreamName: 's', ShardCount: 1 });
  const a = await first.call('PutRecord', { StreamName: 's', PartitionKey: 'k', Data: 'YQ==' });
  await first.store.close();
  const again = await open(first.dir);
  const b = await again.call('PutRecord', { StreamName: 's', PartitionKey: 'k', Data: 'Yg==' });
  expect(BigInt(String(b.SequenceNumber)) > BigInt(String(a.SequenceNumber))).toBe(true);
  expect(again.store.records('s', 'shardId-000000000000').map((r) => r.data)).toEqual(['YQ==', 'Yg==']);
});

test('errors have Kinesis shapes', async () => {
  const { call } = await open();
  await expect(call('PutRecord', { StreamName: 'missing', PartitionKey: 'k', Data: 'YQ==' })).rejects.toMatchObject({ awsName: 'ResourceNotFoundException', message: 'Stream missing under account 123456789012 not found.' });
  await call('CreateStream', { StreamName: 's', ShardCount: 1 });
  await expect(call('CreateStream', { StreamName: 's', ShardCount: 1 })).rejects.toMatchObject({ awsName: 'ResourceInUseException' });
  await expect(call('PutRecord', { StreamName: 's', PartitionKey: '', Data: 'YQ==' })).rejects.toMatchObject({ awsName: 'ValidationException' });
});
