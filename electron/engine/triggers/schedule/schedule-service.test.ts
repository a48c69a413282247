import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { FunctionConfig, InvokeResult, ProjectModel } from '../../contract.ts';
import type { EngineContext } from '../../engine-context.ts';
import { AsyncInvokeQueue, type AsyncEvent } from '../../invoke/async-invoke-queue.ts';
import { ScheduleService } from './schedule-service.ts';

const START = Date.parse('2024-03-01T00:00:00Z');

function fn(logicalId: string, events: Record<string, { type: string; properties: Record<string, unknown> }>): FunctionConfig {
  return {
    logicalId,
    functionName: logicalId,
    events: Object.entries(events).map(([name, e], i) => ({ name, type: e.type, properties: e.properties, location: { file: '/p/template.yaml', line: 10 + i, column: 7 } })),
  } as Partial<FunctionConfig> as FunctionConfig;
}

function setup(functions: FunctionConfig[]) {
  const clock = new ManualClock(START);
  const delivered: AsyncEvent[] = [];
  const asyncQueue = new AsyncInvokeQueue({
    dir: mkdtempSync(join(tmpdir(), 'lambdadesk-schedule-')),
    clock,
    invoke: async (event) => {
      delivered.push(event);
      return { record: {}, payload: Buffer.from('null') } as unknown as InvokeResult;
    },
  });
  let model: ProjectModel = { dir: '/p/my-app', templatePath: '/p/my-app/template.yaml', functions, layers: [], parameters: {}, warnings: [] };
  const ctx = { model: () => model, asyncQueue, clock, region: 'eu-west-1', accountId: '111122223333', events: new EventEmitter() } as Partial<EngineContext> as EngineContext;
  const service = new ScheduleService(ctx);
  onTestFinished(async () => {
    await service.stop();
    await asyncQueue.stop();
  });
  return {
    clock,
    service,
    delivered,
    async start() {
      await asyncQueue.start();
      await service.start();
    },
    async settle() {
      await clock.advance(0);
      await asyncQueue.drain();
    },
    setModel(next: FunctionConfig[]) {
      model = { ...model, functions: next };
      return model;
    },
  };
}

const payloads = (events: AsyncEvent[]) => events.map((e) => JSON.parse(e.payload) as Record<string, unknown>);

