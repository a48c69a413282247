import { KIND_RESOURCE_TYPES, NEW_FUNCTION_DEFAULTS, blueprintProperties, kebabCase } from './resource-blueprints.ts';

/**
 * What the canvas draws. `http-route` and `schedule` are *virtual*: in SAM they exist only as an
 * `HttpApi` or `Schedule` event of a function, so a dropped route or schedule adds nothing to the
 * template until it is linked to a function; the link adds the event with the node's properties.
 * `event-rule` is an EventBridge bus (`AWS::Events::EventBus`; `AWS::Events::Rule` resources are
 * drawn as one too): linking it to a function adds an `EventBridgeRule` event on that bus, and a
 * function linked to it may put events on it. SAM's `EventBridgeRule` events on the default bus
 * are virtual `event-rule` nodes.
 */
export type NodeKind = 'http-route' | 'schedule' | 'queue' | 'bucket' | 'topic' | 'event-rule' | 'function' | 'table' | 'stream';

export type AccessMode = 'read' | 'write' | 'read-write';

export type LinkVerdict = { ok: true; relation: 'trigger' | 'access'; eventType?: string } | { ok: false; reason: string };

/** The SAM event type each source uses to trigger a function. */
export const TRIGGER_EVENT_TYPES: Readonly<Record<Exclude<NodeKind, 'function'>, string>> = {
  'http-route': 'HttpApi',
  schedule: 'Schedule',
  queue: 'SQS',
  bucket: 'S3',
  topic: 'SNS',
  'event-rule': 'EventBridgeRule',
  table: 'DynamoDB',
  stream: 'Kinesis',
};

/**
 * The access a function may be given to each kind, the usual one first (a link drawn from a
 * function to a queue means it sends; to a table, that it reads and writes). A topic and a bus
 * only take messages in; what they send out reaches a function as a trigger.
 */
const ACCESS_MODES: Readonly<Partial<Record<NodeKind, readonly AccessMode[]>>> = {
  queue: ['write', 'read', 'read-write'],
  bucket: ['read-write', 'read', 'write'],
  topic: ['write'],
  'event-rule': ['write'],
  table: ['read-write', 'read', 'write'],
  stream: ['write', 'read', 'read-write'],
};

const NAMES: Readonly<Record<NodeKind, string>> = {
  'http-route': 'An HTTP route',
  schedule: 'A schedule',
  queue: 'A queue',
  bucket: 'A bucket',
  topic: 'A topic',
  'event-rule': 'An event bus',
  function: 'A function',
  table: 'A table',
  stream: 'A stream',
};

/** The access modes a link from a function to `kind` may have; the first is the default. */
export function accessModesFor(kind: NodeKind): readonly AccessMode[] {
  return ACCESS_MODES[kind] ?? [];
}

/**
 * Whether the canvas may draw a link from `source` to `target`: anything that emits events
 * triggers a function; a function gets access to the stores and channels it uses.
 */
export function canLink(source: NodeKind, target: NodeKind): LinkVerdict {
  if (target === 'function') {
    if (source === 'function') {
      return { ok: false, reason: 'A function cannot trigger another function directly. Put a queue, topic or event bus between them, or invoke it from code.' };
    }
    return { ok: true, relation: 'trigger', eventType: TRIGGER_EVENT_TYPES[source] };
  }
  if (source === 'function') {
    if (accessModesFor(target).length > 0) return { ok: true, relation: 'access' };
    return { ok: false, reason: `${NAMES[target]} triggers a function; draw the link from the ${target === 'http-route' ? 'route' : 'schedule'} to the function.` };
  }
  if (source === 'http-route' || source === 'schedule') return { ok: false, reason: `${NAMES[source]} can only trigger a function.` };
  return { ok: false, reason: `${NAMES[source]} can only be linked to a function: it triggers one, or a function is given access to it.` };
}

