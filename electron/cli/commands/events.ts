import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { createEngine, DEFAULTS } from '../../engine/create-engine.ts';
import type { EventBridgeService } from '../../engine/triggers/eventbridge/eventbridge-service.ts';
import { generateSampleEvent, listSampleEvents } from '../../engine/triggers/sample-events/sample-event-library.ts';
import { type CliCommand, type CliIo, UsageError, writeLine } from '../cli-io.ts';
import { ENGINE_FLAGS, ENGINE_FLAGS_USAGE, oneShotEngineOptions } from '../engine-options.ts';
import { printOutcomes, watchAsyncInvocations } from './schedule.ts';

const USAGE = `Usage: lambdadesk events list [SERVICE] [--json]
       lambdadesk events generate SERVICE EVENT [--KEY VALUE …]
       lambdadesk events put --source SOURCE --detail-type TYPE (--detail JSON | --detail-file FILE|-) [options]

list      the sample events LambdaDesk can generate (every one SAM CLI's generate-event knows),
          with their parameters and defaults
generate  print one sample event as JSON, e.g.
            lambdadesk events generate s3 put --bucket photos --key "2024/cat 1.jpg"
            lambdadesk events generate sqs receive-message --body '{"id": 7}' > event.json
          values are encoded (base64, URL) and derived (SQS md5OfBody) as AWS would send them
put       EventBridge PutEvents: put one event on a bus and show which rules matched, what each
          target received and what each function returned

  --source SOURCE         the event's source (not aws.*: AWS reserves those)
  --detail-type TYPE      the event's detail-type
  --detail JSON           the detail, a JSON object
  --detail-file FILE|-    the detail from a file, or - for standard input
  --bus NAME              the event bus (default: default)
  --resource ARN          an ARN for the event's resources (repeatable)
  --dir DIR               project folder (default: the current folder)
  --endpoint-url URL      put to a running \`lambdadesk serve\` (e.g. http://127.0.0.1:3001)
                          through the EventBridge API instead of starting the project here
  --no-wait               do not wait for the functions to finish
  --json                  print JSON
${ENGINE_FLAGS_USAGE}`;

/** `--key value` and `--key=value` pairs after SERVICE EVENT: their names come from the event. */
function parseSampleValues(args: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`Expected --KEY VALUE, got '${arg}'.`);
    const eq = arg.indexOf('=');
    if (eq > 0) {
      values[arg.slice(2, eq)] = arg.slice(eq + 1);
      continue;
    }
    const value = args[i + 1];
    if (value === undefined) throw new UsageError(`${arg} needs a value.`);
    values[arg.slice(2)] = value;
    i++;
  }
  return values;
}

async function readDetail(values: { detail?: string; 'detail-file'?: string }, io: CliIo): Promise<string> {
  if (values.detail !== undefined && values['detail-file'] !== undefined) throw new UsageError('Give --detail or --detail-file, not both.');
  const file = values['detail-file'];
  const detail = values.detail ?? (file === undefined ? undefined : file === '-' ? await text(io.stdin) : await readFile(resolve(io.cwd, file), 'utf8').catch((err: Error) => {
    throw new UsageError(`Cannot read the detail file ${file}: ${err.message}`);
  }));
  if (detail === undefined) throw new UsageError('Give the detail: --detail \'{"orderId": 42}\' or --detail-file FILE.');
  try {
    const parsed: unknown = JSON.parse(detail);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
  } catch {
    throw new UsageError(`--detail must be a JSON object, such as '{"orderId": 42}'; EventBridge rejects anything else as MalformedDetail.`);
  }
  return detail;
}

