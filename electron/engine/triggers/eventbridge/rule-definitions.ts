import type { ProjectModel, SourceLocation } from '../../contract.ts';
import { LambdaDeskError, TemplateError } from '../../errors.ts';
import type { TemplateResources } from '../../project/template-resources.ts';
import { parseEventPattern, type EventPattern } from '../shared/event-pattern.ts';
import { checkTargetInput, type TargetInput } from './input-transform.ts';

export interface EventBus {
  name: string;
  arn: string;
  /** `default` always exists; `rule-reference`: a bus a rule names that the template does not define. */
  origin: 'default' | 'template' | 'rule-reference';
  location?: SourceLocation;
}

export interface RuleTarget extends TargetInput {
  id: string;
  arn: string;
}

export interface Rule {
  name: string;
  arn: string;
  busName: string;
  pattern: EventPattern;
  enabled: boolean;
  targets: RuleTarget[];
  /** `Resources.Fn.Properties.Events.Name` or `Resources.MyRule`. */
  declaredAt: string;
  location: SourceLocation;
}

interface Definitions {
  buses: EventBus[];
  rules: Rule[];
  problems: TemplateError[];
}

/** A rule property that cannot be used: the dotted field, the problem and the fix. */
export class RuleDefinitionError extends Error {
  constructor(
    readonly field: string,
    problem: string,
    readonly fix?: string,
  ) {
    super(problem);
  }
}

/** A bus named by name or by ARN (`!Ref Bus` gives the name, `!GetAtt Bus.Arn` the ARN). */
export function busNameOf(nameOrArn: string): string {
  const m = /^arn:aws[\w-]*:events:[a-z0-9-]+:\d{12}:event-bus\/(.+)$/.exec(nameOrArn);
  return m ? m[1]! : nameOrArn;
}

export function ruleArn(identity: { region: string; accountId: string }, busName: string, ruleName: string): string {
  return `arn:aws:events:${identity.region}:${identity.accountId}:rule/${busName === 'default' ? '' : `${busName}/`}${ruleName}`;
}

export function busArn(identity: { region: string; accountId: string }, busName: string): string {
  return `arn:aws:events:${identity.region}:${identity.accountId}:event-bus/${busName}`;
}

function readPattern(pattern: unknown, field: string): EventPattern {
  if (pattern === undefined) throw new RuleDefinitionError(field, 'A rule needs an event pattern.', 'Add a Pattern, e.g. source: [com.example.orders].');
  try {
    return parseEventPattern(pattern);
  } catch (err) {
    if (err instanceof LambdaDeskError) throw new RuleDefinitionError(field, `${err.message} (AWS: InvalidEventPatternException)`, err.fix);
    throw err;
  }
}

export function readRuleEnabled(p: Record<string, unknown>, field: string): boolean {
  if (p.Enabled !== undefined && p.State !== undefined) throw new RuleDefinitionError(`${field}.State`, 'Enabled and State cannot both be set.', 'Keep State: ENABLED | DISABLED.');
  if (p.Enabled !== undefined) return p.Enabled === true || p.Enabled === 'true';
  if (p.State === undefined) return true;
  if (typeof p.State !== 'string' || !['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'].includes(p.State)) {
    throw new RuleDefinitionError(`${field}.State`, `State must be ENABLED or DISABLED, not ${JSON.stringify(p.State)}.`, 'Write State: ENABLED or State: DISABLED.');
  }
  return p.State !== 'DISABLED';
}

function readTargetInput(p: Record<string, unknown>, field: string): TargetInput {
  const input: TargetInput = {};
  if (p.Input !== undefined) {
    if (typeof p.Input !== 'string') throw new RuleDefinitionError(`${field}.Input`, 'Input must be a string of JSON text.', `Quote it: Input: '${JSON.stringify(p.Input)}'.`);
    input.input = p.Input;
  }
  if (p.InputPath !== undefined) {
    if (typeof p.InputPath !== 'string') throw new RuleDefinitionError(`${field}.InputPath`, 'InputPath must be a JSONPath string such as $.detail.');
    input.inputPath = p.InputPath;
  }
  if (p.InputTransformer !== undefined) {
    const t = p.InputTransformer as Record<string, unknown> | null;
    const map = t?.InputPathsMap ?? {};
    if (typeof t !== 'object' || t === null || typeof t.InputTemplate !== 'string' || typeof map !== 'object' || map === null || Object.values(map).some((v) => typeof v !== 'string')) {
      throw new RuleDefinitionError(`${field}.InputTransformer`, 'InputTransformer needs InputTemplate (a string) and InputPathsMap (names to JSONPaths).', 'Write InputPathsMap: {id: $.detail.id} and InputTemplate: \'{"order": <id>}\'.');
    }
    input.inputTransformer = { inputPathsMap: map as Record<string, string>, inputTemplate: t.InputTemplate };
  }
  try {
    checkTargetInput(input);
  } catch (err) {
    if (err instanceof LambdaDeskError) throw new RuleDefinitionError(field, err.message, err.fix);
    throw err;
  }
  return input;
}