describe('Schedule (EventBridge rule)', () => {
  test('rate(1 minute) fires on fast-forward with the scheduled-event shape', async () => {
    const t = setup([fn('Ticker', { Every: { type: 'Schedule', properties: { Schedule: 'rate(1 minute)' } } })]);
    await t.start();
    await t.service.fastForward(59_999);
    await t.settle();
    expect(t.delivered).toHaveLength(0); // one millisecond short of a minute: 60_000 is the first run
    const fired = await t.service.fastForward(1);
    await t.settle();
    expect(fired).toHaveLength(1);
    expect(t.delivered).toHaveLength(1);
    const [event] = payloads(t.delivered);
    expect(Object.keys(event!)).toEqual(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
    expect(event).toMatchObject({
      version: '0',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '111122223333',
      time: '2024-03-01T00:01:00Z',
      region: 'eu-west-1',
      resources: ['arn:aws:events:eu-west-1:111122223333:rule/my-app-TickerEvery'],
      detail: {},
    });
    expect(event!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.delivered[0]!.trigger).toBe('schedule:Every');
  });

  test('fast-forward delivers every run in between, in order, each with its own time', async () => {
    const t = setup([
      fn('A', { Five: { type: 'Schedule', properties: { Schedule: 'rate(5 minutes)' } } }),
      fn('B', { Quarter: { type: 'Schedule', properties: { Schedule: 'cron(0/15 * * * ? *)' } } }),
    ]);
    await t.start();
    const fired = await t.service.fastForward(30 * 60_000);
    expect(fired.map((f) => `${f.functionName}@${new Date(f.scheduledAt).toISOString().slice(11, 16)}`)).toEqual([
      'A@00:05',
      'A@00:10',
      'A@00:15',
      'B@00:15',
      'A@00:20',
      'A@00:25',
      'A@00:30',
      'B@00:30',
    ]);
    await t.settle();
    expect(payloads(t.delivered).map((p) => p.time)).toEqual(fired.map((f) => new Date(f.scheduledAt).toISOString().replace('.000Z', 'Z')));
    expect(t.service.now()).toBe(START + 30 * 60_000);
    expect(t.service.list().find((s) => s.functionName === 'B')?.nextRunAt).toBe(Date.parse('2024-03-01T00:45:00Z'));
  });

  test('the engine clock moving fires the timer, without fast-forward', async () => {
    const t = setup([fn('Ticker', { Every: { type: 'Schedule', properties: { Schedule: 'rate(2 minutes)', Input: '{"job":"sweep"}' } } })]);
    await t.start();
    for (let minute = 1; minute <= 4; minute++) {
      await t.clock.advance(60_000);
      await t.service.idle();
    }
    await t.settle();
    expect(t.delivered.map((e) => e.payload)).toEqual(['{"job":"sweep"}', '{"job":"sweep"}']);
    expect(t.service.list()[0]?.lastRunAt).toBe(START + 4 * 60_000);
  });

  test('a disabled schedule does not run on its own, but can be fired by hand', async () => {
    const t = setup([fn('Off', { Nightly: { type: 'Schedule', properties: { Schedule: 'rate(1 minute)', Enabled: false } } })]);
    await t.start();
    expect(await t.service.fastForward(10 * 60_000)).toEqual([]);
    const firing = await t.service.fire('Off', 'Nightly');
    await t.settle();
    expect(firing.cause).toBe('fire');
    expect(t.delivered).toHaveLength(1);
    expect(payloads(t.delivered)[0]).toMatchObject({ time: '2024-03-01T00:10:00Z' });
  });

  test('State DISABLED and re-enabling on reload: the rate counts from the reload, nothing is owed', async () => {
    const off = fn('T', { E: { type: 'Schedule', properties: { Schedule: 'rate(10 minutes)', State: 'DISABLED' } } });
    const t = setup([off]);
    await t.start();
    await t.clock.advance(25 * 60_000);
    await t.service.idle();
    await t.service.reload(t.setModel([fn('T', { E: { type: 'Schedule', properties: { Schedule: 'rate(10 minutes)', State: 'ENABLED' } } })]));
    await t.settle();
    expect(t.delivered).toHaveLength(0);
    expect(t.service.list()[0]?.nextRunAt).toBe(START + 35 * 60_000);
  });

  test('refuses a fast-forward that would flood the function, before delivering anything', async () => {
    const t = setup([fn('Ticker', { Every: { type: 'Schedule', properties: { Schedule: 'rate(1 minute)' } } })]);
    await t.start();
    await expect(t.service.fastForward(30 * 86_400_000)).rejects.toThrow(/Fast-forwarding 30 days would deliver more than 1000 scheduled invocations/);
    expect(t.service.now()).toBe(START);
    expect(await t.service.fastForward(3 * 60_000, { maxRuns: 3 })).toHaveLength(3);
  });
});

describe('ScheduleV2 (EventBridge Scheduler)', () => {
  test('cron in a time zone, with the Scheduler default payload', async () => {
    const t = setup([
      fn('Report', {
        Morning: { type: 'ScheduleV2', properties: { ScheduleExpression: 'cron(0 9 * * ? *)', ScheduleExpressionTimezone: 'Europe/Berlin' } },
      }),
    ]);
    await t.start();
    const fired = await t.service.fastForward(86_400_000);
    expect(fired.map((f) => new Date(f.scheduledAt).toISOString())).toEqual(['2024-03-01T08:00:00.000Z']);
    await t.settle();
    expect(payloads(t.delivered)[0]).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      account: '111122223333',
      time: '2024-03-01T08:00:00Z',
      region: 'eu-west-1',
      resources: ['arn:aws:scheduler:eu-west-1:111122223333:schedule/default/ReportMorning'],
      detail: '{}',
    });
  });

  test('Input, StartDate, EndDate and at()', async () => {
    const t = setup([
      fn('Job', {
        Window: { type: 'ScheduleV2', properties: { ScheduleExpression: 'rate(1 hour)', StartDate: '2024-03-01T02:00:00Z', EndDate: '2024-03-01T04:30:00Z', Input: '{"a":1}' } },
        Once: { type: 'ScheduleV2', properties: { ScheduleExpression: 'at(2024-03-01T06:00:00)', Name: 'one-shot', GroupName: 'ops' } },
      }),
    ]);
    await t.start();
    const fired = await t.service.fastForward(12 * 3_600_000);
    expect(fired.map((f) => `${f.eventName}@${new Date(f.scheduledAt).toISOString().slice(11, 16)}`)).toEqual(['Window@02:00', 'Window@03:00', 'Window@04:00', 'Once@06:00']);
    await t.settle();
    expect(t.delivered[0]!.payload).toBe('{"a":1}');
    expect(payloads(t.delivered)[3]).toMatchObject({ resources: ['arn:aws:scheduler:eu-west-1:111122223333:schedule/ops/one-shot'] });
  });
});

