import type { EventSourceConfig, FunctionConfig, SourceLocation } from '../contract.ts';
import { referencedId } from './field-rules.ts';
import type { NodeKind } from './link-rules.ts';
import type { LoadedProject } from './load-project.ts';
import { getIn, isPlainObject } from './plain-edits.ts';
import { RESOURCE_KINDS } from './resource-blueprints.ts';
import { entryOf, toPlainValue, toTemplateNode } from './template-node.ts';

export interface GraphNode {
  /** A logical id, or `<function>.<event>` for a virtual node. */
  id: string;
  kind: NodeKind;
  label: string;
  /** The resource type, or `<EventType> event` for a virtual node. */
  resourceType: string;
  location: SourceLocation;
  /** Not a resource: an event of a function (a route, a schedule, a rule on the default bus, a source outside the template). */
  virtual: boolean;
  /** For virtual nodes, the event they stand for. */
  eventOf?: { functionId: string; eventName: string };
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  relation: 'trigger' | 'access';
  /** The function event a trigger edge stands for. */
  eventName?: string;
}

export interface ProjectGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The property of each event type that names its source, and the kind that source is drawn as. */
const EVENT_SOURCES: Readonly<Record<string, { key?: string; kind: NodeKind }>> = {
  HttpApi: { kind: 'http-route' },
  Api: { kind: 'http-route' },
  Schedule: { kind: 'schedule' },
  ScheduleV2: { kind: 'schedule' },
  SQS: { key: 'Queue', kind: 'queue' },
  S3: { key: 'Bucket', kind: 'bucket' },
  SNS: { key: 'Topic', kind: 'topic' },
  EventBridgeRule: { key: 'EventBusName', kind: 'event-rule' },
  CloudWatchEvent: { key: 'EventBusName', kind: 'event-rule' },
  DynamoDB: { key: 'Stream', kind: 'table' },
  Kinesis: { key: 'Stream', kind: 'stream' },
};

/**
 * The canvas' picture of a loaded project: functions and the resources they use as nodes,
 * triggers (function events, event source mappings, EventBridge rule targets) and access (SAM
 * policy templates and connectors naming a resource) as edges. Routes, schedules and sources
 * outside the template become virtual nodes of the event they belong to.
 */
