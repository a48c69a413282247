import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { ProjectModel } from '../../contract.ts';
import type { EngineContext, EngineService } from '../../engine-context.ts';
import { readTemplateResources } from '../../project/template-resources.ts';
import { matchesEventPattern, parseEventPattern } from '../shared/event-pattern.ts';
import { EventsResourceNotFoundError, EventsValidationError } from './eventbridge-errors.ts';
import { createEventsApi } from './events-api.ts';
import { targetPayload } from './input-transform.ts';
import { buildEvent, checkEntries, type EventEnvelope, type PutEventsEntry } from './put-events.ts';
import { busNameOf, readEventBridgeDefinitions, type EventBus, type Rule } from './rule-definitions.ts';

export interface PutEventsResult {
  FailedEntryCount: number;
  Entries: Array<{ EventId: string } | { ErrorCode: string; ErrorMessage: string }>;
}

export interface TargetDelivery {
  ruleName: string;
  targetId: string;
  targetArn: string;
  outcome: 'queued' | 'failed';
  error?: string;
  /** The async invoke's request id, for function targets. */
  requestId?: string;
}

export interface EventRouted {
  eventId: string;
  busName: string;
  event: EventEnvelope;
  deliveries: TargetDelivery[];
}

/** What the UI and CLI pass to put one event. */
export interface PutEventInput {
  source: string;
  detailType: string;
  /** A JSON object, or its text. */
  detail: unknown;
  busName?: string;
  resources?: string[];
  /** Epoch ms; default now. */
  time?: number;
}

/**
 * EventBridge: the default bus and the template's buses, the rules of `AWS::Events::Rule` and
 * of `EventBridgeRule`/`CloudWatchEvent` events, PutEvents (JSON protocol on the AWS endpoint,
 * the CLI and the SDK alike), and delivery of each matched event to each target: functions as
 * asynchronous invokes, anything else through the engine's ARN targets.
 */
export class EventBridgeService implements EngineService {
  readonly name = 'eventbridge';
  readonly events = new EventEmitter<{ 'events:routed': [EventRouted] }>();
  private buses_: EventBus[] = [];
  private rules_: Rule[] = [];
  private templateProblems: Array<{ message: string; fix?: string }> = [];

  constructor(private readonly ctx: EngineContext) {
    ctx.endpoint.register('events', createEventsApi(this));
    // Lambda destinations and other services send to buses by ARN.
    ctx.arnTargets.register('events', async (arn, message, attributes) => {
      await this.putEvent(eventFromMessage(busNameOf(arn), message, attributes));
    });
  }

  async start(): Promise<void> {
    await this.refresh(this.ctx.model());
  }

  async stop(): Promise<void> {}

  async reload(model: ProjectModel): Promise<void> {
    await this.refresh(model);
  }

  private async refresh(model: ProjectModel): Promise<void> {
    // A template that cannot be read right now (mid-edit, moved) keeps what was running.
    const template = await readTemplateResources(model, this.ctx).catch(() => undefined);
    if (!template) return;
    const definitions = readEventBridgeDefinitions(model, template);
    this.buses_ = definitions.buses;
    this.rules_ = definitions.rules;
    this.templateProblems = definitions.problems.map((p) => ({ message: p.message, fix: p.fix }));
  }

  buses(): EventBus[] {
    return this.buses_;
  }

  rules(busName?: string): Rule[] {
    return busName === undefined ? this.rules_ : this.rules_.filter((r) => r.busName === busNameOf(busName));
  }

  bus(nameOrArn: string): EventBus {
    const name = busNameOf(nameOrArn);
    const bus = this.buses_.find((b) => b.name === name);
    if (!bus) throw new EventsResourceNotFoundError(`Event bus ${name} does not exist.`, `Buses here: ${this.buses_.map((b) => b.name).join(', ')}.`);
    return bus;
  }

  /** Template mistakes in rules and patterns (file:line:column field: problem). */
  problems(): Array<{ message: string; fix?: string }> {
    return this.templateProblems;
  }

  /** Throws InvalidEventPatternException for a bad pattern, as TestEventPattern does. */
  testEventPattern(pattern: unknown, event: unknown): boolean {
    return matchesEventPattern(parseEventPattern(pattern), event);
  }

  /** PutEvents: entry errors are reported per entry, as AWS does; the rest are routed. */
  async putEvents(entries: unknown): Promise<PutEventsResult> {
    const result: PutEventsResult = { FailedEntryCount: 0, Entries: [] };
    for (const entry of checkEntries(entries)) {
      const outcome = await this.putEntry(entry);
      if ('ErrorCode' in outcome) result.FailedEntryCount++;
      result.Entries.push('ErrorCode' in outcome ? outcome : { EventId: outcome.eventId });
    }
    return result;
  }

