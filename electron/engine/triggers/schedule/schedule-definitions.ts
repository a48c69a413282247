import type { EventSourceConfig, FunctionConfig, ProjectModel, SourceLocation } from '../../contract.ts';
import { TemplateError } from '../../errors.ts';
import { nextRun, parseScheduleExpression, ScheduleExpressionError, type ScheduleExpression } from '../../expressions/schedule-expression.ts';
import { isTimeZone } from '../../expressions/zoned-time.ts';
import { stackNameFromFolder } from '../../project/load-project.ts';
import type { TemplateResourceView } from '../../project/template-resources.ts';
import { readRuleEnabled, readRuleTargets, RuleDefinitionError, type RuleTarget } from '../eventbridge/rule-definitions.ts';

export type ScheduleKind = 'Schedule' | 'ScheduleV2';

/** One `Schedule` or `ScheduleV2` event of a function, read and checked. */
export interface ScheduleDefinition {
  /** `<FunctionLogicalId>.<EventName>`: stable across reloads. */
  id: string;
  kind: ScheduleKind;
  functionName: string;
  logicalId: string;
  eventName: string;
  expressionText: string;
  /** Undefined when the template's expression is not valid (see `error`). */
  expression?: ScheduleExpression;
  timeZone: string;
  enabled: boolean;
  /** `Input`, verbatim: when set, it is the whole payload. */
  input?: string;
  /** The EventBridge rule name (Schedule) or the Scheduler schedule name (ScheduleV2). */
  name: string;
  /** Rule or schedule ARN: what the event's `resources` names. */
  arn: string;
  /** ScheduleV2 `StartDate` / `EndDate`, epoch ms. */
  startMs?: number;
  endMs?: number;
  /** Why the schedule cannot run, with the template position and the fix. */
  error?: TemplateError;
  /** For an AWS::Events::Rule with a ScheduleExpression: the one target this schedule delivers to. */
  target?: RuleTarget;
  location: SourceLocation;
}

const SCHEDULE_STATES = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'];

class Invalid extends Error {
  constructor(
    readonly property: string,
    problem: string,
    readonly fix: string,
  ) {
    super(problem);
  }
}

/** Every schedule the template declares; an invalid one is kept with its error so faces can show it. */
export function readScheduleDefinitions(model: ProjectModel, identity: { region: string; accountId: string }): ScheduleDefinition[] {
  const out: ScheduleDefinition[] = [];
  const stack = stackNameFromFolder(model.dir);
  for (const fn of model.functions) {
    for (const event of fn.events) {
      if (event.type !== 'Schedule' && event.type !== 'ScheduleV2') continue;
      out.push(readOne(fn, event, event.type, stack, identity));
    }
  }
  return out;
}

