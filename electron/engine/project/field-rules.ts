import { fieldProblem } from './edit-errors.ts';
import type { FieldProblem } from './edit-errors.ts';
import { LAMBDA_LIMITS, RESERVED_ENVIRONMENT_KEYS } from './lambda-limits.ts';
import { classifyRuntime } from './lambda-runtimes.ts';
import { getIn, isPlainObject } from './plain-edits.ts';
import { ScheduleExpressionError, parseScheduleExpression } from '../expressions/schedule-expression.ts';
import type { PathSegment } from './template-document.ts';

/**
 * The checks the inspector's fields need before anything is written: Lambda's limits, event
 * source ranges, schedule and route syntax, environment variables. Only fields an edit touched
 * are reported, so an old problem elsewhere in the template never blocks an unrelated edit.
 */
export function checkTouchedFields(template: unknown, touched: ReadonlyArray<readonly PathSegment[]>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const resources = getIn(template, ['Resources']);
  const scopes: Array<{ path: PathSegment[]; properties: unknown; isGlobals: boolean }> = [];
  if (isPlainObject(resources)) {
    for (const [id, resource] of Object.entries(resources)) {
      if (isPlainObject(resource) && resource.Type === 'AWS::Serverless::Function') {
        scopes.push({ path: ['Resources', id, 'Properties'], properties: resource.Properties, isGlobals: false });
      }
    }
  }
  scopes.push({ path: ['Globals', 'Function'], properties: getIn(template, ['Globals', 'Function']), isGlobals: true });
  for (const scope of scopes) {
    if (!touched.some((path) => overlaps(path, scope.path))) continue;
    if (scope.properties === undefined || scope.properties === null) continue;
    if (!isPlainObject(scope.properties)) continue;
    checkFunction(template, scope.path, scope.properties, scope.isGlobals, problems);
  }
  return problems.filter((problem) => touched.some((path) => overlaps(path, problem.path)));
}

/** One path lies inside the other: a change to either may affect the field. */
export function overlaps(a: readonly PathSegment[], b: readonly PathSegment[]): boolean {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/** `{ Ref: X }`, `{ 'Fn::Sub': … }`: known only at deploy, so not range-checked here. */
export function isIntrinsic(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || (keys[0] ?? '').startsWith('Fn::'));
}

function checkFunction(template: unknown, base: PathSegment[], properties: Record<string, unknown>, isGlobals: boolean, problems: FieldProblem[]): void {
  const { memoryMb, timeoutSeconds, ephemeralStorageMb } = LAMBDA_LIMITS;
  checkWholeNumber(problems, [...base, 'MemorySize'], properties.MemorySize, memoryMb.min, memoryMb.max, 'MB', 'Set MemorySize to a whole number of MB from 128 to 10240.');
  checkWholeNumber(problems, [...base, 'Timeout'], properties.Timeout, timeoutSeconds.min, timeoutSeconds.max, 'seconds', 'Set Timeout to a whole number of seconds from 1 to 900 (15 minutes).');
  checkWholeNumber(problems, [...base, 'EphemeralStorage', 'Size'], getIn(properties, ['EphemeralStorage', 'Size']), ephemeralStorageMb.min, ephemeralStorageMb.max, 'MB', 'Set EphemeralStorage.Size to a whole number of MB from 512 to 10240.');
  const runtime = properties.Runtime;
  if (typeof runtime === 'string' && classifyRuntime(runtime) === 'unknown') {
    problems.push(fieldProblem([...base, 'Runtime'], `"${runtime}" is not a Lambda runtime.`, 'Use a runtime identifier such as nodejs20.x, nodejs22.x, python3.12 or provided.al2023.'));
  }
  checkEnvironment(problems, [...base, 'Environment', 'Variables'], getIn(properties, ['Environment', 'Variables']));
  if (!isGlobals) checkEvents(template, problems, [...base, 'Events'], properties.Events);
}

