import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { PublishCommand, SNSClient, type MessageAttributeValue } from '@aws-sdk/client-sns';
import { createEngine, DEFAULTS } from '../../engine/create-engine.ts';
import type { MessageAttribute } from '../../engine/triggers/sns/filter-policy.ts';
import type { SnsService } from '../../engine/triggers/sns/sns-service.ts';
import { type CliCommand, type CliIo, UsageError, writeLine } from '../cli-io.ts';
import { ENGINE_FLAGS, ENGINE_FLAGS_USAGE, engineOptions, oneShotEngineOptions } from '../engine-options.ts';
import { printOutcomes, watchAsyncInvocations } from './schedule.ts';

const USAGE = `Usage: lambdadesk topic list [--dir DIR] [--json]
       lambdadesk topic publish TOPIC (--message TEXT | --message-file FILE|-) [options]

list      the project's SNS topics and their subscriptions, with filter policies
publish   publish one message to TOPIC (name or ARN) and show which subscribers got it (a
          filter policy may say no) and what each function returned

  --dir DIR                 project folder (default: the current folder)
  --message TEXT            the message
  --message-file FILE|-     the message from a file, or - for standard input
  --subject TEXT            subject (at most 100 printable characters)
  --attribute NAME=VALUE    a String message attribute (repeatable); NAME:Number=42 or
                            NAME:String.Array='["a","b"]' for other types
  --message-structure json  Message is {"default": …, "lambda": …, "sqs": …}
  --group-id ID             MessageGroupId (FIFO topics)
  --dedup-id ID             MessageDeduplicationId (FIFO topics)
  --endpoint-url URL        publish to a running \`lambdadesk serve\` (e.g. http://127.0.0.1:3001)
                            through the SNS API instead of starting the project here
  --no-wait                 do not wait for the functions to finish
  --json                    print JSON
${ENGINE_FLAGS_USAGE}`;

/** `color=red`, `total:Number=42`, `tags:String.Array=["a"]`. */
export function parseAttribute(spec: string): [string, MessageAttribute] {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new UsageError(`--attribute takes NAME=VALUE or NAME:TYPE=VALUE, not '${spec}'.`);
  const [name, type = 'String'] = spec.slice(0, eq).split(/:(.*)/s, 2) as [string, string | undefined];
  const value = spec.slice(eq + 1);
  if (!name) throw new UsageError(`--attribute '${spec}' has no name.`);
  return [name, type.startsWith('Binary') ? { dataType: type, binaryValue: Buffer.from(value).toString('base64') } : { dataType: type, stringValue: value }];
}

async function readMessage(values: { message?: string; 'message-file'?: string }, io: CliIo): Promise<string> {
  if (values.message !== undefined && values['message-file'] !== undefined) throw new UsageError('Give --message or --message-file, not both.');
  if (values.message !== undefined) return values.message;
  const file = values['message-file'];
  if (file === undefined) throw new UsageError('Give the message: --message TEXT or --message-file FILE.');
  if (file === '-') return text(io.stdin);
  return readFile(resolve(io.cwd, file), 'utf8').catch((err: Error) => {
    throw new UsageError(`Cannot read the message file ${file}: ${err.message}`);
  });
}