function readOne(fn: FunctionConfig, event: EventSourceConfig, kind: ScheduleKind, stack: string, identity: { region: string; accountId: string }): ScheduleDefinition {
  const p = event.properties;
  const field = (property: string) => `Resources.${fn.logicalId}.Properties.Events.${event.name}.Properties.${property}`;
  const expressionProperty = kind === 'Schedule' ? 'Schedule' : 'ScheduleExpression';
  const expressionText = typeof p[expressionProperty] === 'string' ? (p[expressionProperty] as string) : '';
  const samLogicalId = `${fn.logicalId}${event.name}`;
  const explicitName = typeof p.Name === 'string' ? p.Name : undefined;
  const group = typeof p.GroupName === 'string' ? p.GroupName : 'default';
  // SAM names a ScheduleV2 after its logical id unless OmitName; a Schedule rule gets CloudFormation's generated name.
  const name = explicitName ?? (kind === 'ScheduleV2' && p.OmitName !== true ? samLogicalId : `${stack}-${samLogicalId}`);
  const arn =
    kind === 'Schedule'
      ? `arn:aws:events:${identity.region}:${identity.accountId}:rule/${name}`
      : `arn:aws:scheduler:${identity.region}:${identity.accountId}:schedule/${group}/${name}`;
  const definition: ScheduleDefinition = {
    id: `${fn.logicalId}.${event.name}`,
    kind,
    functionName: fn.functionName,
    logicalId: fn.logicalId,
    eventName: event.name,
    expressionText,
    timeZone: 'UTC',
    enabled: true,
    name,
    arn,
    location: event.location,
  };
  try {
    if (!expressionText) {
      throw new Invalid(expressionProperty, `${kind} needs ${expressionProperty} (a string).`, `Add ${expressionProperty}: rate(5 minutes) or cron(0 12 * * ? *).`);
    }
    try {
      definition.expression = parseScheduleExpression(expressionText, { allowAt: kind === 'ScheduleV2' });
    } catch (err) {
      if (err instanceof ScheduleExpressionError) throw new Invalid(expressionProperty, `${err.message}. AWS would reject it (Parameter ScheduleExpression is not valid).`, err.fix);
      throw err;
    }
    definition.enabled = readEnabled(kind, p);
    definition.input = readInput(p);
    if (kind === 'ScheduleV2') readSchedulerWindow(p, definition);
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    definition.error = new TemplateError({ ...event.location, field: field(err.property) }, err.message, err.fix);
  }
  return definition;
}

function readEnabled(kind: ScheduleKind, p: Record<string, unknown>): boolean {
  const hasEnabled = p.Enabled !== undefined;
  const hasState = p.State !== undefined;
  if (kind === 'Schedule' && hasEnabled && hasState) {
    throw new Invalid('State', 'Enabled and State cannot both be set (SAM rejects the template).', 'Keep one: State: ENABLED | DISABLED, or Enabled: true | false.');
  }
  if (hasEnabled) {
    if (kind === 'ScheduleV2') throw new Invalid('Enabled', 'ScheduleV2 has no Enabled property.', 'Use State: ENABLED or State: DISABLED.');
    if (typeof p.Enabled !== 'boolean' && p.Enabled !== 'true' && p.Enabled !== 'false') throw new Invalid('Enabled', `Enabled must be true or false, not ${JSON.stringify(p.Enabled)}.`, 'Write Enabled: true or Enabled: false.');
    return p.Enabled === true || p.Enabled === 'true';
  }
  if (hasState) {
    const allowed = kind === 'Schedule' ? SCHEDULE_STATES : ['ENABLED', 'DISABLED'];
    if (typeof p.State !== 'string' || !allowed.includes(p.State)) {
      throw new Invalid('State', `State must be ${allowed.join(', ')}, not ${JSON.stringify(p.State)}.`, `Write State: ENABLED or State: DISABLED.`);
    }
    return p.State !== 'DISABLED';
  }
  return true;
}

function readInput(p: Record<string, unknown>): string | undefined {
  if (p.Input === undefined) return undefined;
  if (typeof p.Input !== 'string') throw new Invalid('Input', 'Input must be a string of JSON text.', `Quote it: Input: '${JSON.stringify(p.Input)}'.`);
  try {
    JSON.parse(p.Input);
  } catch (err) {
    throw new Invalid('Input', `Input is not valid JSON (${(err as Error).message}); AWS rejects it for a Lambda target.`, `Write JSON text, e.g. Input: '{"job": "nightly"}'.`);
  }
  return p.Input;
}

