import { createHash } from 'node:crypto';
import type { EventSourceConfig, FunctionConfig, SourceLocation } from '../../contract.ts';
import { TemplateError } from '../../errors.ts';
import { parseRecordFilters, type RecordFilter } from './record-filter.ts';

export type StartingPosition = 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';

/** A `Kinesis` or `DynamoDB` event of a function: an event source mapping, checked. */
export interface StreamMapping {
  /** `<FunctionLogicalId>.<EventName>`: names its checkpoint file, stable across reloads. */
  id: string;
  /** A UUID derived from the id, as AWS shows for event source mappings. */
  uuid: string;
  kind: 'Kinesis' | 'DynamoDB';
  functionName: string;
  functionLogicalId: string;
  eventName: string;
  /** The `Stream` ARN as written (a Kinesis consumer ARN is reduced to its stream). */
  streamArn: string;
  enabled: boolean;
  startingPosition: StartingPosition;
  startingPositionTimestampMs?: number;
  batchSize: number;
  batchingWindowMs: number;
  bisectOnError: boolean;
  /** -1: until the record expires. */
  maximumRetryAttempts: number;
  /** -1: no limit. */
  maximumRecordAgeMs: number;
  parallelizationFactor: number;
  filters: RecordFilter[];
  reportBatchItemFailures: boolean;
  onFailureDestination?: string;
  /** Settings read but not emulated, said once so nobody is surprised. */
  notes: string[];
  location: SourceLocation;
  /** Why it cannot run: file:line:column, field, the rule and the fix. */
  error?: TemplateError;
}

class Invalid extends Error {
  constructor(
    readonly property: string,
    problem: string,
    readonly fix: string,
  ) {
    super(problem);
  }
}

/** Reads every event of `type` (`Kinesis` or `DynamoDB`) in the model; invalid ones carry their error. */
export function readStreamMappings(functions: FunctionConfig[], type: 'Kinesis' | 'DynamoDB'): StreamMapping[] {
  const out: StreamMapping[] = [];
  for (const fn of functions) for (const event of fn.events) if (event.type === type) out.push(readMapping(fn, event, type));
  return out;
}

function readMapping(fn: FunctionConfig, event: EventSourceConfig, kind: 'Kinesis' | 'DynamoDB'): StreamMapping {
  const p = event.properties;
  const id = `${fn.logicalId}.${event.name}`;
  const mapping: StreamMapping = {
    id,
    uuid: uuidFrom(id),
    kind,
    functionName: fn.functionName,
    functionLogicalId: fn.logicalId,
    eventName: event.name,
    streamArn: typeof p.Stream === 'string' ? streamOf(p.Stream) : '',
    enabled: true,
    startingPosition: 'LATEST',
    batchSize: 100,
    batchingWindowMs: 0,
    bisectOnError: false,
    maximumRetryAttempts: -1,
    maximumRecordAgeMs: -1,
    parallelizationFactor: 1,
    filters: [],
    reportBatchItemFailures: false,
    notes: [],
    location: event.location,
  };
  try {
    if (typeof p.Stream !== 'string' || !p.Stream.startsWith('arn:')) {
      const example = kind === 'Kinesis' ? '!GetAtt MyStream.Arn' : '!GetAtt MyTable.StreamArn';
      throw new Invalid('Stream', `Stream must be the ARN of a ${kind === 'Kinesis' ? 'Kinesis stream' : 'DynamoDB table stream'}${p.Stream === undefined ? '' : `, not ${JSON.stringify(p.Stream)}`}.`, `Write Stream: ${example}.`);
    }
    const positions: StartingPosition[] = kind === 'Kinesis' ? ['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'] : ['TRIM_HORIZON', 'LATEST'];
    if (typeof p.StartingPosition !== 'string' || !positions.includes(p.StartingPosition as StartingPosition)) {
      throw new Invalid('StartingPosition', `StartingPosition is required and must be one of ${positions.join(', ')}${p.StartingPosition === undefined ? '' : `, not ${JSON.stringify(p.StartingPosition)}`}.`, 'Write StartingPosition: TRIM_HORIZON to read the stream from its oldest record, or LATEST for new records only.');
    }
    mapping.startingPosition = p.StartingPosition as StartingPosition;
    if (mapping.startingPosition === 'AT_TIMESTAMP') {
      const seconds = number(p, 'StartingPositionTimestamp', 0, 32_503_680_000);
      if (seconds === undefined) throw new Invalid('StartingPositionTimestamp', 'AT_TIMESTAMP needs StartingPositionTimestamp (Unix time in seconds).', 'Add StartingPositionTimestamp: 1700000000.');
      mapping.startingPositionTimestampMs = seconds * 1000;
    }
    mapping.enabled = boolean(p, 'Enabled') ?? true;
    mapping.batchSize = integer(p, 'BatchSize', 1, 10_000) ?? 100;
    mapping.batchingWindowMs = (integer(p, 'MaximumBatchingWindowInSeconds', 0, 300) ?? 0) * 1000;
    mapping.bisectOnError = boolean(p, 'BisectBatchOnFunctionError') ?? false;
    mapping.maximumRetryAttempts = integer(p, 'MaximumRetryAttempts', -1, 10_000) ?? -1;
    const age = integer(p, 'MaximumRecordAgeInSeconds', -1, 604_800) ?? -1;
    if (age !== -1 && age < 60) throw new Invalid('MaximumRecordAgeInSeconds', `MaximumRecordAgeInSeconds must be -1 (no limit) or from 60 to 604800, not ${age}.`, 'Use -1, or at least 60 seconds.');
    mapping.maximumRecordAgeMs = age === -1 ? -1 : age * 1000;
    mapping.parallelizationFactor = integer(p, 'ParallelizationFactor', 1, 10) ?? 1;
    mapping.reportBatchItemFailures = responseTypes(p);
    mapping.onFailureDestination = destination(p);
    if (p.FilterCriteria !== undefined) {
      try {
        mapping.filters = parseRecordFilters(p.FilterCriteria);
      } catch (err) {
        throw new Invalid('FilterCriteria', (err as Error).message, 'Write FilterCriteria: { Filters: [ { Pattern: \'{"eventName": ["INSERT"]}\' } ] } (EventBridge pattern syntax).');
      }
    }
    if (p.TumblingWindowInSeconds !== undefined && p.TumblingWindowInSeconds !== 0) {
      mapping.notes.push('TumblingWindowInSeconds is not emulated: batches are delivered without window state.');
    }
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    const field = `Resources.${fn.logicalId}.Properties.Events.${event.name}.Properties.${err.property}`;
    mapping.error = new TemplateError({ ...event.location, field }, err.message, err.fix);
  }
  return mapping;
}