function checkWholeNumber(problems: FieldProblem[], path: PathSegment[], value: unknown, min: number, max: number, unit: string, fix: string): void {
  if (value === undefined || isIntrinsic(value)) return;
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isInteger(number)) {
    problems.push(fieldProblem(path, `${JSON.stringify(value)} is not a whole number of ${unit}.`, fix));
  } else if (number < min) {
    problems.push(fieldProblem(path, `${number} is below the minimum of ${min}.`, fix));
  } else if (number > max) {
    problems.push(fieldProblem(path, `${number} is above the maximum of ${max}.`, fix));
  }
}

// ── environment ─────────────────────────────────────────────────────────────────────────────

const VARIABLE_NAME = /^[a-zA-Z][a-zA-Z0-9_]+$/;

function checkEnvironment(problems: FieldProblem[], path: PathSegment[], variables: unknown): void {
  if (variables === undefined || isIntrinsic(variables)) return;
  if (!isPlainObject(variables)) {
    problems.push(fieldProblem(path, 'Variables must be a mapping of names to values.', 'Write each variable as `NAME: value` under Variables.'));
    return;
  }
  let bytes = 0;
  for (const [name, value] of Object.entries(variables)) {
    const at = [...path, name];
    if (!VARIABLE_NAME.test(name)) {
      problems.push(fieldProblem(at, `"${name}" is not a valid environment variable name.`, 'Start with a letter and use at least two characters, only letters, digits and underscores (e.g. TABLE_NAME).'));
    } else if ((RESERVED_ENVIRONMENT_KEYS as readonly string[]).includes(name)) {
      problems.push(fieldProblem(at, `${name} is set by Lambda itself and cannot be configured.`, 'Choose another name.'));
    }
    bytes += Buffer.byteLength(name);
    if (value === null || value === undefined) {
      problems.push(fieldProblem(at, `${name} has no value; CloudFormation rejects an empty variable.`, "Give it a value (use '' for an empty string), or remove it."));
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      bytes += Buffer.byteLength(String(value));
    } else if (!isIntrinsic(value)) {
      problems.push(fieldProblem(at, `The value of ${name} must be text, a number or an intrinsic function such as !Ref.`, 'Write the value as text; JSON can be quoted as a string.'));
    }
  }
  if (bytes > LAMBDA_LIMITS.environmentBytes) {
    problems.push(fieldProblem(path, `The variables take ${bytes} bytes; Lambda allows ${LAMBDA_LIMITS.environmentBytes} in total.`, 'Shorten or remove variables, or keep large values in SSM Parameter Store or S3.'));
  }
}

// ── events ──────────────────────────────────────────────────────────────────────────────────

