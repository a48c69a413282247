import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { DeleteMessageBatchCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, PurgeQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { LambdaDeskError } from '../../engine/errors.ts';
import { SERVE_CLIENT_FLAGS, SERVE_CLIENT_USAGE, serveClientConfig, serveNotAnswering } from '../serve-client.ts';
import { type CliCommand, type CliIo, UsageError, writeLine } from '../cli-io.ts';
import { wholeNumber } from '../engine-options.ts';


/** The running `lambdadesk serve` could not be reached, or answered with an error. */
class QueueCommandError extends LambdaDeskError {
  readonly awsName = 'QueueCommandError';
  readonly status = 400;
}

const USAGE = `Usage: lambdadesk queue list|send|receive|purge … [--endpoint-url URL] [--json]

Works on the queues of a running \`lambdadesk serve\` through its AWS endpoint (the SQS API,
as the AWS CLI and SDKs use it), so messages reach the functions it runs and nothing competes
with it for the queue files in .lambdadesk/sqs/. Start \`lambdadesk serve DIR\` first.

  lambdadesk queue list
  lambdadesk queue send QUEUE BODY|--file FILE|-   [--group ID] [--dedup ID] [--delay SECONDS] [--attribute NAME=VALUE]…
  lambdadesk queue receive QUEUE [--max 1-10] [--wait 0-20] [--visibility SECONDS] [--delete]
  lambdadesk queue purge QUEUE

QUEUE is a queue name or URL.
${SERVE_CLIENT_USAGE}
  --json               print the SQS response as JSON`;

export const queueCommand: CliCommand = {
  summary: 'Send, receive, list and purge SQS messages of a running `lambdadesk serve`',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        ...SERVE_CLIENT_FLAGS,
        file: { type: 'string' },
        group: { type: 'string' },
        dedup: { type: 'string' },
        delay: { type: 'string' },
        attribute: { type: 'string', multiple: true },
        max: { type: 'string' },
        wait: { type: 'string' },
        visibility: { type: 'string' },
        delete: { type: 'boolean' },
      },
    });
    const [action, queue, body] = positionals;
    const config = serveClientConfig(values, io);
    const { endpoint } = config;
    // The SDK's notice about future Node.js versions is not the user's business here.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const client = new SQSClient(config);
    const out = (value: unknown, human: () => string): number => {
      writeLine(io.stdout, values.json ? JSON.stringify(value, null, 2) : human());
      return 0;
    };
    try {
      switch (action) {
        case 'list': {
          const { QueueUrls = [] } = await client.send(new ListQueuesCommand({}));
          const queues = await Promise.all(
            QueueUrls.map(async (url) => ({ url, attributes: (await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ?? {} })),
          );
          return out(queues, () =>
            queues.length === 0
              ? 'No queues.'
              : [
                  `${'QUEUE'.padEnd(32)} ${'VISIBLE'.padStart(8)} ${'IN FLIGHT'.padStart(9)} ${'DELAYED'.padStart(8)}  URL`,
                  ...queues.map(({ url, attributes: a }) => `${(url.split('/').pop() ?? '').padEnd(32)} ${(a.ApproximateNumberOfMessages ?? '0').padStart(8)} ${(a.ApproximateNumberOfMessagesNotVisible ?? '0').padStart(9)} ${(a.ApproximateNumberOfMessagesDelayed ?? '0').padStart(8)}  ${url}`),
                ].join('\n'),
          );
        }
        case 'send': {
          if (!queue) throw new UsageError('Name the queue to send to.');
          const message = await messageBody(body, values.file, io);
          const result = await client.send(
            new SendMessageCommand({
              QueueUrl: await queueUrl(client, queue),
              MessageBody: message,
              MessageGroupId: values.group,
              MessageDeduplicationId: values.dedup,
              DelaySeconds: wholeNumber('delay', values.delay, 0, 900),
              MessageAttributes: attributesOf(values.attribute ?? []),
            }),
          );
          return out(result, () => `Sent message ${result.MessageId} to ${queue}${result.SequenceNumber ? ` (sequence number ${result.SequenceNumber})` : ''}.`);
        }
        case 'receive': {
          if (!queue) throw new UsageError('Name the queue to receive from.');
          const url = await queueUrl(client, queue);
          const { Messages = [] } = await client.send(
            new ReceiveMessageCommand({
              QueueUrl: url,
              MaxNumberOfMessages: wholeNumber('max', values.max, 1, 10) ?? 10,
              WaitTimeSeconds: wholeNumber('wait', values.wait, 0, 20) ?? 0,
              VisibilityTimeout: wholeNumber('visibility', values.visibility, 0, 43_200),
              MessageSystemAttributeNames: ['All'],
              MessageAttributeNames: ['All'],
            }),
          );
          if (values.delete && Messages.length) {
            await client.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
          }
          return out(Messages, () =>
            Messages.length === 0
              ? `No messages in ${queue} right now.`
              : Messages.map((m) => `${m.MessageId} (received ${m.Attributes?.ApproximateReceiveCount ?? '?'} times${values.delete ? ', deleted' : ''})\n  ${m.Body ?? ''}`).join('\n'),
          );
        }
        case 'purge': {
          if (!queue) throw new UsageError('Name the queue to purge.');
          await client.send(new PurgeQueueCommand({ QueueUrl: await queueUrl(client, queue) }));
          return out({ purged: queue }, () => `Purged ${queue}.`);
        }
        default:
          throw new UsageError(action ? `Unknown action '${action}': use list, send, receive or purge.` : 'Say what to do: list, send, receive or purge.');
      }
    } catch (err) {
      throw explain(err, endpoint, queue);
    } finally {
      client.destroy();
    }
  },
};

async function queueUrl(client: SQSClient, queue: string): Promise<string> {
  if (/^https?:\/\//.test(queue)) return queue;
  return (await client.send(new GetQueueUrlCommand({ QueueName: queue }))).QueueUrl!;
}

async function messageBody(body: string | undefined, file: string | undefined, io: CliIo): Promise<string> {
  if (file !== undefined) {
    return readFile(resolve(io.cwd, file), 'utf8').catch((err: Error) => {
      throw new UsageError(`Cannot read the message file ${file}: ${err.message}`);
    });
  }
  if (body === '-') return text(io.stdin);
  if (body === undefined) throw new UsageError('Give the message body as an argument, with --file FILE, or - for standard input.');
  return body;
}

function attributesOf(pairs: string[]): Record<string, MessageAttributeValue> | undefined {
  if (!pairs.length) return undefined;
  const out: Record<string, MessageAttributeValue> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--attribute takes NAME=VALUE, not '${pair}'.`);
    out[pair.slice(0, eq)] = { DataType: 'String', StringValue: pair.slice(eq + 1) };
  }
  return out;
}

function explain(err: unknown, endpoint: string, queue: string | undefined): unknown {
  if (err instanceof UsageError || err instanceof LambdaDeskError) return err;
  const e = err as Error & { code?: string; name: string; $metadata?: unknown };
  const down = serveNotAnswering(err, endpoint);
  if (down) return down;
  if (e.name === 'QueueDoesNotExist') return new QueueCommandError(`The queue ${queue ?? ''} does not exist at ${endpoint}.`, 'Run `lambdadesk queue list` to see the queues, or declare it as an AWS::SQS::Queue in template.yaml.');
  if (e.$metadata) return new QueueCommandError(`${e.name}: ${e.message}`);
  return err;
}