  /** One event from the UI or CLI; throws the entry's error instead of reporting it. */
  async putEvent(input: PutEventInput): Promise<EventRouted> {
    const outcome = await this.putEntry({
      Source: input.source,
      DetailType: input.detailType,
      Detail: typeof input.detail === 'string' ? input.detail : JSON.stringify(input.detail),
      Resources: input.resources,
      Time: input.time === undefined ? undefined : input.time / 1000,
      EventBusName: input.busName,
    });
    if ('ErrorCode' in outcome) {
      if (outcome.ErrorCode === 'ResourceNotFoundException') throw new EventsResourceNotFoundError(outcome.ErrorMessage, `Buses here: ${this.buses_.map((b) => b.name).join(', ')}.`);
      throw new EventsValidationError(`${outcome.ErrorCode}: ${outcome.ErrorMessage}`);
    }
    return outcome;
  }

  private async putEntry(entry: PutEventsEntry): Promise<EventRouted | { ErrorCode: string; ErrorMessage: string }> {
    const built = buildEvent(entry, this.ctx, this.ctx.clock.now());
    if (!built.ok) return { ErrorCode: built.errorCode, ErrorMessage: built.errorMessage };
    const busName = busNameOf(built.busName ?? 'default');
    if (!this.buses_.some((b) => b.name === busName)) return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${busName} does not exist.` };
    return this.route(busName, built.event);
  }

  private async route(busName: string, event: EventEnvelope): Promise<EventRouted> {
    const deliveries: TargetDelivery[] = [];
    for (const rule of this.rules_) {
      if (rule.busName !== busName || !rule.enabled || !matchesEventPattern(rule.pattern, event)) continue;
      const context = { ruleArn: rule.arn, ruleName: rule.name, ingestionTime: event.time };
      for (const target of rule.targets) {
        const base = { ruleName: rule.name, targetId: target.id, targetArn: target.arn };
        try {
          const payload = targetPayload(target, event as unknown as Record<string, unknown>, context);
          if (/^arn:aws[\w-]*:lambda:/.test(target.arn)) {
            const resolved = this.ctx.invoker.target(target.arn);
            const requestId = randomUUID();
            await this.ctx.asyncQueue.enqueue({ requestId, functionName: resolved.fn.functionName, qualifier: resolved.qualifier, payload, trigger: `eventbridge:${rule.name}` });
            deliveries.push({ ...base, outcome: 'queued', requestId });
          } else {
            await this.ctx.arnTargets.deliver(target.arn, payload);
            deliveries.push({ ...base, outcome: 'queued' });
          }
        } catch (err) {
          deliveries.push({ ...base, outcome: 'failed', error: err instanceof Error ? err.message : String(err) });
        }
      }
    }
    const routed: EventRouted = { eventId: event.id, busName, event, deliveries };
    this.events.emit('events:routed', routed);
    return routed;
  }
}

/**
 * What arrives at a bus by ARN: a full event is put as it is; anything else is the detail of an
 * event whose source and detail-type come from the attributes, or, for a Lambda destination
 * record, are the ones AWS uses ("Lambda Function Invocation Result - Success|Failure").
 */
export function eventFromMessage(busName: string, message: string, attributes: Record<string, string> = {}): PutEventInput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    parsed = undefined;
  }
  const object = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  if (object && typeof object.source === 'string' && typeof object['detail-type'] === 'string' && typeof object.detail === 'object' && object.detail !== null) {
    return { busName, source: object.source, detailType: object['detail-type'], detail: object.detail, resources: Array.isArray(object.resources) ? (object.resources as string[]) : undefined };
  }
  const context = object?.requestContext as Record<string, unknown> | undefined;
  const destination = context && typeof context.condition === 'string' && typeof context.functionArn === 'string';
  return {
    busName,
    source: attributes.source ?? (destination ? 'lambda' : 'lambdadesk'),
    detailType: attributes['detail-type'] ?? (destination ? `Lambda Function Invocation Result - ${context.condition === 'Success' ? 'Success' : 'Failure'}` : 'Message'),
    detail: object ?? { message },
    resources: destination ? [String(context.functionArn)] : undefined,
  };
}

export const createEventBridgeService = (ctx: EngineContext): EventBridgeService => new EventBridgeService(ctx);