describe('template mistakes are reported, never fatal', () => {
  test.each([
    [{ Schedule: 'cron(0 12 * * * *)' }, 'Schedule', 'Properties.Events.Bad.Properties.Schedule: "cron(0 12 * * * *)": one of day-of-month ("*") and day-of-week ("*") must be "?"'],
    [{ Schedule: 'rate(1 minutes)' }, 'Schedule', 'a value of 1 takes the singular unit'],
    [{ Schedule: 'rate(5 minutes)', Enabled: true, State: 'ENABLED' }, 'Schedule', 'Enabled and State cannot both be set'],
    [{ Schedule: 'rate(5 minutes)', Input: '{not json' }, 'Schedule', 'Input is not valid JSON'],
    [{ ScheduleExpression: 'rate(5 minutes)', ScheduleExpressionTimezone: 'Mars/Olympus' }, 'ScheduleV2', '"Mars/Olympus" is not an IANA time zone name'],
    [{}, 'ScheduleV2', 'ScheduleV2 needs ScheduleExpression'],
  ])('%j (%s)', async (properties, type, message) => {
    const t = setup([fn('Fn', { Bad: { type, properties } }), fn('Good', { Ok: { type: 'Schedule', properties: { Schedule: 'rate(1 minute)' } } })]);
    await t.start();
    const [bad] = t.service.problems();
    expect(bad?.message).toContain('/p/template.yaml:10:7 Resources.Fn.');
    expect(bad?.message).toContain(message);
    expect(bad?.fix).toBeTruthy();
    await expect(t.service.fire('Fn', 'Bad')).rejects.toThrow(message);
    expect(await t.service.fastForward(60_000)).toHaveLength(1); // the good one still runs
  });

  test('fire names the schedules that exist when asked for one that does not', async () => {
    const t = setup([fn('Fn', { Ok: { type: 'Schedule', properties: { Schedule: 'rate(1 minute)' } } })]);
    await t.start();
    await expect(t.service.fire('Fn', 'Nope')).rejects.toThrow('Function Fn has no Schedule or ScheduleV2 event named Nope. Schedules: Fn Ok.');
  });

  test('nextRuns checks its expression and zone', async () => {
    const t = setup([]);
    await t.start();
    expect(t.service.nextRuns('cron(0 0 ? * 6#5 *)', 2, START).map((ms) => new Date(ms).toISOString())).toEqual(['2024-03-29T00:00:00.000Z', '2024-05-31T00:00:00.000Z']);
    expect(() => t.service.nextRuns('cron(0 0 * * * *)')).toThrow(/must be "\?"/);
    expect(() => t.service.nextRuns('rate(1 hour)', 1, START, 'Nowhere/Land')).toThrow(/not an IANA time zone/);
  });
});
