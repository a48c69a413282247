import type { AccessMode, NodeKind } from './link-rules.ts';
import { accessModesFor } from './link-rules.ts';
import { isPlainObject } from './plain-edits.ts';
import { RESOURCE_KINDS, screamingSnakeCase } from './resource-blueprints.ts';

/** What giving a function access to a resource adds: SAM policy templates and one environment variable. */
export interface AccessGrant {
  policies: Array<Record<string, unknown>>;
  variable: { name: string; value: unknown };
}

export type AccessPlan = { ok: true; grant: AccessGrant } | { ok: false; message: string; fix: string };

/**
 * The SAM policy templates (least privilege, scoped to the one resource) and the environment
 * variable through which the code finds the resource, for each kind the canvas links to.
 */
export function planAccess(target: { logicalId: string; type: string; properties: Record<string, unknown> }, access: AccessMode): AccessPlan {
  const kind = RESOURCE_KINDS[target.type];
  const id = target.logicalId;
  if (!kind || kind === 'function') {
    return { ok: false, message: `${id} is an ${target.type}; LambdaDesk grants access to queues, buckets, topics, event buses, tables and streams.`, fix: 'Link the function to one of those, or write the policy in the template.' };
  }
  const modes = accessModesFor(kind);
  if (!modes.includes(access)) {
    return {
      ok: false,
      message: `A function can only ${modes.join(' or ')} ${describe(kind)} ${id}, not ${access}.`,
      fix: kind === 'topic' ? `To receive its messages, link ${id} to the function instead (an SNS trigger).` : `Choose ${modes.map((mode) => `'${mode}'`).join(' or ')}.`,
    };
  }
  const ref = { Ref: id };
  const read = access !== 'write';
  const write = access !== 'read';
  const both = read && write;
  switch (kind) {
    case 'queue': {
      const name = { QueueName: { 'Fn::GetAtt': [id, 'QueueName'] } };
      return grant([...(read ? [{ SQSPollerPolicy: name }] : []), ...(write ? [{ SQSSendMessagePolicy: name }] : [])], variableName(id, 'QUEUE', 'URL'), ref);
    }
    case 'bucket': {
      // A fixed BucketName keeps the policy free of a Ref to the bucket, which would be a
      // circular dependency once the bucket also notifies the function.
      const bucketName = target.properties.BucketName ?? ref;
      const policy = both ? 'S3CrudPolicy' : read ? 'S3ReadPolicy' : 'S3WritePolicy';
      return grant([{ [policy]: { BucketName: bucketName } }], variableName(id, 'BUCKET', 'NAME'), bucketName);
    }
    case 'topic':
      return grant([{ SNSPublishMessagePolicy: { TopicName: { 'Fn::GetAtt': [id, 'TopicName'] } } }], variableName(id, 'TOPIC', 'ARN'), ref);
    case 'event-rule': {
      // A rule puts nothing; the function puts events on the bus the rule listens to.
      const busName = target.type === 'AWS::Events::Rule' ? (target.properties.EventBusName ?? 'default') : ref;
      return grant([{ EventBridgePutEventsPolicy: { EventBusName: busName } }], variableName(id, 'EVENT_BUS', 'NAME'), busName);
    }
    case 'table': {
      const policy = both ? 'DynamoDBCrudPolicy' : read ? 'DynamoDBReadPolicy' : 'DynamoDBWritePolicy';
      return grant([{ [policy]: { TableName: ref } }], variableName(id, 'TABLE', 'NAME'), ref);
    }
    case 'stream': {
      const policy = access === 'read' ? 'KinesisStreamReadPolicy' : 'KinesisCrudPolicy';
      return grant([{ [policy]: { StreamName: ref } }], variableName(id, 'STREAM', 'NAME'), ref);
    }
    default:
      return { ok: false, message: `${describe(kind)} cannot be accessed from a function.`, fix: 'Link it the other way round.' };
  }
}

function grant(policies: Array<Record<string, unknown>>, name: string, value: unknown): AccessPlan {
  return { ok: true, grant: { policies, variable: { name, value } } };
}

function describe(kind: NodeKind): string {
  return kind === 'event-rule' ? 'event bus' : kind;
}

/** `Orders` → `ORDERS_QUEUE_URL`, `OrdersQueue` → `ORDERS_QUEUE_URL`, `Queue` → `QUEUE_URL`. */
export function variableName(logicalId: string, noun: string, attribute: string): string {
  const snake = screamingSnakeCase(logicalId);
  const stem = snake === noun ? '' : snake.endsWith(`_${noun}`) ? snake.slice(0, -(noun.length + 1)) : snake;
  return [stem, noun, attribute].filter(Boolean).join('_');
}

/** An environment variable name not used yet: `NAME`, else `NAME_2`, `NAME_3`, … */
export function freeVariableName(name: string, variables: Record<string, unknown>): string {
  if (!Object.hasOwn(variables, name)) return name;
  for (let n = 2; ; n += 1) if (!Object.hasOwn(variables, `${name}_${n}`)) return `${name}_${n}`;
}

/** Policies as a list, whatever form the template used: absent, one managed policy name, one document, or a list. */
export function policiesAsList(policies: unknown): unknown[] | undefined {
  if (policies === undefined || policies === null) return [];
  if (Array.isArray(policies)) return policies;
  if (typeof policies === 'string') return [policies];
  if (isPlainObject(policies) && !Object.keys(policies).some((key) => key === 'Ref' || key.startsWith('Fn::'))) return [policies];
  return undefined;
}
