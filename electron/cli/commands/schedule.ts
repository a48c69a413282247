import { parseArgs } from 'node:util';
import type { InvocationRecord } from '../../engine/contract.ts';
import type { AsyncDisposition } from '../../engine/invoke/async-invoke-queue.ts';
import { createEngine, DEFAULTS, type Engine } from '../../engine/create-engine.ts';
import { loadProject } from '../../engine/project/load-project.ts';
import { readResourcesOfType } from '../../engine/project/template-resources.ts';
import { definitionRuns, readRuleSchedules, readScheduleDefinitions } from '../../engine/triggers/schedule/schedule-definitions.ts';
import type { ScheduleFiring, ScheduleService } from '../../engine/triggers/schedule/schedule-service.ts';
import { nextRuns, parseScheduleExpression, ScheduleExpressionError } from '../../engine/expressions/schedule-expression.ts';
import { isTimeZone, wallTime } from '../../engine/expressions/zoned-time.ts';
import { type CliCommand, type CliIo, UsageError, writeLine } from '../cli-io.ts';
import { ENGINE_FLAGS, ENGINE_FLAGS_USAGE, engineOptions, oneShotEngineOptions, wholeNumber } from '../engine-options.ts';

/** What one asynchronous invocation came to, for the commands that trigger functions. */
export interface AsyncOutcome {
  requestId: string;
  functionName: string;
  outcome: InvocationRecord['outcome'] | 'not-invocable';
  record?: InvocationRecord;
  /** The function's response (success) or error body. */
  payload?: string;
  logs: string[];
}

/**
 * Collects, from the moment it is made, what the engine reports about asynchronous invokes, so a
 * command can print each one's first attempt. A failed attempt is not waited on further: AWS
 * would retry it a minute later, and the queued retry stays on disk for the next `serve`.
 */
