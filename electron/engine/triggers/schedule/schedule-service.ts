import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { ClockTimer } from '../../clock.ts';
import type { ProjectModel } from '../../contract.ts';
import type { EngineContext, EngineService } from '../../engine-context.ts';
import { InvalidParameterValueError, ResourceNotFoundError } from '../../errors.ts';
import { nextRuns as computeNextRuns, parseScheduleExpression, ScheduleExpressionError } from '../../expressions/schedule-expression.ts';
import { isTimeZone } from '../../expressions/zoned-time.ts';
import { readResourcesOfType } from '../../project/template-resources.ts';
import { definitionRunAfter, readRuleSchedules, readScheduleDefinitions, type ScheduleDefinition } from './schedule-definitions.ts';
import { scheduledPayload } from './scheduled-event.ts';

/** One delivery of a schedule: what was enqueued for which function. */
export interface ScheduleFiring {
  scheduleId: string;
  functionName: string;
  eventName: string;
  /** The run's time on the schedule's (possibly fast-forwarded) clock, epoch ms. */
  scheduledAt: number;
  /** The async invoke's request id; for a rule target that is not a function, only an id for this delivery. */
  requestId: string;
  /** `invoke`: a function's async queue; `arn-target`: a queue, topic or bus through the engine's ARN targets. */
  delivery: 'invoke' | 'arn-target';
  payload: string;
  /** `timer`, `fire` (fired by hand) or `fast-forward`. */
  cause: 'timer' | 'fire' | 'fast-forward';
}

/** What the faces show for one schedule. */
export interface ScheduleInfo {
  id: string;
  kind: ScheduleDefinition['kind'];
  functionName: string;
  eventName: string;
  expression: string;
  timeZone: string;
  enabled: boolean;
  name: string;
  arn: string;
  nextRunAt?: number;
  lastRunAt?: number;
  /** Why the schedule does not run: file:line:column, field, rule, fix. */
  error?: string;
  fix?: string;
}

/** More runs than this in one fast-forward is almost surely a slip of the finger; ask for less. */
export const DEFAULT_MAX_FAST_FORWARD_RUNS = 1000;
/** Timers re-check at least this often, so a sleeping laptop or a far-off run never overflows a timer. */
const MAX_TIMER_MS = 3_600_000;

/**
 * Runs the template's `Schedule` (EventBridge rule) and `ScheduleV2` (EventBridge Scheduler)
 * events on the engine's clock, delivering each run as an asynchronous invoke. Its own clock is
 * the engine's plus a fast-forward offset, so the UI and tests can jump ahead and see every run
 * that would have happened, in order, with its scheduled time.
 */