/**
 * The event a link from `source` to a function adds, in SAM's terms. `sourceLogicalId` is the
 * source resource; for virtual nodes (routes, schedules, the default event bus) it only names
 * the defaults (`http-route` → `/<id>`, `event-rule` `default` → a rule on the default bus).
 */
export function defaultEventFor(source: NodeKind, sourceLogicalId: string): { eventType: string; properties: Record<string, unknown> } {
  const ref = { Ref: sourceLogicalId };
  const arn = { 'Fn::GetAtt': [sourceLogicalId, 'Arn'] };
  switch (source) {
    case 'http-route':
      return { eventType: 'HttpApi', properties: { Path: `/${kebabCase(sourceLogicalId)}`, Method: 'GET' } };
    case 'schedule':
      return { eventType: 'Schedule', properties: { Schedule: 'rate(5 minutes)' } };
    case 'queue':
      return { eventType: 'SQS', properties: { Queue: arn, BatchSize: 10 } };
    case 'bucket':
      return { eventType: 'S3', properties: { Bucket: ref, Events: 's3:ObjectCreated:*' } };
    case 'topic':
      return { eventType: 'SNS', properties: { Topic: ref } };
    case 'event-rule':
      return {
        eventType: 'EventBridgeRule',
        properties: {
          ...(sourceLogicalId === 'default' ? {} : { EventBusName: ref }),
          Pattern: { source: [`app.${kebabCase(sourceLogicalId)}`] },
        },
      };
    case 'table':
      return { eventType: 'DynamoDB', properties: { Stream: { 'Fn::GetAtt': [sourceLogicalId, 'StreamArn'] }, StartingPosition: 'LATEST', BatchSize: 100 } };
    case 'stream':
      return { eventType: 'Kinesis', properties: { Stream: arn, StartingPosition: 'LATEST', BatchSize: 100 } };
    case 'function':
      throw new Error('A function does not trigger another function; canLink says why.');
  }
}

export interface PaletteEntry {
  kind: NodeKind;
  label: string;
  /** The resource a drop adds; absent for virtual nodes, which are added as events when linked. */
  resourceType?: string;
  /**
   * Resource properties a drop adds (the editor also fills in what depends on the logical id: a
   * function's `CodeUri: src/<name>/`, a bus's `Name`), or for virtual nodes the event properties.
   */
  defaults: Record<string, unknown>;
  /** Dropping it adds nothing to the template until it is linked to a function. */
  virtual: boolean;
  /** The SAM event type a link from this node to a function adds. */
  eventType?: string;
}

function resourceEntry(kind: NodeKind, label: string): PaletteEntry {
  const resourceType = KIND_RESOURCE_TYPES[kind] as string;
  const defaults = kind === 'function' ? { ...NEW_FUNCTION_DEFAULTS } : blueprintProperties(resourceType, '');
  // The bus name is made from the logical id when the resource is added.
  if (kind === 'event-rule') delete defaults.Name;
  return { kind, label, resourceType, defaults, virtual: false, ...(kind === 'function' ? {} : { eventType: TRIGGER_EVENT_TYPES[kind as Exclude<NodeKind, 'function'>] }) };
}

/** What the palette offers, in display order. */
export const PALETTE: PaletteEntry[] = [
  resourceEntry('function', 'Function'),
  { kind: 'http-route', label: 'HTTP route', defaults: { Path: '/items', Method: 'GET' }, virtual: true, eventType: 'HttpApi' },
  { kind: 'schedule', label: 'Schedule', defaults: { Schedule: 'rate(5 minutes)' }, virtual: true, eventType: 'Schedule' },
  resourceEntry('queue', 'SQS queue'),
  resourceEntry('bucket', 'S3 bucket'),
  resourceEntry('topic', 'SNS topic'),
  resourceEntry('event-rule', 'EventBridge bus'),
  resourceEntry('table', 'DynamoDB table'),
  resourceEntry('stream', 'Kinesis stream'),
];