export const eventsCommand: CliCommand = {
  summary: 'Sample events for every service (list, generate) and EventBridge PutEvents (put)',
  usage: USAGE,
  async run(args, io) {
    const [verb, ...rest] = args;

    if (verb === 'generate') {
      const [service, event, ...pairs] = rest;
      if (!service || !event || service.startsWith('--') || event.startsWith('--')) throw new UsageError('Name the service and the event: lambdadesk events generate s3 put [--KEY VALUE …]. `lambdadesk events list` shows them.');
      writeLine(io.stdout, JSON.stringify(generateSampleEvent(service, event, parseSampleValues(pairs)), null, 2));
      return 0;
    }

    if (verb === 'list') {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean' } } });
      const events = listSampleEvents(positionals[0]);
      if (values.json) {
        writeLine(io.stdout, JSON.stringify(events, null, 2));
        return 0;
      }
      let last = '';
      for (const e of events) {
        if (e.service !== last) writeLine(io.stdout, e.service);
        last = e.service;
        const params = e.parameters.map((p) => `--${p.name} ${JSON.stringify(p.default)}${p.encoding ? ` (${p.encoding})` : ''}`).join('  ');
        writeLine(io.stdout, `  ${e.event.padEnd(44)} ${e.help}${params ? `\n      ${params}` : ''}`);
      }
      return 0;
    }

    if (verb === 'put') {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          source: { type: 'string' },
          'detail-type': { type: 'string' },
          detail: { type: 'string' },
          'detail-file': { type: 'string' },
          bus: { type: 'string' },
          resource: { type: 'string', multiple: true },
          dir: { type: 'string' },
          'endpoint-url': { type: 'string' },
          'no-wait': { type: 'boolean' },
          json: { type: 'boolean' },
          ...ENGINE_FLAGS,
        },
      });
      if (positionals.length > 0) throw new UsageError(`Unexpected '${positionals[0]}': events put takes only options.`);
      if (!values.source) throw new UsageError('Give --source, e.g. --source com.example.orders.');
      if (!values['detail-type']) throw new UsageError('Give --detail-type, e.g. --detail-type OrderPlaced.');
      const detail = await readDetail(values, io);
      const out = (value: unknown, print: () => void) => (values.json ? writeLine(io.stdout, JSON.stringify(value, null, 2)) : print());

      if (values['endpoint-url']) {
        const client = new EventBridgeClient({ endpoint: values['endpoint-url'], region: values.region ?? DEFAULTS.region, credentials: { accessKeyId: 'lambdadesk', secretAccessKey: 'lambdadesk' }, maxAttempts: 1 });
        const result = await client.send(new PutEventsCommand({ Entries: [{ Source: values.source, DetailType: values['detail-type'], Detail: detail, EventBusName: values.bus, Resources: values.resource }] }));
        const entry = result.Entries?.[0];
        out(result, () => writeLine(io.stdout, entry?.EventId ? `Put event ${entry.EventId} at ${values['endpoint-url']}` : `Rejected: ${entry?.ErrorCode}: ${entry?.ErrorMessage}`));
        return result.FailedEntryCount ? 1 : 0;
      }

      const engine = await createEngine(oneShotEngineOptions(values.dir ?? '.', io.cwd, values));
      const watch = watchAsyncInvocations(engine);
      try {
        await engine.start();
        const eventbridge = engine.services.get('eventbridge') as EventBridgeService;
        const routed = await eventbridge.putEvent({ source: values.source, detailType: values['detail-type'], detail, busName: values.bus, resources: values.resource });
        const requestIds = routed.deliveries.flatMap((d) => (d.requestId ? [d.requestId] : []));
        const outcomes = values['no-wait'] ? [] : await watch.wait(requestIds);
        out({ ...routed, outcomes }, () => {
          writeLine(io.stdout, `Put event ${routed.eventId} on bus ${routed.busName}`);
          if (routed.deliveries.length === 0) writeLine(io.stdout, `  No rule on ${routed.busName} matched. Rules there: ${eventbridge.rules(routed.busName).map((r) => r.name).join(', ') || 'none'}.`);
          for (const d of routed.deliveries) writeLine(io.stdout, `  rule ${d.ruleName} → ${d.targetArn}: ${d.outcome}${d.error ? ` (${d.error})` : ''}`);
          printOutcomes(io, outcomes);
        });
        return routed.deliveries.some((d) => d.outcome === 'failed') || outcomes.some((o) => o.outcome !== 'success') ? 1 : 0;
      } finally {
        watch.dispose();
        await engine.stop();
      }
    }

    throw new UsageError(verb ? `Unknown events command '${verb}': use list, generate or put.` : 'Say what to do: list, generate or put.');
  },
};