export function projectGraph(loaded: LoadedProject): ProjectGraph {
  const root = toTemplateNode(loaded.document);
  const template = toPlainValue(root);
  const resourcesNode = entryOf(root, 'Resources');
  const resources = getIn(template, ['Resources']);
  const resourceMap = isPlainObject(resources) ? resources : {};
  const fallback: SourceLocation = { file: loaded.document.fileLabel, line: 1, column: 1 };
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const addEdge = (edge: GraphEdge): void => void edges.set(edge.id, edge);

  for (const fn of loaded.model.functions) {
    nodes.set(fn.logicalId, { id: fn.logicalId, kind: 'function', label: fn.logicalId, resourceType: 'AWS::Serverless::Function', location: fn.location, virtual: false });
  }
  for (const [id, resource] of Object.entries(resourceMap)) {
    const type = isPlainObject(resource) && typeof resource.Type === 'string' ? resource.Type : undefined;
    const kind = type ? RESOURCE_KINDS[type] : undefined;
    if (!type || !kind || kind === 'function') continue;
    nodes.set(id, { id, kind, label: id, resourceType: type, location: entryOf(resourcesNode, id)?.at ?? fallback, virtual: false });
  }
  const drawn = (id: string | undefined): id is string => id !== undefined && nodes.has(id);

  for (const fn of loaded.model.functions) {
    for (const event of fn.events) {
      const source = EVENT_SOURCES[event.type];
      if (!source) continue;
      const raw = getIn(resourceMap, [fn.logicalId, 'Properties', 'Events', event.name, 'Properties']);
      const sourceId = source.key ? referencedId(getIn(raw, [source.key])) : undefined;
      let from: string;
      if (drawn(sourceId) && nodes.get(sourceId)?.kind === source.kind) {
        from = sourceId;
      } else {
        from = `${fn.logicalId}.${event.name}`;
        nodes.set(from, virtualNode(from, fn, event, source.kind));
      }
      addEdge({ id: `${from}->${fn.logicalId}:${event.name}`, source: from, target: fn.logicalId, relation: 'trigger', eventName: event.name });
    }
    const properties = getIn(resourceMap, [fn.logicalId, 'Properties']);
    for (const policy of asList(getIn(properties, ['Policies']))) {
      for (const target of referencedIds(policy)) {
        if (drawn(target) && target !== fn.logicalId) addEdge(accessEdge(fn.logicalId, target));
      }
    }
    const embedded = getIn(resourceMap, [fn.logicalId, 'Connectors']);
    if (isPlainObject(embedded)) {
      for (const connector of Object.values(embedded)) {
        const target = referencedConnectorId(getIn(connector, ['Properties', 'Destination']));
        if (drawn(target)) addEdge(accessEdge(fn.logicalId, target));
      }
    }
  }

  for (const resource of Object.values(resourceMap)) {
    if (!isPlainObject(resource)) continue;
    const properties = resource.Properties;
    if (resource.Type === 'AWS::Serverless::Connector') {
      const from = referencedConnectorId(getIn(properties, ['Source']));
      const to = referencedConnectorId(getIn(properties, ['Destination']));
      if (drawn(from) && drawn(to) && nodes.get(from)?.kind === 'function' && nodes.get(to)?.kind !== 'function') addEdge(accessEdge(from, to));
    }
    if (resource.Type === 'AWS::Lambda::EventSourceMapping') {
      const fn = referencedId(getIn(properties, ['FunctionName']));
      const from = referencedId(getIn(properties, ['EventSourceArn']));
      if (drawn(fn) && drawn(from) && nodes.get(fn)?.kind === 'function') addEdge({ id: `${from}->${fn}:mapping`, source: from, target: fn, relation: 'trigger' });
    }
  }
  for (const [id, resource] of Object.entries(resourceMap)) {
    if (!isPlainObject(resource) || resource.Type !== 'AWS::Events::Rule') continue;
    for (const target of asList(getIn(resource, ['Properties', 'Targets']))) {
      const fn = referencedId(getIn(target, ['Arn']));
      if (drawn(fn) && nodes.get(fn)?.kind === 'function') addEdge({ id: `${id}->${fn}:target`, source: id, target: fn, relation: 'trigger' });
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

function virtualNode(id: string, fn: FunctionConfig, event: EventSourceConfig, kind: NodeKind): GraphNode {
  return { id, kind, label: virtualLabel(event), resourceType: `${event.type} event`, location: event.location, virtual: true, eventOf: { functionId: fn.logicalId, eventName: event.name } };
}

function virtualLabel(event: EventSourceConfig): string {
  const p = event.properties;
  switch (event.type) {
    case 'HttpApi':
    case 'Api':
      return p.Path === undefined && p.Method === undefined ? '$default' : `${String(p.Method ?? 'ANY').toUpperCase()} ${String(p.Path ?? '/')}`;
    case 'Schedule':
      return String(p.Schedule ?? event.name);
    case 'ScheduleV2':
      return String(p.ScheduleExpression ?? event.name);
    case 'EventBridgeRule':
    case 'CloudWatchEvent':
      return p.EventBusName === undefined ? 'Rule on the default bus' : `Rule on ${String(p.EventBusName)}`;
    default: {
      // A source outside the template, named by its ARN or name: its last part reads best.
      const value = p.Queue ?? p.Bucket ?? p.Topic ?? p.Stream;
      return typeof value === 'string' ? (value.split(/[:/]/).pop() ?? value) : event.name;
    }
  }
}

function accessEdge(functionId: string, target: string): GraphEdge {
  return { id: `${functionId}->${target}:access`, source: functionId, target, relation: 'access' };
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

/** Every logical id a `Ref` or `Fn::GetAtt` names inside a value (a policy template's parameters). */
function referencedIds(value: unknown, found = new Set<string>()): Set<string> {
  const id = referencedId(value);
  if (id) found.add(id);
  else if (Array.isArray(value)) for (const item of value) referencedIds(item, found);
  else if (isPlainObject(value)) for (const child of Object.values(value)) referencedIds(child, found);
  return found;
}

/** A connector's `Source`/`Destination`: `{ Id: X }` in this template. */
function referencedConnectorId(value: unknown): string | undefined {
  return isPlainObject(value) && typeof value.Id === 'string' ? value.Id : undefined;
}
