import { createHash } from 'node:crypto';
import type { ProjectModel, ProjectWarning, SourceLocation } from '../../contract.ts';
import type { TemplateResourceView } from '../../project/template-resources.ts';

/** Where one notification configuration sends events: a function (async invoke) or a queue/topic ARN. */
export type NotificationTarget = { kind: 'function'; functionName: string } | { kind: 'arn'; arn: string };

export interface NotificationRule {
  configurationId: string;
  bucket: string;
  /** `s3:ObjectCreated:*`, `s3:ObjectRemoved:Delete`, … */
  events: string[];
  prefix?: string;
  suffix?: string;
  target: NotificationTarget;
}

const EVENT_TYPES = new Set([
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
  's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*',
  's3:ObjectRestore:Post',
  's3:ObjectRestore:Completed',
  's3:ObjectRestore:Delete',
  's3:ReducedRedundancyLostObject',
  's3:Replication:*',
  's3:Replication:OperationFailedReplication',
  's3:Replication:OperationMissedThreshold',
  's3:Replication:OperationReplicatedAfterThreshold',
  's3:Replication:OperationNotTracked',
  's3:LifecycleExpiration:*',
  's3:LifecycleExpiration:Delete',
  's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:LifecycleTransition',
  's3:IntelligentTiering',
  's3:ObjectTagging:*',
  's3:ObjectTagging:Put',
  's3:ObjectTagging:Delete',
  's3:ObjectAcl:Put',
]);

/** Whether a rule wants this event (`ObjectCreated:Put`) for this (decoded) key. */
export function ruleMatches(rule: NotificationRule, eventName: string, key: string): boolean {
  const full = `s3:${eventName}`;
  const wanted = rule.events.some((e) => e === full || (e.endsWith(':*') && full.startsWith(e.slice(0, -1))));
  return wanted && (rule.prefix === undefined || key.startsWith(rule.prefix)) && (rule.suffix === undefined || key.endsWith(rule.suffix));
}

/** CloudFormation names a configuration with an opaque id; this one is stable across reloads. */
function configurationId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('/')).digest('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  return Buffer.from(uuid).toString('base64').replace(/=+$/, '');
}

/**
 * The bucket notifications of the project: each function's `S3` events (SAM), and the
 * `NotificationConfiguration` of AWS::S3::Bucket resources (Lambda, queue and topic
 * configurations). What cannot be used is a warning naming the property and the fix.
 */
