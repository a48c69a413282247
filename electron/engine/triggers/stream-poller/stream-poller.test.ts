import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { FunctionConfig, InvokeResult } from '../../contract.ts';
import { TooManyRequestsError } from '../../errors.ts';
import { readStreamMappings, type StreamMapping } from './mapping-config.ts';
import type { BatchReport } from './shard-consumer.ts';
import { StreamPoller } from './stream-poller.ts';
import type { ShardRecord, StreamSource } from './stream-source.ts';

const START = Date.parse('2024-05-01T00:00:00Z');
const ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/orders';

/** A stream held in memory: one list of records per shard. */
class FakeSource implements StreamSource {
  readonly streamArn = ARN;
  readonly kind = 'Kinesis' as const;
  readonly data = new Map<string, ShardRecord[]>([['shardId-000000000000', []]]);
  private listeners: Array<(shardId: string) => void> = [];
  private seq = 100;
  constructor(private readonly clock: ManualClock) {}
  shards() {
    return [...this.data.keys()].map((shardId) => ({ shardId }));
  }
  put(value: string, partitionKey = 'pk', shardId = 'shardId-000000000000'): string {
    const sequenceNumber = String(this.seq++);
    const event = { kinesis: { partitionKey, data: Buffer.from(value).toString('base64'), sequenceNumber }, value };
    this.data.get(shardId)!.push({ sequenceNumber, partitionKey, arrivalMs: this.clock.now(), event, filterView: { data: safeJson(value) }, sizeBytes: value.length });
    for (const l of this.listeners) l(shardId);
    return sequenceNumber;
  }
  read(shardId: string, after: string | undefined, limit: number) {
    const all = this.data.get(shardId) ?? [];
    const from = after === undefined ? 0 : all.findIndex((r) => BigInt(r.sequenceNumber) > BigInt(after));
    return from < 0 ? [] : all.slice(from, from + limit);
  }
  latestSequence(shardId: string) {
    return this.data.get(shardId)?.at(-1)?.sequenceNumber;
  }
  sequenceBefore() {
    return undefined;
  }
  onAppend(listener: (shardId: string) => void) {
    this.listeners.push(listener);
    return () => (this.listeners = this.listeners.filter((l) => l !== listener));
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function mapping(properties: Record<string, unknown>): StreamMapping {
  const fn = { logicalId: 'Consumer', functionName: 'Consumer', events: [{ name: 'Orders', type: 'Kinesis', properties: { Stream: ARN, StartingPosition: 'TRIM_HORIZON', ...properties }, location: { file: '/p/template.yaml', line: 9, column: 7 } }] } as Partial<FunctionConfig> as FunctionConfig;
  const [m] = readStreamMappings([fn], 'Kinesis');
  if (m?.error) throw m.error;
  return m!;
}

type Handler = (values: string[]) => 'ok' | 'error' | 'throttle' | { batchItemFailures: Array<{ itemIdentifier: unknown }> };

function setup(properties: Record<string, unknown>, handler: Handler = () => 'ok', shared?: { dir: string; source: FakeSource; clock: ManualClock }) {
  const clock = shared?.clock ?? new ManualClock(START);
  const source = shared?.source ?? new FakeSource(clock);
  const dir = shared?.dir ?? mkdtempSync(join(tmpdir(), 'lambdadesk-poller-'));
  const batches: string[][] = [];
  const destination: Array<{ arn: string; message: Record<string, unknown> }> = [];
  const reports: BatchReport[] = [];
  let n = 0;
  const poller = new StreamPoller({
    mapping: mapping(properties),
    source,
    clock,
    checkpointDir: dir,
    functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:Consumer',
    report: (r) => reports.push(r),
    deliver: async (arn, message) => void destination.push({ arn, message: JSON.parse(message) as Record<string, unknown> }),
    invoke: async (payload) => {
      const values = (JSON.parse(payload) as { Records: Array<{ value: string }> }).Records.map((r) => r.value);
      const verdict = handler(values);
      if (verdict === 'throttle') throw new TooManyRequestsError('ConcurrentInvocationLimitExceeded');
      batches.push(values);
      const requestId = `req-${++n}`;
      const body = typeof verdict === 'object' ? JSON.stringify(verdict) : verdict === 'error' ? '{"errorMessage":"poisoned"}' : 'null';
      return { record: { requestId, errorType: verdict === 'error' ? 'Error' : undefined }, payload: Buffer.from(body), functionError: verdict === 'error' ? 'Unhandled' : undefined, executedVersion: '$LATEST' } as unknown as InvokeResult;
    },
  });
  onTestFinished(() => poller.stop());
  /** Lets the consumers run until each waits for records or for the clock (no time passes). */
  const settle = async () => {
    await clock.advance(0);
    await poller.idle();
  };
  return { clock, source, dir, poller, batches, destination, reports, settle };
}

describe('stream poller', () => {
  test('delivers records in sequence order in batches of BatchSize', async () => {
    const t = setup({ BatchSize: 2 });
    for (const v of ['a', 'b', 'c', 'd', 'e']) t.source.put(v);
    await t.poller.start();
    await t.settle();
    expect(t.batches).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    t.source.put('f');
    await t.settle();
    expect(t.batches.at(-1)).toEqual(['f']);
  });

  test('a restarted poller continues after its checkpoint, and LATEST is fixed when the mapping first starts', async () => {
    const first = setup({ StartingPosition: 'LATEST' });
    first.source.put('before');
    await first.poller.start();
    await first.settle();
    expect(first.batches).toEqual([]);
    first.source.put('one');
    await first.settle();
    await first.poller.stop();
    first.source.put('while-stopped');
    const second = setup({ StartingPosition: 'LATEST' }, () => 'ok', first);
    await second.poller.start();
    await second.settle();
    expect(first.batches).toEqual([['one']]);
    expect(second.batches).toEqual([['while-stopped']]);
  });

  test('a poisoned record is isolated by bisecting, retried, sent to the on-failure destination, and the shard moves on', async () => {
    const t = setup({ BatchSize: 4, BisectBatchOnFunctionError: true, MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:failed' } } }, (values) => (values.includes('poison') ? 'error' : 'ok'));
    const sequences = ['a', 'poison', 'c', 'd'].map((v) => t.source.put(v));
    await t.poller.start();
    await t.settle();
    // Whole batch fails, then [a, poison] fails and splits again; [a] succeeds; [poison] fails once.
    expect(t.batches).toEqual([['a', 'poison', 'c', 'd'], ['a', 'poison'], ['a'], ['poison']]);
    expect(t.destination).toEqual([]);
    await t.clock.advance(500); // first retry
    await t.settle();
    expect(t.batches.at(-1)).toEqual(['poison']);
    expect(t.destination).toEqual([]);
    await t.clock.advance(999); // second retry is due after 1000 ms
    await t.settle();
    expect(t.batches).toHaveLength(5);
    await t.clock.advance(1);
    await t.settle();
    expect(t.batches.slice(5)).toEqual([['poison'], ['c', 'd']]);
    expect(t.destination).toHaveLength(1);
    const [{ arn, message }] = t.destination as [{ arn: string; message: Record<string, unknown> }];
    expect(arn).toBe('arn:aws:sqs:us-east-1:123456789012:failed');
    expect(message).toMatchObject({
      requestContext: { functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:Consumer', condition: 'RetryAttemptsExhausted', approximateInvokeCount: 5 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      KinesisBatchInfo: { shardId: 'shardId-000000000000', startSequenceNumber: sequences[1], endSequenceNumber: sequences[1], batchSize: 1, streamArn: ARN },
    });
    t.source.put('later');
    await t.settle();
    expect(t.batches.at(-1)).toEqual(['later']);
  });

  test('without bisect a failing batch blocks the shard until MaximumRetryAttempts, then the whole batch is discarded', async () => {
    const t = setup({ BatchSize: 10, MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: 'arn:aws:sns:us-east-1:123456789012:failed' } } }, (values) => (values.includes('bad') ? 'error' : 'ok'));
    t.source.put('x');
    t.source.put('bad');
    await t.poller.start();
    await t.settle();
    t.source.put('y');
    await t.clock.advance(500);
    await t.settle();
    expect(t.batches).toEqual([['x', 'bad'], ['x', 'bad'], ['y']]);
    expect(t.destination[0]?.message).toMatchObject({ KinesisBatchInfo: { batchSize: 2 }, requestContext: { approximateInvokeCount: 2 } });
  });

  test('ReportBatchItemFailures retries from the lowest failed sequence number only', async () => {
    let calls = 0;
    const seqs: string[] = [];
    const t = setup({ BatchSize: 5, FunctionResponseTypes: ['ReportBatchItemFailures'] }, () => (++calls === 1 ? { batchItemFailures: [{ itemIdentifier: seqs[3] }, { itemIdentifier: seqs[2] }] } : 'ok'));
    for (const v of ['a', 'b', 'c', 'd', 'e']) seqs.push(t.source.put(v));
    await t.poller.start();
    await t.settle();
    await t.clock.advance(500);
    await t.settle();
    expect(t.batches).toEqual([['a', 'b', 'c', 'd', 'e'], ['c', 'd', 'e']]);
  });

  test('an identifier that is not in the batch fails the whole batch', async () => {
    let calls = 0;
    const t = setup({ FunctionResponseTypes: ['ReportBatchItemFailures'] }, () => (++calls === 1 ? { batchItemFailures: [{ itemIdentifier: '999999' }] } : 'ok'));
    t.source.put('a');
    t.source.put('b');
    await t.poller.start();
    await t.settle();
    await t.clock.advance(500);
    await t.settle();
    expect(t.batches).toEqual([['a', 'b'], ['a', 'b']]);
  });

  test('MaximumBatchingWindowInSeconds gathers records until the window closes or the batch is full', async () => {
    const t = setup({ BatchSize: 3, MaximumBatchingWindowInSeconds: 5 });
    await t.poller.start();
    t.source.put('a');
    await t.settle();
    await t.clock.advance(4_000);
    t.source.put('b');
    await t.settle();
    expect(t.batches).toEqual([]);
    await t.clock.advance(1_000);
    await t.settle();
    expect(t.batches).toEqual([['a', 'b']]);
    for (const v of ['c', 'd', 'e']) t.source.put(v);
    await t.settle();
    expect(t.batches.at(-1)).toEqual(['c', 'd', 'e']); // full: no need to wait
  });

  test('records older than MaximumRecordAgeInSeconds are discarded with RecordAgeExceeded', async () => {
    const t = setup({ MaximumRecordAgeInSeconds: 60, DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:failed' } } }, () => 'throttle');
    t.source.put('old');
    await t.poller.start();
    await t.settle();
    for (let i = 0; i < 10; i++) await t.clock.advance(10_000);
    await t.settle();
    expect(t.destination[0]?.message).toMatchObject({ requestContext: { condition: 'RecordAgeExceeded', approximateInvokeCount: 0 } });
    expect(t.reports.some((r) => r.outcome === 'throttled')).toBe(true);
  });

  test('FilterCriteria drops records that match no pattern, and the checkpoint moves past them', async () => {
    const t = setup({ FilterCriteria: { Filters: [{ Pattern: '{"data":{"type":["order"]}}' }] } });
    t.source.put('{"type":"order","id":1}');
    t.source.put('{"type":"ping"}');
    t.source.put('not json');
    t.source.put('{"type":"order","id":2}');
    await t.poller.start();
    await t.settle();
    expect(t.batches).toEqual([['{"type":"order","id":1}', '{"type":"order","id":2}']]);
  });

  test('ParallelizationFactor keeps each partition key in order while keys run side by side', async () => {
    const inFlight: string[] = [];
    const t = setup({ BatchSize: 1, ParallelizationFactor: 4 });
    for (let i = 0; i < 5; i++) for (const key of ['k1', 'k2', 'k3', 'k4', 'k5']) t.source.put(`${key}:${i}`, key);
    await t.poller.start();
    await t.settle();
    inFlight.push(...t.batches.flat());
    for (const key of ['k1', 'k2', 'k3', 'k4', 'k5']) {
      expect(inFlight.filter((v) => v.startsWith(`${key}:`))).toEqual([0, 1, 2, 3, 4].map((i) => `${key}:${i}`));
    }
    expect(new Set(t.poller.status().shards.map((s) => s.slot)).size).toBe(4);
  });
});