/** A Kinesis enhanced fan-out consumer ARN reads its stream: `…:stream/name/consumer/c:123`. */
function streamOf(arn: string): string {
  const at = arn.indexOf('/consumer/');
  return at > 0 && arn.split(':')[2] === 'kinesis' ? arn.slice(0, at) : arn;
}

function uuidFrom(id: string): string {
  const hex = createHash('sha256').update(id).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function number(p: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const raw = p[name];
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new Invalid(name, `${name} must be a number from ${min} to ${max}, not ${JSON.stringify(raw)}.`, `Set ${name} to a number from ${min} to ${max}.`);
  }
  return value;
}

function integer(p: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const value = number(p, name, min, max);
  if (value !== undefined && !Number.isInteger(value)) throw new Invalid(name, `${name} must be a whole number, not ${value}.`, `Set ${name} to a whole number from ${min} to ${max}.`);
  return value;
}

function boolean(p: Record<string, unknown>, name: string): boolean | undefined {
  const raw = p[name];
  if (raw === undefined) return undefined;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new Invalid(name, `${name} must be true or false, not ${JSON.stringify(raw)}.`, `Set ${name}: true or ${name}: false.`);
}

function responseTypes(p: Record<string, unknown>): boolean {
  const raw = p.FunctionResponseTypes;
  if (raw === undefined) return false;
  if (!Array.isArray(raw) || raw.some((t) => t !== 'ReportBatchItemFailures')) {
    throw new Invalid('FunctionResponseTypes', `FunctionResponseTypes may only list ReportBatchItemFailures, not ${JSON.stringify(raw)}.`, 'Write FunctionResponseTypes: [ReportBatchItemFailures].');
  }
  return raw.length > 0;
}

function destination(p: Record<string, unknown>): string | undefined {
  const config = p.DestinationConfig;
  if (config === undefined) return undefined;
  const onFailure = typeof config === 'object' && config !== null ? (config as Record<string, unknown>).OnFailure : undefined;
  const arn = typeof onFailure === 'object' && onFailure !== null ? (onFailure as Record<string, unknown>).Destination : undefined;
  if (typeof arn !== 'string' || !/^arn:[^:]+:(sqs|sns|s3):/.test(arn)) {
    throw new Invalid(
      'DestinationConfig',
      `DestinationConfig.OnFailure.Destination must be the ARN of an SQS queue, SNS topic or S3 bucket${arn === undefined ? '' : `, not ${JSON.stringify(arn)}`}.`,
      'Write DestinationConfig: { OnFailure: { Destination: !GetAtt FailedRecords.Arn } }.',
    );
  }
  return arn;
}