function readSchedulerWindow(p: Record<string, unknown>, definition: ScheduleDefinition): void {
  if (p.ScheduleExpressionTimezone !== undefined) {
    const zone = p.ScheduleExpressionTimezone;
    if (typeof zone !== 'string' || !isTimeZone(zone)) {
      throw new Invalid('ScheduleExpressionTimezone', `${JSON.stringify(zone)} is not an IANA time zone name.`, 'Use a name such as UTC, Europe/Berlin or America/New_York.');
    }
    definition.timeZone = zone;
  }
  for (const [property, key] of [['StartDate', 'startMs'], ['EndDate', 'endMs']] as const) {
    const value = p[property];
    if (value === undefined) continue;
    const ms = typeof value === 'string' ? Date.parse(value) : NaN;
    if (Number.isNaN(ms)) throw new Invalid(property, `${property} must be an ISO 8601 date and time, not ${JSON.stringify(value)}.`, `Write e.g. ${property}: '2030-01-01T00:00:00Z'.`);
    definition[key] = ms;
  }
  if (definition.startMs !== undefined && definition.endMs !== undefined && definition.endMs <= definition.startMs) {
    throw new Invalid('EndDate', 'EndDate must be after StartDate.', 'Move EndDate after StartDate, or remove one of them.');
  }
}

/**
 * A schedule's first run after `afterMs`, within its StartDate and EndDate. Rates count from
 * StartDate, or else from `createdMs` (when the schedule came to be).
 */
export function definitionRunAfter(d: ScheduleDefinition, afterMs: number, createdMs: number): number | undefined {
  if (!d.expression || d.error) return undefined;
  const after = d.startMs !== undefined && afterMs < d.startMs ? d.startMs - 1 : afterMs;
  const at = nextRun(d.expression, after, d.startMs ?? createdMs, d.timeZone);
  return at === undefined || (d.endMs !== undefined && at > d.endMs) ? undefined : at;
}

/** The next `count` runs after `afterMs` (fewer if the schedule ends). */
export function definitionRuns(d: ScheduleDefinition, count: number, afterMs: number, createdMs: number): number[] {
  const runs: number[] = [];
  for (let at = definitionRunAfter(d, afterMs, createdMs); at !== undefined && runs.length < count; at = definitionRunAfter(d, at, createdMs)) runs.push(at);
  return runs;
}

/**
 * `AWS::Events::Rule` resources with a ScheduleExpression: one schedule per target, so each can
 * be listed and fired on its own (`fire(RuleLogicalId, TargetId)`). Rules with an EventPattern
 * only are the EventBridge service's.
 */
export function readRuleSchedules(resources: TemplateResourceView[], identity: { region: string; accountId: string }): ScheduleDefinition[] {
  const out: ScheduleDefinition[] = [];
  for (const r of resources) {
    const p = r.properties;
    if (r.type !== 'AWS::Events::Rule' || p.ScheduleExpression === undefined) continue;
    const field = `Resources.${r.logicalId}.Properties`;
    const name = typeof p.Name === 'string' ? p.Name : r.ref;
    const base = {
      kind: 'Schedule' as const,
      logicalId: r.logicalId,
      expressionText: typeof p.ScheduleExpression === 'string' ? p.ScheduleExpression : '',
      timeZone: 'UTC',
      enabled: true,
      name,
      arn: `arn:aws:events:${identity.region}:${identity.accountId}:rule/${name}`,
      location: r.location,
    };
    const invalid = (err: { message: string; fix?: string }, at: string): ScheduleDefinition => ({
      ...base,
      id: r.logicalId,
      functionName: '',
      eventName: '',
      error: new TemplateError({ ...r.location, field: at }, err.message, err.fix),
    });
    try {
      const expression = parseScheduleExpression(base.expressionText);
      const enabled = readRuleEnabled(p, field);
      for (const target of readRuleTargets(p.Targets, field)) {
        const fn = /^arn:aws[\w-]*:lambda:[^:]+:\d{12}:function:([^:]+)/.exec(target.arn)?.[1];
        out.push({ ...base, id: `${r.logicalId}.${target.id}`, functionName: fn ?? target.arn, eventName: target.id, expression, enabled, target });
      }
    } catch (err) {
      if (err instanceof ScheduleExpressionError) out.push(invalid({ message: `${err.message}. AWS would reject it (Parameter ScheduleExpression is not valid).`, fix: err.fix }, `${field}.ScheduleExpression`));
      else if (err instanceof RuleDefinitionError) out.push(invalid(err, err.field));
      else throw err;
    }
  }
  return out;
}
