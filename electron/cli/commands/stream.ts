import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListStreamsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { LambdaDeskError } from '../../engine/errors.ts';
import { SERVE_CLIENT_FLAGS, SERVE_CLIENT_USAGE, serveClientConfig, serveNotAnswering } from '../serve-client.ts';
import { type CliCommand, type CliIo, UsageError, writeLine } from '../cli-io.ts';
import { wholeNumber } from '../engine-options.ts';


/** The running `lambdadesk serve` could not be reached, or answered with an error. */
class StreamCommandError extends LambdaDeskError {
  readonly awsName = 'StreamCommandError';
  readonly status = 400;
}

const USAGE = `Usage: lambdadesk stream list|put|read … [--endpoint-url URL] [--json]

Works on the Kinesis streams of a running \`lambdadesk serve\` through its AWS endpoint (the
Kinesis API, as the AWS CLI and SDKs use it), so records reach the functions it runs, in order
per shard. Start \`lambdadesk serve DIR\` first.

  lambdadesk stream list
  lambdadesk stream put STREAM DATA|--file FILE|-  --partition-key KEY
  lambdadesk stream read STREAM [--shard SHARD_ID] [--limit N]    (oldest records first)

${SERVE_CLIENT_USAGE}
  --json               print the Kinesis response as JSON`;

export const streamCommand: CliCommand = {
  summary: 'Put and read Kinesis records of a running `lambdadesk serve`',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { ...SERVE_CLIENT_FLAGS, file: { type: 'string' }, 'partition-key': { type: 'string' }, shard: { type: 'string' }, limit: { type: 'string' } },
    });
    const [action, stream, data] = positionals;
    const config = serveClientConfig(values, io);
    const { endpoint } = config;
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const client = new KinesisClient(config);
    const out = (value: unknown, human: () => string): number => {
      writeLine(io.stdout, values.json ? JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v), 2) : human());
      return 0;
    };
    const needStream = () => {
      if (!stream) throw new UsageError(`Name the stream: lambdadesk stream ${action} STREAM …`);
      return stream;
    };
    try {
      switch (action) {
        case 'list': {
          const { StreamNames = [] } = await client.send(new ListStreamsCommand({}));
          const streams = await Promise.all(StreamNames.map(async (name) => (await client.send(new DescribeStreamCommand({ StreamName: name }))).StreamDescription!));
          return out(streams, () => (streams.length === 0 ? 'No streams.' : [`${'STREAM'.padEnd(36)} SHARDS  ARN`, ...streams.map((s) => `${(s.StreamName ?? '').padEnd(36)} ${String(s.Shards?.length ?? 0).padStart(6)}  ${s.StreamARN}`)].join('\n')));
        }
        case 'put': {
          const partitionKey = values['partition-key'];
          if (!partitionKey) throw new UsageError('Give the record a partition key with --partition-key KEY: it picks the shard, and records with one key stay in order.');
          const bytes = await recordData(data, values.file, io);
          const result = await client.send(new PutRecordCommand({ StreamName: needStream(), PartitionKey: partitionKey, Data: bytes }));
          return out(result, () => `Put ${bytes.length} byte(s) into ${stream} ${result.ShardId} as sequence number ${result.SequenceNumber}.`);
        }
        case 'read': {
          const name = needStream();
          const shards = values.shard ? [values.shard] : ((await client.send(new DescribeStreamCommand({ StreamName: name }))).StreamDescription?.Shards ?? []).map((s) => s.ShardId!);
          const limit = wholeNumber('limit', values.limit, 1, 10_000) ?? 100;
          const records: Array<{ shardId: string; sequenceNumber: string; partitionKey: string; data: string; arrival: string }> = [];
          for (const shardId of shards) {
            const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName: name, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
            const page = await client.send(new GetRecordsCommand({ ShardIterator, Limit: limit }));
            for (const r of page.Records ?? []) records.push({ shardId, sequenceNumber: r.SequenceNumber!, partitionKey: r.PartitionKey!, data: Buffer.from(r.Data ?? []).toString('utf8'), arrival: r.ApproximateArrivalTimestamp?.toISOString() ?? '' });
          }
          return out(records, () => (records.length === 0 ? `${name} holds no records.` : records.map((r) => `${r.shardId} ${r.sequenceNumber} [${r.partitionKey}] ${r.data}`).join('\n')));
        }
        default:
          throw new UsageError(action ? `Unknown action '${action}': use list, put or read.` : 'Say what to do: list, put or read.');
      }
    } catch (err) {
      throw explain(err, endpoint, stream);
    } finally {
      client.destroy();
    }
  },
};

async function recordData(data: string | undefined, file: string | undefined, io: CliIo): Promise<Buffer> {
  if (file !== undefined) {
    return readFile(resolve(io.cwd, file)).catch((err: Error) => {
      throw new UsageError(`Cannot read the data file ${file}: ${err.message}`);
    });
  }
  if (data === '-') return buffer(io.stdin);
  if (data === undefined) throw new UsageError('Give the record data as an argument, with --file FILE, or - for standard input.');
  return Buffer.from(data, 'utf8');
}

function explain(err: unknown, endpoint: string, stream: string | undefined): unknown {
  if (err instanceof UsageError || err instanceof LambdaDeskError) return err;
  const e = err as Error & { code?: string; name: string; $metadata?: unknown };
  const down = serveNotAnswering(err, endpoint);
  if (down) return down;
  if (e.name === 'ResourceNotFoundException') return new StreamCommandError(`There is no stream ${stream ?? ''} at ${endpoint}.`, 'Run `lambdadesk stream list` to see the streams, or declare an AWS::Kinesis::Stream in template.yaml.');
  if (e.$metadata) return new StreamCommandError(`${e.name}: ${e.message}`);
  return err;
}