/** An AWS::Events::Rule's `Targets`: each needs an Id and an ARN; input settings are checked. */
export function readRuleTargets(targets: unknown, field: string): RuleTarget[] {
  return (Array.isArray(targets) ? targets : []).map((t: unknown, i: number): RuleTarget => {
    const target = (t ?? {}) as Record<string, unknown>;
    const tField = `${field}.Targets[${i}]`;
    if (typeof target.Arn !== 'string' || !target.Arn.startsWith('arn:')) throw new RuleDefinitionError(`${tField}.Arn`, `Arn must be the target's ARN, not ${JSON.stringify(target.Arn)}.`, 'Write Arn: !GetAtt MyFunction.Arn.');
    if (typeof target.Id !== 'string' || !target.Id) throw new RuleDefinitionError(`${tField}.Id`, 'Each target needs an Id.', 'Add Id: a name unique within the rule.');
    return { id: target.Id, arn: target.Arn, ...readTargetInput(target, tField) };
  });
}

/**
 * The template's buses and event rules: `AWS::Events::EventBus`, `AWS::Events::Rule` with an
 * EventPattern (schedule-only rules belong to the schedule service), and the functions'
 * `EventBridgeRule` and `CloudWatchEvent` events. Mistakes are TemplateErrors; such a rule is
 * left out.
 */
export function readEventBridgeDefinitions(model: ProjectModel, template: TemplateResources): Definitions {
  const { stack } = template;
  const out: Definitions = { buses: [{ name: 'default', arn: busArn(stack, 'default'), origin: 'default' }], rules: [], problems: [] };
  const fail = (at: SourceLocation, err: RuleDefinitionError) => out.problems.push(new TemplateError({ ...at, field: err.field }, err.message, err.fix));
  const addBus = (name: string, origin: EventBus['origin'], location?: SourceLocation) => {
    if (!out.buses.some((b) => b.name === name)) out.buses.push({ name, arn: busArn(stack, name), origin, location });
  };
  for (const r of template.ofType('AWS::Events::EventBus')) addBus(r.ref, 'template', r.location);

  for (const r of template.ofType('AWS::Events::Rule')) {
    const field = `Resources.${r.logicalId}.Properties`;
    const p = r.properties;
    if (p.EventPattern === undefined && p.ScheduleExpression !== undefined) continue;
    try {
      const busName = typeof p.EventBusName === 'string' ? busNameOf(p.EventBusName) : 'default';
      const pattern = readPattern(p.EventPattern, `${field}.EventPattern`);
      const targets = readRuleTargets(p.Targets, field);
      const name = typeof p.Name === 'string' ? p.Name : r.ref;
      addBus(busName, 'rule-reference', r.location);
      out.rules.push({ name, arn: ruleArn(stack, busName, name), busName, pattern, enabled: readRuleEnabled(p, field), targets, declaredAt: `Resources.${r.logicalId}`, location: r.location });
    } catch (err) {
      if (err instanceof RuleDefinitionError) fail(r.location, err);
      else throw err;
    }
  }

  for (const fn of model.functions) {
    for (const event of fn.events.filter((e) => e.type === 'EventBridgeRule' || e.type === 'CloudWatchEvent')) {
      const field = `Resources.${fn.logicalId}.Properties.Events.${event.name}.Properties`;
      const p = event.properties;
      try {
        const busName = typeof p.EventBusName === 'string' ? busNameOf(p.EventBusName) : 'default';
        const pattern = readPattern(p.Pattern, `${field}.Pattern`);
        const name = typeof p.RuleName === 'string' ? p.RuleName : `${stack.stackName}-${fn.logicalId}${event.name}`;
        const targetId = typeof (p.Target as Record<string, unknown> | undefined)?.Id === 'string' ? ((p.Target as Record<string, unknown>).Id as string) : `${fn.logicalId}${event.name}LambdaTarget`;
        const functionArn = `arn:${stack.partition}:lambda:${stack.region}:${stack.accountId}:function:${fn.functionName}`;
        addBus(busName, 'rule-reference', event.location);
        out.rules.push({
          name,
          arn: ruleArn(stack, busName, name),
          busName,
          pattern,
          enabled: readRuleEnabled(p, field),
          targets: [{ id: targetId, arn: functionArn, ...readTargetInput(p, field) }],
          declaredAt: `Resources.${fn.logicalId}.Properties.Events.${event.name}`,
          location: event.location,
        });
      } catch (err) {
        if (err instanceof RuleDefinitionError) fail(event.location, err);
        else throw err;
      }
    }
  }
  return out;
}