export function readNotificationRules(model: ProjectModel, buckets: TemplateResourceView[]): { rules: NotificationRule[]; warnings: ProjectWarning[] } {
  const rules: NotificationRule[] = [];
  const warnings: ProjectWarning[] = [];
  const declared = new Set(buckets.map((b) => b.ref));

  for (const fn of model.functions) {
    for (const event of fn.events.filter((e) => e.type === 'S3')) {
      const field = `Resources.${fn.logicalId}.Properties.Events.${event.name}.Properties`;
      const warn = (name: string, message: string): void => void warnings.push({ at: event.location, field: `${field}.${name}`, message });
      const bucket = event.properties.Bucket;
      if (typeof bucket !== 'string' || bucket.startsWith('<unresolved')) {
        warn('Bucket', `Bucket must name an AWS::S3::Bucket of this template (Bucket: !Ref MyBucket), not ${JSON.stringify(bucket)}. The event is not raised until it does.`);
        continue;
      }
      if (!declared.has(bucket)) warn('Bucket', `Bucket "${bucket}" is not an AWS::S3::Bucket of this template: SAM requires a !Ref to one. LambdaDesk still raises the event for a bucket of that name.`);
      const events = readEvents(event.properties.Events, (message) => warn('Events', message));
      const filter = readFilter(event.properties.Filter, (message) => warn('Filter', message));
      if (!events || !filter) continue;
      rules.push({ configurationId: configurationId(fn.logicalId, event.name), bucket, events, ...filter, target: { kind: 'function', functionName: fn.functionName } });
    }
  }

  for (const resource of buckets) {
    const config = resource.properties.NotificationConfiguration as Record<string, unknown> | undefined;
    if (!config || typeof config !== 'object') continue;
    const kinds = [
      ['LambdaConfigurations', 'Function'],
      ['QueueConfigurations', 'Queue'],
      ['TopicConfigurations', 'Topic'],
    ] as const;
    for (const [list, targetKey] of kinds) {
      const entries = config[list];
      if (entries === undefined) continue;
      if (!Array.isArray(entries)) {
        warnings.push(at(resource.location, `Resources.${resource.logicalId}.Properties.NotificationConfiguration.${list}`, `${list} must be a list.`));
        continue;
      }
      for (const [index, entry] of (entries as Array<Record<string, unknown>>).entries()) {
        const field = `Resources.${resource.logicalId}.Properties.NotificationConfiguration.${list}[${index}]`;
        const warn = (message: string): void => void warnings.push(at(resource.location, field, message));
        const arn = entry?.[targetKey];
        if (typeof arn !== 'string' || !arn.startsWith('arn:')) {
          warn(`${targetKey} must be an ARN (e.g. !GetAtt MyFunction.Arn), not ${JSON.stringify(arn)}.`);
          continue;
        }
        const events = readEvents(entry.Event, warn);
        const filter = readFilter(entry.Filter, warn);
        if (!events || !filter) continue;
        const target: NotificationTarget | undefined = targetKey === 'Function' ? functionTarget(model, arn) : { kind: 'arn', arn };
        if (!target) {
          warn(`No function of this project has the ARN ${arn}.`);
          continue;
        }
        const id = typeof entry.Id === 'string' ? entry.Id : configurationId(resource.logicalId, list, String(index));
        rules.push({ configurationId: id, bucket: resource.ref, events, ...filter, target });
      }
    }
  }
  return { rules, warnings };
}

function at(location: SourceLocation, field: string, message: string): ProjectWarning {
  return { at: location, field, message };
}

function functionTarget(model: ProjectModel, arn: string): NotificationTarget | undefined {
  const name = arn.split(':')[6];
  const fn = model.functions.find((f) => f.functionName === name || f.logicalId === name);
  return fn ? { kind: 'function', functionName: fn.functionName } : undefined;
}

function readEvents(value: unknown, warn: (message: string) => void): string[] | undefined {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (!list || list.length === 0 || list.some((e) => typeof e !== 'string')) {
    warn(`Events must be an S3 event type or a list of them (e.g. s3:ObjectCreated:*), not ${JSON.stringify(value)}.`);
    return undefined;
  }
  const unknown = (list as string[]).filter((e) => !EVENT_TYPES.has(e));
  if (unknown.length) {
    warn(`${unknown.join(', ')} is not an S3 event type. Use one of s3:ObjectCreated:* (or :Put, :Post, :Copy, :CompleteMultipartUpload), s3:ObjectRemoved:* (or :Delete, :DeleteMarkerCreated), …`);
    return undefined;
  }
  return list as string[];
}

function readFilter(value: unknown, warn: (message: string) => void): { prefix?: string; suffix?: string } | undefined {
  if (value === undefined || value === null) return {};
  const rules = (value as { S3Key?: { Rules?: unknown } })?.S3Key?.Rules;
  if (!Array.isArray(rules)) {
    warn('Filter must be { S3Key: { Rules: [{ Name: prefix|suffix, Value: … }] } }.');
    return undefined;
  }
  const out: { prefix?: string; suffix?: string } = {};
  for (const rule of rules as Array<{ Name?: unknown; Value?: unknown }>) {
    const name = typeof rule?.Name === 'string' ? rule.Name.toLowerCase() : '';
    if ((name !== 'prefix' && name !== 'suffix') || typeof rule.Value !== 'string') {
      warn(`A filter rule must have Name prefix or suffix and a text Value, not ${JSON.stringify(rule)}.`);
      return undefined;
    }
    if (out[name] !== undefined) {
      warn(`The filter has two ${name} rules; S3 allows one prefix and one suffix.`);
      return undefined;
    }
    out[name] = rule.Value;
  }
  return out;
}
