import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { LambdaDeskError } from '../../engine/errors.ts';
import { SERVE_CLIENT_FLAGS, SERVE_CLIENT_USAGE, serveClientConfig, serveNotAnswering } from '../serve-client.ts';
import { type CliCommand, type CliIo, UsageError, writeLine } from '../cli-io.ts';
import { wholeNumber } from '../engine-options.ts';


/** The running `lambdadesk serve` could not be reached, or answered with an error. */
class TableCommandError extends LambdaDeskError {
  readonly awsName = 'TableCommandError';
  readonly status = 400;
}

const USAGE = `Usage: lambdadesk table list|describe|scan|get|put|delete … [--endpoint-url URL] [--json]

Works on the DynamoDB tables of a running \`lambdadesk serve\` through its AWS endpoint (the
DynamoDB API, as the AWS CLI and SDKs use it), so writes reach the table's stream and the
functions it triggers. Items are plain JSON ({"id": "1", "qty": 2}), as the document client
writes them. Start \`lambdadesk serve DIR\` first.

  lambdadesk table list
  lambdadesk table describe TABLE
  lambdadesk table scan TABLE [--limit N]
  lambdadesk table get TABLE KEY_JSON
  lambdadesk table put TABLE ITEM_JSON|--file FILE|-
  lambdadesk table delete TABLE KEY_JSON

${SERVE_CLIENT_USAGE}
  --json               print the DynamoDB response as JSON`;

export const tableCommand: CliCommand = {
  summary: 'List, scan, get, put and delete DynamoDB items of a running `lambdadesk serve`',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { ...SERVE_CLIENT_FLAGS, file: { type: 'string' }, limit: { type: 'string' } },
    });
    const [action, table, argument] = positionals;
    const config = serveClientConfig(values, io);
    const { endpoint } = config;
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const client = new DynamoDBClient(config);
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const out = (value: unknown, human: () => string): number => {
      writeLine(io.stdout, values.json ? JSON.stringify(value, replacer, 2) : human());
      return 0;
    };
    const needTable = () => {
      if (!table) throw new UsageError(`Name the table: lambdadesk table ${action} TABLE …`);
      return table;
    };
    try {
      switch (action) {
        case 'list': {
          const { TableNames = [] } = await client.send(new ListTablesCommand({}));
          const tables = await Promise.all(TableNames.map(async (name) => (await client.send(new DescribeTableCommand({ TableName: name }))).Table!));
          return out(tables, () =>
            tables.length === 0
              ? 'No tables.'
              : [`${'TABLE'.padEnd(36)} ${'ITEMS'.padStart(7)}  ${'KEY'.padEnd(24)} STREAM`, ...tables.map((t) => `${(t.TableName ?? '').padEnd(36)} ${String(t.ItemCount ?? 0).padStart(7)}  ${(t.KeySchema ?? []).map((k) => `${k.AttributeName}(${k.KeyType === 'HASH' ? 'pk' : 'sk'})`).join(' ').padEnd(24)} ${t.StreamSpecification?.StreamViewType ?? '-'}`)].join('\n'),
          );
        }
        case 'describe': {
          const { Table } = await client.send(new DescribeTableCommand({ TableName: needTable() }));
          return out(Table, () => JSON.stringify(Table, replacer, 2));
        }
        case 'scan': {
          const result = await doc.send(new ScanCommand({ TableName: needTable(), Limit: wholeNumber('limit', values.limit, 1, 1_000_000) }));
          const items = result.Items ?? [];
          return out(result, () => (items.length === 0 ? `${table} is empty.` : [...items.map((item) => JSON.stringify(item, replacer)), `${items.length} item(s)${result.LastEvaluatedKey ? ' (more: raise --limit)' : ''}.`].join('\n')));
        }
        case 'get': {
          const key = await jsonArgument(argument, undefined, io, 'KEY_JSON');
          const { Item } = await doc.send(new GetCommand({ TableName: needTable(), Key: key }));
          if (!Item && !values.json) throw new TableCommandError(`No item with key ${JSON.stringify(key)} in ${table}.`);
          return out(Item ?? null, () => JSON.stringify(Item, replacer, 2));
        }
        case 'put': {
          const item = await jsonArgument(argument, values.file, io, 'ITEM_JSON');
          await doc.send(new PutCommand({ TableName: needTable(), Item: item }));
          return out({ put: item }, () => `Put ${JSON.stringify(item, replacer)} into ${table}.`);
        }
        case 'delete': {
          const key = await jsonArgument(argument, undefined, io, 'KEY_JSON');
          const { Attributes } = await doc.send(new DeleteCommand({ TableName: needTable(), Key: key, ReturnValues: 'ALL_OLD' }));
          return out({ deleted: Attributes ?? null }, () => (Attributes ? `Deleted ${JSON.stringify(Attributes, replacer)} from ${table}.` : `No item with key ${JSON.stringify(key)} in ${table}: nothing deleted.`));
        }
        default:
          throw new UsageError(action ? `Unknown action '${action}': use list, describe, scan, get, put or delete.` : 'Say what to do: list, describe, scan, get, put or delete.');
      }
    } catch (err) {
      throw await explain(err, endpoint, table, client);
    } finally {
      client.destroy();
    }
  },
};

/** Sets print as lists: JSON has no sets. */
function replacer(_key: string, value: unknown): unknown {
  return value instanceof Set ? [...value] : value;
}

async function jsonArgument(argument: string | undefined, file: string | undefined, io: CliIo, name: string): Promise<Record<string, unknown>> {
  let source: string;
  if (file !== undefined) {
    source = await readFile(resolve(io.cwd, file), 'utf8').catch((err: Error) => {
      throw new UsageError(`Cannot read ${file}: ${err.message}`);
    });
  } else if (argument === '-') source = await text(io.stdin);
  else if (argument === undefined) throw new UsageError(`Give ${name} as an argument (plain JSON such as '{"id": "1"}'), with --file FILE, or - for standard input.`);
  else source = argument;
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (err) {
    throw new UsageError(`${name} is not JSON: ${(err as Error).message}. Write it as '{"id": "1"}' (quote it for the shell).`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${name} must be a JSON object such as '{"id": "1"}'.`);
  return value as Record<string, unknown>;
}

async function explain(err: unknown, endpoint: string, table: string | undefined, client: DynamoDBClient): Promise<unknown> {
  if (err instanceof UsageError || err instanceof LambdaDeskError) return err;
  const e = err as Error & { code?: string; name: string; $metadata?: unknown };
  const down = serveNotAnswering(err, endpoint);
  if (down) return down;
  if (e.name === 'ResourceNotFoundException') {
    const names = await client.send(new ListTablesCommand({})).then((r) => r.TableNames ?? [], () => []);
    return new TableCommandError(`There is no table ${table ?? ''} at ${endpoint}. Tables: ${names.join(', ') || 'none'}.`, 'Use a TableName from `lambdadesk table list`, or declare the table in template.yaml.');
  }
  if (e.$metadata) return new TableCommandError(`${e.name}: ${e.message}`);
  return err;
}
