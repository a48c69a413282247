import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { DeleteObjectCommand, GetObjectCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LambdaDeskError } from '../../engine/errors.ts';
import { SERVE_CLIENT_FLAGS, SERVE_CLIENT_USAGE, serveClientConfig, serveNotAnswering } from '../serve-client.ts';
import { type CliCommand, type CliIo, UsageError, writeLine } from '../cli-io.ts';


/** The running `lambdadesk serve` could not be reached, or answered with an error. */
class BucketCommandError extends LambdaDeskError {
  readonly awsName = 'BucketCommandError';
  readonly status = 400;
}

const USAGE = `Usage: lambdadesk bucket list|put|get|rm … [--endpoint-url URL] [--json]

Works on the buckets of a running \`lambdadesk serve\` through its AWS endpoint (the S3 API, as
the AWS CLI and SDKs use it), so uploads raise the bucket's S3 events exactly as \`aws s3 cp\`
would. Start \`lambdadesk serve DIR\` first. (Copying a file into .lambdadesk/buckets/NAME/
raises the event too, while serve runs.)

  lambdadesk bucket list                      the buckets
  lambdadesk bucket list BUCKET [--prefix P]  the objects of one bucket
  lambdadesk bucket put BUCKET KEY [FILE|-]   upload a file (or standard input)  [--content-type T] [--metadata NAME=VALUE]…
  lambdadesk bucket get BUCKET KEY [--out FILE]
  lambdadesk bucket rm BUCKET KEY

BUCKET KEY may also be written s3://BUCKET/KEY.
${SERVE_CLIENT_USAGE}
  --json               print the S3 response as JSON`;

export const bucketCommand: CliCommand = {
  summary: 'Put, get, list and remove S3 objects of a running `lambdadesk serve`',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        ...SERVE_CLIENT_FLAGS,
        prefix: { type: 'string' },
        'content-type': { type: 'string' },
        metadata: { type: 'string', multiple: true },
        out: { type: 'string', short: 'o' },
      },
    });
    const [action, ...rest] = positionals;
    const config = serveClientConfig(values, io);
    const { endpoint } = config;
    // The SDK's notice about future Node.js versions is not the user's business here.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const client = new S3Client({ ...config, forcePathStyle: true });
    const out = (value: unknown, human: () => string): number => {
      writeLine(io.stdout, values.json ? JSON.stringify(value, null, 2) : human());
      return 0;
    };
    const { bucket, key, extra } = target(rest);
    try {
      switch (action) {
        case 'list': {
          if (!bucket) {
            const { Buckets = [] } = await client.send(new ListBucketsCommand({}));
            return out(Buckets, () => (Buckets.length ? Buckets.map((b) => `${b.CreationDate?.toISOString() ?? ''}  ${b.Name}`).join('\n') : 'No buckets.'));
          }
          const objects: Array<{ Key?: string; Size?: number; LastModified?: Date; ETag?: string }> = [];
          let token: string | undefined;
          do {
            const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: values.prefix ?? key, ContinuationToken: token }));
            objects.push(...(page.Contents ?? []));
            token = page.IsTruncated ? page.NextContinuationToken : undefined;
          } while (token);
          return out(objects, () => (objects.length ? objects.map((o) => `${o.LastModified?.toISOString() ?? ''} ${String(o.Size ?? 0).padStart(12)}  ${o.Key}`).join('\n') : `No objects in s3://${bucket}/${values.prefix ?? key ?? ''}.`));
        }
        case 'put': {
          if (!bucket || !key) throw new UsageError('Name the bucket and the key to put: lambdadesk bucket put BUCKET KEY FILE.');
          const source = extra[0];
          const { body, length } = await uploadBody(source, io);
          const result = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: length, ContentType: values['content-type'], Metadata: metadataOf(values.metadata ?? []) }));
          return out(result, () => `Uploaded ${source && source !== '-' ? source : 'standard input'} to s3://${bucket}/${key} (${length} bytes, ETag ${result.ETag}).`);
        }
        case 'get': {
          if (!bucket || !key) throw new UsageError('Name the bucket and the key to get: lambdadesk bucket get BUCKET KEY.');
          const result = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          if (values.out) {
            await pipeline(result.Body as Readable, createWriteStream(resolve(io.cwd, values.out)));
            return out({ ...result, Body: undefined, savedTo: values.out }, () => `Saved s3://${bucket}/${key} to ${values.out} (${result.ContentLength} bytes, ${result.ContentType}).`);
          }
          if (values.json) return out({ ...result, Body: (await buffer(result.Body as Readable)).toString('utf8') }, () => '');
          await pipeline(result.Body as Readable, io.stdout, { end: false });
          return 0;
        }
        case 'rm': {
          if (!bucket || !key) throw new UsageError('Name the bucket and the key to remove: lambdadesk bucket rm BUCKET KEY.');
          await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
          return out({ deleted: `s3://${bucket}/${key}` }, () => `Deleted s3://${bucket}/${key}.`);
        }
        default:
          throw new UsageError(action ? `Unknown action '${action}': use list, put, get or rm.` : 'Say what to do: list, put, get or rm.');
      }
    } catch (err) {
      throw explain(err, endpoint, bucket, key);
    } finally {
      client.destroy();
    }
  },
};

/** `BUCKET KEY …` or `s3://BUCKET/KEY …`. */
function target(args: string[]): { bucket?: string; key?: string; extra: string[] } {
  const [first, ...rest] = args;
  if (first?.startsWith('s3://')) {
    const path = first.slice('s3://'.length);
    const slash = path.indexOf('/');
    return slash < 0 ? { bucket: path, extra: rest } : { bucket: path.slice(0, slash), key: path.slice(slash + 1) || undefined, extra: rest };
  }
  const [key, ...extra] = rest;
  return { bucket: first, key, extra };
}

async function uploadBody(source: string | undefined, io: CliIo): Promise<{ body: Buffer | Readable; length: number }> {
  if (source === undefined || source === '-') {
    const body = await buffer(io.stdin);
    return { body, length: body.length };
  }
  const path = resolve(io.cwd, source);
  const info = await stat(path).catch((err: Error) => {
    throw new UsageError(`Cannot read ${source}: ${err.message}`);
  });
  if (!info.isFile()) throw new UsageError(`${source} is not a file.`);
  return { body: createReadStream(path), length: info.size };
}

function metadataOf(pairs: string[]): Record<string, string> | undefined {
  if (!pairs.length) return undefined;
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--metadata takes NAME=VALUE, not '${pair}'.`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

function explain(err: unknown, endpoint: string, bucket?: string, key?: string): unknown {
  if (err instanceof UsageError || err instanceof LambdaDeskError) return err;
  const e = err as Error & { code?: string; name: string; $metadata?: { httpStatusCode?: number } };
  const down = serveNotAnswering(err, endpoint);
  if (down) return down;
  if (e.name === 'NoSuchBucket') return new BucketCommandError(`The bucket ${bucket ?? ''} does not exist at ${endpoint}.`, 'Run `lambdadesk bucket list` to see the buckets, or declare it as an AWS::S3::Bucket in template.yaml.');
  if (e.name === 'NoSuchKey') return new BucketCommandError(`s3://${bucket ?? ''}/${key ?? ''} does not exist.`, `Run \`lambdadesk bucket list ${bucket ?? 'BUCKET'}\` to see its objects.`);
  if (e.$metadata) return new BucketCommandError(`${e.name}: ${e.message}`);
  return err;
}
