/**
 * Schedules in a running engine: fast-forwarding the schedules' clock delivers each run to the
 * function (a host process) with the shape AWS sends; templates with mistakes still start.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AsyncDisposition } from '../../electron/engine/invoke/async-invoke-queue.ts';
import type { EventBridgeService } from '../../electron/engine/triggers/eventbridge/eventbridge-service.ts';
import type { ScheduleService } from '../../electron/engine/triggers/schedule/schedule-service.ts';
import type { SnsService } from '../../electron/engine/triggers/sns/sns-service.ts';
import { wallTime } from '../../electron/engine/expressions/zoned-time.ts';
import { copyProject, REPO_ROOT, startEngine } from './support/engine-fixture.ts';

const FIXTURES = `${REPO_ROOT}/test/fixtures/schedules-sns-eventbridge`;
type Started = Awaited<ReturnType<typeof startEngine>>;

async function resultOf(settled: AsyncDisposition[], requestId: string): Promise<{ functionName: string; event: Record<string, unknown> }> {
  for (let i = 0; i < 600; i++) {
    const d = settled.find((x) => x.event.requestId === requestId);
    if (d?.kind === 'succeeded') return JSON.parse(d.result.payload.toString('utf8')) as { functionName: string; event: Record<string, unknown> };
    if (d) throw new Error(`invoke failed: ${d.reason}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no result for ${requestId}`);
}

describe('schedules in the engine', () => {
  let engine: Started;
  let schedule: ScheduleService;
  const settled: AsyncDisposition[] = [];
  beforeAll(async () => {
    engine = await startEngine(copyProject(`${FIXTURES}/events-project`), { sandbox: 'process' });
    schedule = engine.services.get('schedule') as ScheduleService;
    engine.asyncQueue.events.on('async:settled', (d) => settled.push(d));
  });
  afterAll(async () => {
    await engine?.stop();
  });

  test('rate(1 minute) fires on fast-forward, and the function gets the scheduled event', async () => {
    const start = schedule.now();
    const fired = await schedule.fastForward(60_000);
    expect(fired.map((f) => `${f.functionName}.${f.eventName}`)).toEqual(['Ticker.EveryMinute']);
    const { event, functionName } = await resultOf(settled, fired[0]!.requestId);
    expect(functionName).toBe('Ticker');
    expect(Object.keys(event)).toEqual(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
    expect(event).toMatchObject({ version: '0', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '123456789012', region: 'us-east-1', detail: {} });
    expect(event.resources).toEqual([expect.stringMatching(/^arn:aws:events:us-east-1:123456789012:rule\/.+-TickerEveryMinute$/)]);
    expect(Date.parse(event.time as string)).toBeGreaterThan(start);
    expect(settled.find((d) => d.event.requestId === fired[0]!.requestId)?.event.trigger).toBe('schedule:EveryMinute');
  });

  test('ScheduleV2 in America/New_York runs at 02:30 local, with its Input; fire delivers it now', async () => {
    const nightly = schedule.list().find((s) => s.eventName === 'Nightly')!;
    expect(nightly).toMatchObject({ kind: 'ScheduleV2', expression: 'cron(30 2 * * ? *)', timeZone: 'America/New_York', enabled: true, name: 'TickerNightly' });
    const local = wallTime(nightly.nextRunAt!, 'America/New_York');
    expect([local.hour, local.minute]).toEqual([2, 30]);
    const firing = await schedule.fire('Ticker', 'Nightly');
    expect((await resultOf(settled, firing.requestId)).event).toEqual({ job: 'nightly' });
  });

  test('fast-forwarding a day delivers each run; too many at once is refused with a clear error', async () => {
    await expect(schedule.fastForward(86_400_000)).rejects.toThrow('Fast-forwarding 1 day would deliver more than 1000 scheduled invocations.');
    const fired = await schedule.fastForward(5 * 60_000);
    expect(fired.map((f) => f.eventName)).toEqual(['EveryMinute', 'EveryMinute', 'EveryMinute', 'EveryMinute', 'EveryMinute']);
    const times = fired.map((f) => f.scheduledAt);
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual([60_000, 60_000, 60_000, 60_000]);
    await Promise.all(fired.map((f) => resultOf(settled, f.requestId)));
  });

  test('an AWS::Events::Rule with a ScheduleExpression delivers to its target, shaped by the InputTransformer', async () => {
    const rule = schedule.list().find((s) => s.id === 'CleanupRule.cleanup')!;
    expect(rule).toMatchObject({ kind: 'Schedule', expression: 'rate(10 minutes)', functionName: 'Shipper', eventName: 'cleanup' });
    const fired = await schedule.fastForward(4 * 60_000); // 60 s + 5 min + 4 min: the rule's first run, ten minutes after start
    expect(fired.map((f) => f.eventName).sort()).toEqual(['EveryMinute', 'EveryMinute', 'EveryMinute', 'EveryMinute', 'cleanup']);
    const cleanup = fired.find((f) => f.eventName === 'cleanup')!;
    const at = new Date(Math.floor(cleanup.scheduledAt / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    expect((await resultOf(settled, cleanup.requestId)).event).toEqual({ rule: rule.name, at, text: `cleanup at ${at}` });
    expect(rule.name).toMatch(/-CleanupRule$/);
    await Promise.all(fired.map((f) => resultOf(settled, f.requestId)));
  });
});

describe('a template whose event sources AWS would reject', () => {
  let engine: Started;
  beforeAll(async () => {
    engine = await startEngine(copyProject(`${FIXTURES}/bad-sources`), { sandbox: 'process' });
  });
  afterAll(async () => {
    await engine?.stop();
  });

  test('starts, names every mistake with its place and rule, and runs the rest', async () => {
    const schedule = engine.services.get('schedule') as ScheduleService;
    const problems = schedule.problems().map((p) => p.message);
    expect(problems).toEqual([
      expect.stringMatching(/^template\.yaml:\d+:\d+ Resources\.Mistakes\.Properties\.Events\.BothDays\.Properties\.Schedule: "cron\(0 12 \* \* \* \*\)": one of day-of-month \("\*"\) and day-of-week \("\*"\) must be "\?"/),
      expect.stringContaining('Events.PluralOne.Properties.Schedule: "rate(1 minutes)": a value of 1 takes the singular unit: rate(1 minute)'),
      expect.stringContaining('Events.NoSuchZone.Properties.ScheduleExpressionTimezone: "Europe/Atlantis" is not an IANA time zone name.'),
    ]);
    const eventbridge = engine.services.get('eventbridge') as EventBridgeService;
    expect(eventbridge.problems().map((p) => p.message)).toEqual([expect.stringContaining('Events.BadPattern.Properties.Pattern: Event pattern is not valid. Reason: Unrecognized match type prefixx')]);
    const sns = engine.services.get('sns') as SnsService;
    expect(sns.problems().map((p) => p.message)).toEqual([expect.stringContaining('Events.BadPolicy.Properties.FilterPolicy: Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys')]);
    // The bad subscription is left out rather than delivered unfiltered; the good one works.
    const published = await sns.publish({ topicArn: sns.topics()[0]!.arn, message: 'hi' });
    expect(published.deliveries.map((d) => d.endpoint.split(':').at(-1))).toEqual(['StillWorks']);
    expect((await schedule.fastForward(5 * 60_000)).map((f) => `${f.functionName}.${f.eventName}`)).toEqual(['StillWorks.Every']);
    await expect(schedule.fire('Mistakes', 'BothDays')).rejects.toThrow('must be "?"');
    await engine.asyncQueue.drain();
  });
});