export function watchAsyncInvocations(engine: Engine): { wait(requestIds: string[], timeoutMs?: number): Promise<AsyncOutcome[]>; dispose(): void } {
  const outcomes = new Map<string, AsyncOutcome>();
  const logs = new Map<string, string[]>();
  const onLog = (line: { requestId?: string; line: string }) => {
    if (line.requestId) logs.set(line.requestId, [...(logs.get(line.requestId) ?? []), line.line]);
  };
  const onFinished = (record: InvocationRecord) => {
    if (record.outcome !== 'success') outcomes.set(record.requestId, { requestId: record.requestId, functionName: record.functionName, outcome: record.outcome, record, logs: [] });
  };
  const onSettled = (d: AsyncDisposition) => {
    const record = d.result?.record;
    outcomes.set(d.event.requestId, {
      requestId: d.event.requestId,
      functionName: d.event.functionName,
      outcome: d.kind === 'succeeded' ? 'success' : (record?.outcome ?? 'not-invocable'),
      record,
      payload: d.result?.payload.toString('utf8') ?? (d.kind === 'failed' ? d.error : undefined),
      logs: [],
    });
  };
  engine.invoker.events.on('logs:appended', onLog);
  engine.invoker.events.on('invocations:finished', onFinished);
  engine.asyncQueue.events.on('async:settled', onSettled);
  return {
    async wait(requestIds, timeoutMs = 600_000) {
      const deadline = Date.now() + timeoutMs;
      while (requestIds.some((id) => !outcomes.has(id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      return requestIds.map((id) => ({ ...(outcomes.get(id) ?? { requestId: id, functionName: '?', outcome: 'timeout' as const, logs: [] }), logs: logs.get(id) ?? [] }));
    },
    dispose() {
      engine.invoker.events.off('logs:appended', onLog);
      engine.invoker.events.off('invocations:finished', onFinished);
      engine.asyncQueue.events.off('async:settled', onSettled);
    },
  };
}

export function printOutcomes(io: CliIo, outcomes: AsyncOutcome[]): void {
  for (const o of outcomes) {
    const timing = o.record ? ` in ${o.record.durationMs.toFixed(1)} ms${o.record.cold ? ' (cold start)' : ''}` : '';
    writeLine(io.stdout, `  ${o.functionName}: ${o.outcome}${timing}${o.payload !== undefined ? ` → ${o.payload}` : ''}`);
    if (o.outcome !== 'success' && o.outcome !== 'not-invocable') writeLine(io.stderr, `  ${o.functionName} failed; AWS retries an asynchronous event twice (about 1 and 2 minutes later). The retry waits in .lambdadesk/async-events for the next \`lambdadesk serve\`.`);
    for (const line of o.logs) writeLine(io.stderr, `    ${line}`);
  }
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** `90s`, `10m`, `2h`, `1d`, `500ms`. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) throw new UsageError(`'${text}' is not a duration: write a number and a unit, e.g. 90s, 10m, 2h or 1d.`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

const USAGE = `Usage: lambdadesk schedule list [--dir DIR] [--count N] [--json]
       lambdadesk schedule next EXPRESSION [--count N] [--from ISO-TIME] [--tz ZONE] [--json]
       lambdadesk schedule fire FUNCTION EVENT [--dir DIR] [--json] [options]
       lambdadesk schedule fast-forward DURATION [--dir DIR] [--json] [options]

list          the template's Schedule and ScheduleV2 events: expression, time zone, state, next
              runs, and for invalid ones the file, line, rule broken and fix
next          the next runs of any rate(), cron() or at() expression (EventBridge's rules:
              six cron fields, ? L W #, singular/plural rate units), in a time zone
fire          deliver one run of FUNCTION's schedule EVENT now, as an asynchronous invoke, and
              print the function's result
fast-forward  move the schedules' clock ahead by DURATION (90s, 10m, 2h, 1d) and deliver every
              run that falls in between, in order, each with its own scheduled time

  --dir DIR        project folder (default: the current folder)
  --count N        how many next runs to show (default 1 for list, 5 for next)
  --from ISO-TIME  start of 'next' (default now), e.g. 2030-01-01T00:00:00Z
  --tz ZONE        IANA time zone for 'next' (default UTC), e.g. Europe/Berlin
  --max-runs N     fast-forward refuses to deliver more than N runs (default 1000)
  --json           print JSON
${ENGINE_FLAGS_USAGE}`;

export const scheduleCommand: CliCommand = {
  summary: 'List schedules, compute next runs, fire one now, or fast-forward time',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        dir: { type: 'string' },
        count: { type: 'string' },
        from: { type: 'string' },
        tz: { type: 'string' },
        'max-runs': { type: 'string' },
        json: { type: 'boolean' },
        ...ENGINE_FLAGS,
      },
    });
    const [verb, ...rest] = positionals;
    const out = (value: unknown, text: () => void) => (values.json ? writeLine(io.stdout, JSON.stringify(value, null, 2)) : text());

    if (verb === 'next') {
      const expression = rest.join(' ');
      if (!expression) throw new UsageError('Give an expression, e.g. lambdadesk schedule next "cron(0 9 ? * MON-FRI *)" --tz Europe/Berlin');
      const zone = values.tz ?? 'UTC';
      if (!isTimeZone(zone)) throw new UsageError(`--tz '${zone}' is not an IANA time zone name (e.g. UTC, Europe/Berlin, America/New_York).`);
      const from = values.from === undefined ? Date.now() : Date.parse(values.from);
      if (Number.isNaN(from)) throw new UsageError(`--from '${values.from}' is not a date and time; write e.g. 2030-01-01T00:00:00Z.`);
      const count = wholeNumber('count', values.count, 1, 1000) ?? 5;
      let runs: number[];
      try {
        runs = nextRuns(parseScheduleExpression(expression, { allowAt: true }), count, from, from, zone);
      } catch (err) {
        if (err instanceof ScheduleExpressionError) {
          writeLine(io.stderr, `lambdadesk schedule: ${err.message}\n  ${err.fix}`);
          return 1;
        }
        throw err;
      }
      out({ expression, timeZone: zone, from: iso(from), runs: runs.map(iso) }, () => {
        if (runs.length === 0) writeLine(io.stdout, `${expression} does not run again after ${iso(from)}.`);
        for (const at of runs) {
          const w = wallTime(at, zone);
          const local = zone === 'UTC' ? '' : `   (${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')} ${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')} ${zone})`;
          writeLine(io.stdout, `${iso(at)}${local}`);
        }
      });
      return 0;
    }

    if (verb === 'list') {
      const options = engineOptions(values.dir ?? '.', io.cwd, values);
      const { model } = await loadProject(options.projectDir, { parameterOverrides: options.parameterOverrides, region: options.region });
      const now = Date.now();
      const count = wholeNumber('count', values.count, 1, 100) ?? 1;
      const identity = { region: options.region ?? DEFAULTS.region, accountId: DEFAULTS.accountId };
      const rules = readRuleSchedules(await readResourcesOfType(model, identity, ['AWS::Events::Rule']), identity);
      const schedules = [...readScheduleDefinitions(model, identity), ...rules].map((d) => ({
        function: d.target ? d.logicalId : d.functionName,
        event: d.eventName,
        target: d.target?.arn,
        kind: d.kind,
        expression: d.expressionText,
        timeZone: d.timeZone,
        enabled: d.enabled,
        name: d.name,
        arn: d.arn,
        input: d.input,
        nextRuns: d.error || !d.enabled ? [] : definitionRuns(d, count, now, now).map(iso),
        error: d.error?.message,
        fix: d.error?.fix,
      }));
      out({ schedules }, () => {
        if (schedules.length === 0) writeLine(io.stdout, `${model.templatePath} has no Schedule or ScheduleV2 events.`);
        for (const s of schedules) {
          const state = s.error ? 'INVALID' : s.enabled ? `next ${s.nextRuns.join(', ') || 'never'}` : 'disabled';
          writeLine(io.stdout, `${s.function.padEnd(20)} ${s.event.padEnd(16)} ${s.kind.padEnd(10)} ${s.expression.padEnd(24)} ${s.timeZone.padEnd(18)} ${state}`);
          if (s.error) writeLine(io.stdout, `    ${s.error}\n    ${s.fix ?? ''}`);
        }
      });
      return schedules.some((s) => s.error) ? 1 : 0;
    }

    if (verb === 'fire' || verb === 'fast-forward') {
      if (verb === 'fire' && rest.length !== 2) throw new UsageError('Name the function and its schedule event: lambdadesk schedule fire FUNCTION EVENT');
      if (verb === 'fast-forward' && rest.length !== 1) throw new UsageError('Give a duration: lambdadesk schedule fast-forward 10m');
      const ms = verb === 'fast-forward' ? parseDuration(rest[0]!) : 0;
      const maxRuns = wholeNumber('max-runs', values['max-runs'], 1, 100_000);
      const engine = await createEngine(oneShotEngineOptions(values.dir ?? '.', io.cwd, values));
      const watch = watchAsyncInvocations(engine);
      try {
        await engine.start();
        const schedule = engine.services.get('schedule') as ScheduleService;
        const fired: ScheduleFiring[] = verb === 'fire' ? [await schedule.fire(rest[0]!, rest[1]!)] : await schedule.fastForward(ms, { maxRuns });
        // Deliveries to queues, topics or buses have no invocation to wait for.
        const outcomes = await watch.wait(fired.filter((f) => f.delivery === 'invoke').map((f) => f.requestId));
        const outcomeOf = (f: ScheduleFiring) => outcomes.find((o) => o.requestId === f.requestId);
        out({ fired: fired.map((f) => ({ ...f, scheduledAt: iso(f.scheduledAt), payload: JSON.parse(f.payload) as unknown, result: outcomeOf(f) })) }, () => {
          if (fired.length === 0) writeLine(io.stdout, `No schedule runs in the next ${rest[0]}.`);
          for (const f of fired) {
            writeLine(io.stdout, `${iso(f.scheduledAt)} ${f.functionName} ${f.eventName} (${f.delivery === 'invoke' ? `request ${f.requestId}` : 'delivered to the target'})`);
            const outcome = outcomeOf(f);
            if (outcome) printOutcomes(io, [outcome]);
          }
        });
        return outcomes.every((o) => o.outcome === 'success') ? 0 : 1;
      } finally {
        watch.dispose();
        await engine.stop();
      }
    }

    throw new UsageError(verb ? `Unknown schedule command '${verb}': use list, next, fire or fast-forward.` : 'Say what to do: list, next, fire or fast-forward.');
  },
};