export const topicCommand: CliCommand = {
  summary: 'List SNS topics and subscriptions, or publish a message and watch the fan-out',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        dir: { type: 'string' },
        message: { type: 'string' },
        'message-file': { type: 'string' },
        subject: { type: 'string' },
        attribute: { type: 'string', multiple: true },
        'message-structure': { type: 'string' },
        'group-id': { type: 'string' },
        'dedup-id': { type: 'string' },
        'endpoint-url': { type: 'string' },
        'no-wait': { type: 'boolean' },
        json: { type: 'boolean' },
        ...ENGINE_FLAGS,
      },
    });
    const [verb, topicName, ...extra] = positionals;
    const out = (value: unknown, print: () => void) => (values.json ? writeLine(io.stdout, JSON.stringify(value, null, 2)) : print());

    if (verb === 'publish') {
      if (!topicName || extra.length > 0) throw new UsageError('Name one topic: lambdadesk topic publish TOPIC --message TEXT');
      const message = await readMessage(values, io);
      const attributes = Object.fromEntries((values.attribute ?? []).map(parseAttribute));
      if (values['endpoint-url']) {
        const client = new SNSClient({ endpoint: values['endpoint-url'], region: values.region ?? DEFAULTS.region, credentials: { accessKeyId: 'lambdadesk', secretAccessKey: 'lambdadesk' }, maxAttempts: 1 });
        const topicArn = topicName.startsWith('arn:') ? topicName : `arn:aws:sns:${values.region ?? DEFAULTS.region}:${DEFAULTS.accountId}:${topicName}`;
        const sdkAttributes: Record<string, MessageAttributeValue> = Object.fromEntries(
          Object.entries(attributes).map(([k, a]) => [k, { DataType: a.dataType, StringValue: a.stringValue, BinaryValue: a.binaryValue ? Buffer.from(a.binaryValue, 'base64') : undefined }]),
        );
        const result = await client.send(
          new PublishCommand({ TopicArn: topicArn, Message: message, Subject: values.subject, MessageAttributes: sdkAttributes, MessageStructure: values['message-structure'], MessageGroupId: values['group-id'], MessageDeduplicationId: values['dedup-id'] }),
        );
        out({ messageId: result.MessageId, sequenceNumber: result.SequenceNumber }, () => writeLine(io.stdout, `Published ${result.MessageId} to ${topicArn} at ${values['endpoint-url']}`));
        return 0;
      }
      const engine = await createEngine(oneShotEngineOptions(values.dir ?? '.', io.cwd, values));
      const watch = watchAsyncInvocations(engine);
      try {
        await engine.start();
        const sns = engine.services.get('sns') as SnsService;
        const topic = sns.findTopic(topicName);
        const result = await sns.publish({
          topicArn: topic.arn,
          message,
          subject: values.subject,
          attributes,
          messageStructure: values['message-structure'],
          messageGroupId: values['group-id'],
          messageDeduplicationId: values['dedup-id'],
        });
        const requestIds = result.deliveries.flatMap((d) => (d.requestId ? [d.requestId] : []));
        const outcomes = values['no-wait'] ? [] : await watch.wait(requestIds);
        out({ ...result, outcomes }, () => {
          writeLine(io.stdout, `Published ${result.messageId} to ${topic.arn}`);
          if (result.deliveries.length === 0) writeLine(io.stdout, '  The topic has no subscriptions.');
          for (const d of result.deliveries) writeLine(io.stdout, `  ${d.protocol} ${d.endpoint}: ${d.outcome === 'filtered' ? 'filtered out by its filter policy' : d.outcome}${d.error ? ` (${d.error})` : ''}`);
          printOutcomes(io, outcomes);
        });
        return result.deliveries.some((d) => d.outcome === 'failed') || outcomes.some((o) => o.outcome !== 'success') ? 1 : 0;
      } finally {
        watch.dispose();
        await engine.stop();
      }
    }

    if (verb === 'list') {
      // Only the SNS service is started: listing must not run functions or deliver queued events.
      const engine = await createEngine({ ...engineOptions(values.dir ?? '.', io.cwd, { ...values, sandbox: 'process' }), listen: false, watch: false });
      const sns = engine.services.get('sns') as SnsService;
      try {
        await sns.start();
        const topics = sns.topics().map((t) => ({ ...t, subscriptions: sns.subscriptions(t.arn) }));
        const problems = sns.problems();
        out({ topics, problems }, () => {
          if (topics.length === 0) writeLine(io.stdout, 'No SNS topics.');
          for (const t of topics) {
            writeLine(io.stdout, `${t.name}  ${t.arn}${t.fifo ? '  (FIFO)' : ''}  [${t.origin}]`);
            for (const s of t.subscriptions) {
              const via = s.viaQueue ? ` via queue ${s.viaQueue}` : '';
              const policy = s.filterPolicy ? `  filter (${s.filterPolicyScope}): ${s.filterPolicy}` : '';
              writeLine(io.stdout, `  → ${s.protocol} ${s.endpoint}${via}${policy}`);
            }
          }
          for (const p of problems) writeLine(io.stderr, `problem: ${p.message}${p.fix ? `\n  ${p.fix}` : ''}`);
        });
        return problems.length > 0 ? 1 : 0;
      } finally {
        await sns.stop();
      }
    }

    throw new UsageError(verb ? `Unknown topic command '${verb}': use list or publish.` : 'Say what to do: list or publish.');
  },
};