export class ScheduleService implements EngineService {
  readonly name = 'schedule';
  readonly events = new EventEmitter<{ 'schedule:fired': [ScheduleFiring]; 'schedule:failed': [{ scheduleId: string; error: string }] }>();
  private definitions: ScheduleDefinition[] = [];
  /** Per schedule: runs are searched after this time (creation, then the last run). */
  private readonly cursors = new Map<string, number>();
  private readonly lastRuns = new Map<string, number>();
  /** Per schedule: when it was created (first seen, changed or re-enabled); rates count from here. */
  private readonly anchors = new Map<string, number>();
  private offsetMs = 0;
  private timer?: ClockTimer;
  private running = false;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly ctx: EngineContext) {}

  async start(): Promise<void> {
    this.running = true;
    await this.load(this.ctx.model());
    this.arm();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) this.ctx.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.chain.catch(() => undefined);
  }

  async reload(model: ProjectModel): Promise<void> {
    await this.load(model);
    this.arm();
  }

  /** Resolves when no delivery is in progress: lets tests step a ManualClock run by run. */
  async idle(): Promise<void> {
    let seen: Promise<unknown> | undefined;
    while (seen !== this.chain) {
      seen = this.chain;
      await seen;
    }
  }

  /** The schedules' clock: the engine's plus everything fast-forwarded. */
  now(): number {
    return this.ctx.clock.now() + this.offsetMs;
  }

  list(): ScheduleInfo[] {
    return this.definitions.map((d) => ({
      id: d.id,
      kind: d.kind,
      functionName: d.functionName,
      eventName: d.eventName,
      expression: d.expressionText,
      timeZone: d.timeZone,
      enabled: d.enabled,
      name: d.name,
      arn: d.arn,
      nextRunAt: d.enabled ? this.nextRunOf(d) : undefined,
      lastRunAt: this.lastRuns.get(d.id),
      error: d.error?.message,
      fix: d.error?.fix,
    }));
  }

  /** Template problems of the schedules, for `serve` and the UI to show. */
  problems(): Array<{ message: string; fix?: string }> {
    return this.list().flatMap((s) => (s.error ? [{ message: s.error, fix: s.fix }] : []));
  }

  /**
   * The next `count` runs of any expression after `fromMs` (default: the schedules' clock), in
   * `timeZone` (IANA, default UTC). Rates count from `fromMs`. Throws InvalidParameterValue for
   * a bad expression or zone, naming the rule.
   */
  nextRuns(expression: string, count = 5, fromMs = this.now(), timeZone = 'UTC'): number[] {
    if (!isTimeZone(timeZone)) throw new InvalidParameterValueError(`"${timeZone}" is not an IANA time zone name.`, 'Use a name such as UTC, Europe/Berlin or America/New_York.');
    if (!Number.isInteger(count) || count < 1 || count > 1000) throw new InvalidParameterValueError(`count must be a whole number from 1 to 1000, not ${count}.`);
    try {
      return computeNextRuns(parseScheduleExpression(expression, { allowAt: true }), count, fromMs, fromMs, timeZone);
    } catch (err) {
      if (err instanceof ScheduleExpressionError) throw new InvalidParameterValueError(err.message, err.fix);
      throw err;
    }
  }

  /** Delivers one run now, as the schedule would (disabled ones too: the user asked). */
  async fire(functionName: string, eventName: string): Promise<ScheduleFiring> {
    const definition = this.find(functionName, eventName);
    if (definition.error) throw new InvalidParameterValueError(definition.error.message, definition.error.fix);
    return this.serialized(() => this.deliver(definition, this.now(), 'fire'));
  }

  /**
   * Moves the schedules' clock forward by `ms`, delivering every run that falls in between, in
   * time order, each with its own scheduled time. Refuses (before delivering anything) when that
   * would be more than `maxRuns` invocations.
   */
  async fastForward(ms: number, options: { maxRuns?: number } = {}): Promise<ScheduleFiring[]> {
    if (!Number.isFinite(ms) || ms < 0) throw new InvalidParameterValueError(`Fast-forward takes a positive number of milliseconds, not ${ms}.`);
    const maxRuns = options.maxRuns ?? DEFAULT_MAX_FAST_FORWARD_RUNS;
    return this.serialized(async () => {
      const from = this.now();
      const until = from + ms;
      const due: Array<{ definition: ScheduleDefinition; at: number }> = [];
      for (const definition of this.runnable()) {
        let after = this.cursorOf(definition);
        for (;;) {
          const at = this.runAfter(definition, after);
          if (at === undefined || at > until) break;
          due.push({ definition, at });
          if (due.length > maxRuns) {
            throw new InvalidParameterValueError(
              `Fast-forwarding ${formatDuration(ms)} would deliver more than ${maxRuns} scheduled invocations.`,
              'Fast-forward a shorter time, or allow more runs (maxRuns; --max-runs on the command line).',
            );
          }
          after = at;
        }
      }
      due.sort((a, b) => a.at - b.at || a.definition.id.localeCompare(b.definition.id));
      const fired: ScheduleFiring[] = [];
      for (const { definition, at } of due) {
        // Each run happens at its own time: the clock stands there while it is delivered.
        this.offsetMs = at - this.ctx.clock.now();
        try {
          fired.push(await this.deliver(definition, at, 'fast-forward'));
        } catch (err) {
          // One target that cannot be reached (no such queue) must not stop time for the others.
          this.cursors.set(definition.id, at);
          this.events.emit('schedule:failed', { scheduleId: definition.id, error: err instanceof Error ? err.message : String(err) });
        }
      }
      this.offsetMs = until - this.ctx.clock.now();
      this.arm();
      return fired;
    });
  }

  /** By function (logical id or name) and event name, or by rule resource (logical id or name) and target id. */
  private find(functionName: string, eventName: string): ScheduleDefinition {
    const definition = this.definitions.find((d) => (d.functionName === functionName || d.logicalId === functionName || (d.target && d.name === functionName)) && d.eventName === eventName);
    if (!definition) {
      const known = this.definitions.map((d) => `${d.logicalId} ${d.eventName}`).join(', ') || 'none';
      throw new ResourceNotFoundError(`Function ${functionName} has no Schedule or ScheduleV2 event named ${eventName}. Schedules: ${known}.`);
    }
    return definition;
  }

  private async load(model: ProjectModel): Promise<void> {
    // A template that does not parse right now (mid-edit) keeps the rule resources' schedules out until it does.
    const resources = await readResourcesOfType(model, this.ctx, ['AWS::Events::Rule']).catch(() => []);
    const now = this.now();
    const previous = new Map(this.definitions.map((d) => [d.id, d]));
    this.definitions = [...readScheduleDefinitions(model, this.ctx), ...readRuleSchedules(resources, this.ctx)];
    for (const d of this.definitions) {
      const before = previous.get(d.id);
      // A new, changed or re-enabled schedule starts now: its rate counts from here, nothing is owed.
      if (!before || before.expressionText !== d.expressionText || before.timeZone !== d.timeZone || (!before.enabled && d.enabled)) {
        this.cursors.set(d.id, now);
        this.anchors.set(d.id, now);
      }
    }
    for (const id of [...this.cursors.keys()]) {
      if (this.definitions.some((d) => d.id === id)) continue;
      this.cursors.delete(id);
      this.anchors.delete(id);
    }
  }

  private runnable(): ScheduleDefinition[] {
    return this.definitions.filter((d) => d.enabled && d.expression && !d.error);
  }

  private cursorOf(d: ScheduleDefinition): number {
    return this.cursors.get(d.id) ?? this.now();
  }

  private runAfter(d: ScheduleDefinition, afterMs: number): number | undefined {
    return definitionRunAfter(d, afterMs, this.anchors.get(d.id) ?? this.cursorOf(d));
  }

  private nextRunOf(d: ScheduleDefinition): number | undefined {
    return d.error ? undefined : this.runAfter(d, this.cursorOf(d));
  }

  private arm(): void {
    if (this.timer) this.ctx.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running) return;
    const now = this.now();
    let earliest = Infinity;
    for (const d of this.runnable()) earliest = Math.min(earliest, this.nextRunOf(d) ?? Infinity);
    if (earliest === Infinity) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, earliest - now));
    this.timer = this.ctx.clock.setTimeout(() => {
      this.timer = undefined;
      void this.serialized(() => this.tick()).catch(() => undefined);
    }, delay);
  }

  /** Delivers what is due; runs missed while the machine slept collapse into one, as on AWS. */
  private async tick(): Promise<void> {
    if (!this.running) return;
    const now = this.now();
    for (const d of this.runnable()) {
      const at = this.nextRunOf(d);
      if (at !== undefined && at <= now) {
        await this.deliver(d, at, 'timer').catch((err: unknown) => {
          this.events.emit('schedule:failed', { scheduleId: d.id, error: err instanceof Error ? err.message : String(err) });
        });
        this.cursors.set(d.id, now);
      }
    }
    this.arm();
  }

  private async deliver(d: ScheduleDefinition, at: number, cause: ScheduleFiring['cause']): Promise<ScheduleFiring> {
    const requestId = randomUUID();
    const payload = scheduledPayload(d, at, randomUUID(), this.ctx);
    const delivery = d.target && !/^arn:aws[\w-]*:lambda:/.test(d.target.arn) ? 'arn-target' : 'invoke';
    if (delivery === 'arn-target') {
      await this.ctx.arnTargets.deliver(d.target!.arn, payload);
    } else {
      const target = d.target ? this.ctx.invoker.target(d.target.arn) : undefined;
      await this.ctx.asyncQueue.enqueue({ requestId, functionName: target?.fn.functionName ?? d.functionName, qualifier: target?.qualifier, payload, trigger: `schedule:${d.target ? d.name : d.eventName}` });
    }
    if (cause !== 'fire') this.cursors.set(d.id, at);
    this.lastRuns.set(d.id, at);
    const firing: ScheduleFiring = { scheduleId: d.id, functionName: d.functionName, eventName: d.eventName, scheduledAt: at, requestId, delivery, payload, cause };
    this.events.emit('schedule:fired', firing);
    return firing;
  }

  /** Timer ticks, fires and fast-forwards take turns, so no run is delivered twice. */
  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

function formatDuration(ms: number): string {
  const units: Array<[number, string]> = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, unit] of units) if (ms >= size) return `${+(ms / size).toFixed(1)} ${unit}${ms / size === 1 ? '' : 's'}`;
  return `${ms} ms`;
}

export const createScheduleService = (ctx: EngineContext): ScheduleService => new ScheduleService(ctx);