export const SAM_EVENT_TYPES = [
  'S3', 'SNS', 'Kinesis', 'DynamoDB', 'DocumentDB', 'SQS', 'Api', 'Schedule', 'ScheduleV2', 'CloudWatchEvent', 'EventBridgeRule',
  'CloudWatchLogs', 'IoTRule', 'AlexaSkill', 'Cognito', 'HttpApi', 'MSK', 'MQ', 'SelfManagedKafka',
] as const;

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'];
const ROUTE_SEGMENT = /^(\{[A-Za-z0-9._-]+\+?\}|[A-Za-z0-9._~:@!$&'()*,;=-]+)$/;
const S3_EVENT = /^s3:(ObjectCreated:(\*|Put|Post|Copy|CompleteMultipartUpload)|ObjectRemoved:(\*|Delete|DeleteMarkerCreated)|ObjectRestore:(\*|Post|Completed|Delete)|ReducedRedundancyLostObject|Replication:(\*|OperationFailedReplication|OperationMissedThreshold|OperationReplicatedAfterThreshold|OperationNotTracked)|LifecycleExpiration:(\*|Delete|DeleteMarkerCreated)|LifecycleTransition|IntelligentTiering|ObjectTagging:(\*|Put|Delete)|ObjectAcl:Put)$/;
const BATCH_SIZE_MAX: Readonly<Record<string, number>> = { SQS: 10_000, Kinesis: 10_000, DynamoDB: 10_000, MSK: 10_000, SelfManagedKafka: 10_000, MQ: 10_000, DocumentDB: 10_000 };

function checkEvents(template: unknown, problems: FieldProblem[], path: PathSegment[], events: unknown): void {
  if (events === undefined || events === null || isIntrinsic(events)) return;
  if (!isPlainObject(events)) {
    problems.push(fieldProblem(path, 'Events must be a mapping of event names to { Type, Properties }.', 'Write each event as `Name:` with `Type:` and `Properties:` under it.'));
    return;
  }
  for (const [name, event] of Object.entries(events)) {
    const at = [...path, name];
    if (!/^[A-Za-z0-9]+$/.test(name)) {
      problems.push(fieldProblem(at, `"${name}" is not a valid event name.`, 'Use letters and digits only: SAM makes resource names from it.'));
    }
    if (!isPlainObject(event)) {
      problems.push(fieldProblem(at, `Event ${name} must be a mapping with Type and Properties.`, 'Add `Type:` and `Properties:` under it.'));
      continue;
    }
    const type = event.Type;
    if (typeof type !== 'string' || !(SAM_EVENT_TYPES as readonly string[]).includes(type)) {
      problems.push(fieldProblem([...at, 'Type'], `${JSON.stringify(type ?? null)} is not a SAM event type.`, `Use one of ${SAM_EVENT_TYPES.join(', ')}.`));
      continue;
    }
    const properties = event.Properties ?? {};
    if (!isPlainObject(properties)) {
      problems.push(fieldProblem([...at, 'Properties'], `Properties of event ${name} must be a mapping.`, 'Write the properties as `Name: value` lines under Properties.'));
      continue;
    }
    checkEventProperties(template, problems, [...at, 'Properties'], type, properties);
  }
}

function checkEventProperties(template: unknown, problems: FieldProblem[], path: PathSegment[], type: string, properties: Record<string, unknown>): void {
  const require = (key: string, example: string): boolean => {
    if (properties[key] !== undefined && properties[key] !== null) return true;
    problems.push(fieldProblem([...path, key], `A ${type} event needs ${key}.`, `Add ${key}, e.g. \`${key}: ${example}\`.`));
    return false;
  };
  const batchMax = BATCH_SIZE_MAX[type];
  if (batchMax !== undefined) checkBatching(template, problems, path, type, properties, batchMax);
  switch (type) {
    case 'SQS':
      require('Queue', '!GetAtt Orders.Arn');
      break;
    case 'Kinesis':
    case 'DynamoDB':
      require('Stream', type === 'Kinesis' ? '!GetAtt Stream.Arn' : '!GetAtt Table.StreamArn');
      if (require('StartingPosition', 'LATEST') && !isIntrinsic(properties.StartingPosition)) {
        const allowed = type === 'Kinesis' ? ['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'] : ['TRIM_HORIZON', 'LATEST'];
        if (!allowed.includes(String(properties.StartingPosition))) {
          problems.push(fieldProblem([...path, 'StartingPosition'], `${JSON.stringify(properties.StartingPosition)} is not a starting position for ${type}.`, `Use ${allowed.join(', ')}.`));
        }
      }
      break;
    case 'Schedule':
    case 'ScheduleV2': {
      const key = type === 'Schedule' ? 'Schedule' : 'ScheduleExpression';
      if (!require(key, 'rate(5 minutes)') || isIntrinsic(properties[key])) break;
      const problem = scheduleProblem(properties[key], type === 'ScheduleV2');
      if (problem) problems.push(fieldProblem([...path, key], problem.message, problem.fix));
      break;
    }
    case 'HttpApi':
    case 'Api':
      checkRoute(template, problems, path, type, properties);
      break;
    case 'S3':
      checkS3(template, problems, path, properties, require);
      break;
    case 'SNS':
      require('Topic', '!Ref Alerts');
      break;
    case 'EventBridgeRule':
      if (require('Pattern', '{ source: [my.app] }') && !isPlainObject(properties.Pattern)) {
        problems.push(fieldProblem([...path, 'Pattern'], 'Pattern must be an event pattern (a mapping).', 'Write it as a mapping, e.g. `source: [my.app]`.'));
      }
      break;
  }
}

/** The schedule trigger's own parser decides, so that what validates here is what runs. */
function scheduleProblem(expression: unknown, allowAt: boolean): { message: string; fix: string } | undefined {
  if (typeof expression !== 'string') return { message: 'A schedule expression must be text.', fix: 'Write rate(5 minutes) or cron(0 12 * * ? *).' };
  try {
    parseScheduleExpression(expression, { allowAt });
    return undefined;
  } catch (err) {
    if (!(err instanceof ScheduleExpressionError)) throw err;
    return { message: /[.!?]$/.test(err.message) ? err.message : `${err.message}.`, fix: err.fix };
  }
}

function checkBatching(template: unknown, problems: FieldProblem[], path: PathSegment[], type: string, properties: Record<string, unknown>, max: number): void {
  const batchSize = properties.BatchSize;
  const window = properties.MaximumBatchingWindowInSeconds;
  const fifo = type === 'SQS' && isFifoQueue(template, properties.Queue);
  const limit = fifo ? 10 : max;
  const fix = fifo ? 'A FIFO queue delivers at most 10 messages per batch: use 1 to 10.' : `Use a whole number from 1 to ${limit}.`;
  checkWholeNumber(problems, [...path, 'BatchSize'], batchSize, 1, limit, 'records', fix);
  checkWholeNumber(problems, [...path, 'MaximumBatchingWindowInSeconds'], window, 0, 300, 'seconds', 'Use a whole number of seconds from 0 to 300.');
  if (type === 'SQS' && !fifo && typeof batchSize === 'number' && batchSize > 10 && batchSize <= limit && !isIntrinsic(window) && !(Number(window) >= 1)) {
    problems.push(
      fieldProblem([...path, 'BatchSize'], `A BatchSize of ${batchSize} needs a batching window: SQS sends more than 10 messages only while it waits for a batch to fill.`, 'Set MaximumBatchingWindowInSeconds to at least 1, or lower BatchSize to 10.'),
    );
  }
  if (fifo && window !== undefined && !isIntrinsic(window) && Number(window) > 0) {
    problems.push(fieldProblem([...path, 'MaximumBatchingWindowInSeconds'], 'A FIFO queue has no batching window.', 'Remove MaximumBatchingWindowInSeconds.'));
  }
}

/** The queue a `Queue: !GetAtt X.Arn` names is FIFO when the template declares `FifoQueue: true`. */
function isFifoQueue(template: unknown, queue: unknown): boolean {
  const id = referencedId(queue);
  if (!id) return false;
  const fifo = getIn(template, ['Resources', id, 'Properties', 'FifoQueue']);
  return fifo === true || fifo === 'true';
}

/** The logical id a `{ Ref: X }` or `{ 'Fn::GetAtt': [X, attr] }` points at. */
export function referencedId(value: unknown): string | undefined {
  if (!isPlainObject(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

function checkRoute(template: unknown, problems: FieldProblem[], path: PathSegment[], type: string, properties: Record<string, unknown>): void {
  const { Path: routePath, Method: method } = properties;
  if (type === 'HttpApi' && routePath === undefined && method === undefined) return; // the $default route
  if (routePath === undefined || method === undefined) {
    const missing = routePath === undefined ? 'Path' : 'Method';
    const fix = type === 'HttpApi' ? `Add ${missing}, or remove both Path and Method to route everything else to this function ($default).` : `Add ${missing}.`;
    problems.push(fieldProblem([...path, missing], `A ${type} event needs both Path and Method.`, fix));
  }
  if (typeof routePath === 'string' && !isRoutePath(routePath)) {
    problems.push(
      fieldProblem([...path, 'Path'], `"${routePath}" is not a valid route path.`, 'Start with / and use plain segments or {parameters}, with at most one greedy {name+} at the end, e.g. /orders/{id} or /files/{path+}.'),
    );
  } else if (routePath !== undefined && typeof routePath !== 'string' && !isIntrinsic(routePath)) {
    problems.push(fieldProblem([...path, 'Path'], 'Path must be text.', 'Write a path such as /orders/{id}.'));
  }
  if (method !== undefined && !isIntrinsic(method) && !HTTP_METHODS.includes(String(method).toUpperCase())) {
    problems.push(fieldProblem([...path, 'Method'], `${JSON.stringify(method)} is not an HTTP method.`, `Use ${HTTP_METHODS.join(', ')}.`));
  }
  if (typeof routePath === 'string' && typeof method === 'string') {
    const other = findSameRoute(template, path, type, properties.ApiId ?? properties.RestApiId, method.toUpperCase(), routePath);
    if (other) {
      problems.push(fieldProblem([...path, 'Path'], `${method.toUpperCase()} ${routePath} is already routed to ${other}.`, 'Choose another path or method, or remove the other route.'));
    }
  }
}

export function isRoutePath(routePath: string): boolean {
  if (routePath === '/') return true;
  if (!routePath.startsWith('/') || routePath.endsWith('/')) return false;
  const segments = routePath.slice(1).split('/');
  return segments.every((segment, index) => ROUTE_SEGMENT.test(segment) && (!segment.endsWith('+}') || index === segments.length - 1));
}

/** Another event of the same API with the same method and path: API Gateway keeps one route per key. */
function findSameRoute(template: unknown, self: PathSegment[], type: string, api: unknown, method: string, routePath: string): string | undefined {
  const resources = getIn(template, ['Resources']);
  if (!isPlainObject(resources)) return undefined;
  for (const [id, resource] of Object.entries(resources)) {
    if (!isPlainObject(resource) || resource.Type !== 'AWS::Serverless::Function') continue;
    const events = getIn(resource, ['Properties', 'Events']);
    if (!isPlainObject(events)) continue;
    for (const [name, event] of Object.entries(events)) {
      if (self[1] === id && self[4] === name) continue;
      if (!isPlainObject(event) || event.Type !== type || !isPlainObject(event.Properties)) continue;
      const props = event.Properties;
      const sameApi = JSON.stringify(props.ApiId ?? props.RestApiId ?? null) === JSON.stringify(api ?? null);
      if (sameApi && typeof props.Method === 'string' && props.Method.toUpperCase() === method && props.Path === routePath) return `${id} (event ${name})`;
    }
  }
  return undefined;
}

function checkS3(template: unknown, problems: FieldProblem[], path: PathSegment[], properties: Record<string, unknown>, require: (key: string, example: string) => boolean): void {
  if (require('Bucket', '!Ref Uploads')) {
    const id = isPlainObject(properties.Bucket) && typeof properties.Bucket.Ref === 'string' ? properties.Bucket.Ref : undefined;
    const type = id ? getIn(template, ['Resources', id, 'Type']) : undefined;
    if (type !== 'AWS::S3::Bucket') {
      problems.push(fieldProblem([...path, 'Bucket'], 'SAM needs the bucket of an S3 event to be declared in this template and named with !Ref.', 'Add an AWS::S3::Bucket resource and write `Bucket: !Ref <its logical id>`.'));
    }
  }
  if (require('Events', 's3:ObjectCreated:*')) {
    const events = Array.isArray(properties.Events) ? properties.Events : [properties.Events];
    events.forEach((event, index) => {
      if (isIntrinsic(event) || (typeof event === 'string' && S3_EVENT.test(event))) return;
      const at = Array.isArray(properties.Events) ? [...path, 'Events', index] : [...path, 'Events'];
      problems.push(fieldProblem(at, `${JSON.stringify(event)} is not an S3 event type.`, 'Use s3:ObjectCreated:*, s3:ObjectRemoved:* or a specific one such as s3:ObjectCreated:Put.'));
    });
  }
}
