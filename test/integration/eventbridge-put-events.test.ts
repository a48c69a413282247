/**
 * EventBridge through real clients: @aws-sdk/client-eventbridge and Debian's AWS CLI v2 put
 * events on the engine's AWS endpoint; rules from the template route them to functions. The
 * functions run as host processes, and once in Docker.
 */
import { EventBridgeClient, InvalidEventPatternException, ListRulesCommand, PutEventsCommand, TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AsyncDisposition } from '../../electron/engine/invoke/async-invoke-queue.ts';
import { stackNameFromFolder } from '../../electron/engine/project/load-project.ts';
import type { EventBridgeService, EventRouted } from '../../electron/engine/triggers/eventbridge/eventbridge-service.ts';
import { awsCli } from './support/aws-clients.ts';
import { dockerAvailable } from './support/docker-required.ts';
import { copyProject, REPO_ROOT, startEngine } from './support/engine-fixture.ts';

const PROJECT = `${REPO_ROOT}/test/fixtures/schedules-sns-eventbridge/events-project`;
type Started = Awaited<ReturnType<typeof startEngine>>;

function client(url: string): EventBridgeClient {
  return new EventBridgeClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLAMBDADESKTEST', secretAccessKey: 'lambdadesk-test-secret' }, maxAttempts: 1 });
}

/** Results of the async invokes a routed event caused, once they have all run. */
async function invocationsFor(engine: Started, settled: AsyncDisposition[], requestIds: string[]): Promise<Map<string, { functionName: string; event: unknown }>> {
  const out = new Map<string, { functionName: string; event: unknown }>();
  for (let i = 0; i < 1200 && out.size < requestIds.length; i++) {
    for (const d of settled) {
      if (d.kind === 'succeeded' && requestIds.includes(d.event.requestId)) out.set(d.event.functionName, JSON.parse(d.result.payload.toString('utf8')) as { functionName: string; event: unknown });
      if (d.kind === 'failed' && requestIds.includes(d.event.requestId)) throw new Error(`${d.event.functionName} failed: ${d.reason} ${d.error ?? d.result?.payload.toString() ?? ''}`);
    }
    if (out.size < requestIds.length) await new Promise((r) => setTimeout(r, 100));
  }
  return out;
}

describe('EventBridge with functions as host processes', () => {
  let engine: Started;
  let eventbridge: EventBridgeService;
  const settled: AsyncDisposition[] = [];

  beforeAll(async () => {
    engine = await startEngine(copyProject(PROJECT), { sandbox: 'process' });
    eventbridge = engine.services.get('eventbridge') as EventBridgeService;
    engine.asyncQueue.events.on('async:settled', (d) => settled.push(d));
  });
  afterAll(async () => {
    await engine?.stop();
  });

  test('PutEvents through the SDK invokes the rule target with the EventBridge event shape', async () => {
    const routed = new Promise<EventRouted>((resolve) => eventbridge.events.once('events:routed', resolve));
    const out = await client(engine.url).send(
      new PutEventsCommand({
        Entries: [{ EventBusName: 'orders-bus', Source: 'com.shop.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ orderId: 'A-1', total: 250, express: true }), Resources: ['arn:aws:s3:::shop'] }],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
    const eventId = out.Entries?.[0]?.EventId;
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
    const { deliveries } = await routed;
    // Rules without a name get CloudFormation's `<stack>-<LogicalId>`; the stack is the (random) project folder.
    const stack = stackNameFromFolder(engine.model().dir);
    expect(deliveries.map((d) => `${d.ruleName}->${d.targetArn.split(':').at(-1)}:${d.outcome}`).sort()).toEqual([`${stack}-OrderPlacedPlaced->OrderPlaced:queued`, `${stack}-ShipRule->Shipper:queued`]);

    const invoked = await invocationsFor(engine, settled, deliveries.map((d) => d.requestId!));
    const event = invoked.get('OrderPlaced')!.event as Record<string, unknown>;
    expect(Object.keys(event)).toEqual(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
    expect(event).toMatchObject({ version: '0', id: eventId, 'detail-type': 'OrderPlaced', source: 'com.shop.orders', account: '123456789012', region: 'us-east-1', resources: ['arn:aws:s3:::shop'], detail: { orderId: 'A-1', total: 250, express: true } });
    expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // The AWS::Events::Rule's InputTransformer: values inside strings as text, outside as JSON.
    expect(invoked.get('Shipper')!.event).toEqual({ ship: 'A-1', amount: 250, note: 'order A-1 ships' });
  });

  test('aws events put-events (CLI v2) on the default bus: InputPath gives the detail only; non-matching events go nowhere', async () => {
    const seen: Array<{ deliveries: Array<{ requestId?: string }> }> = [];
    eventbridge.events.on('events:routed', (r) => seen.push(r));
    const entries = [
      { Source: 'com.example.fleet', DetailType: 'StateChange', Detail: JSON.stringify({ vehicle: 'v-9', state: 'parked' }) },
      { Source: 'com.example.fleet', DetailType: 'StateChange', Detail: JSON.stringify({ vehicle: 'v-9', state: 'pending' }) },
    ];
    const result = await awsCli(['events', 'put-events', '--entries', JSON.stringify(entries)], engine.url);
    expect(result.code, result.stderr).toBe(0);
    const response = JSON.parse(result.stdout) as { FailedEntryCount: number; Entries: Array<{ EventId: string }> };
    expect(response.FailedEntryCount).toBe(0);
    expect(response.Entries).toHaveLength(2);
    expect(seen.map((r) => r.deliveries.length)).toEqual([1, 0]);
    const invoked = await invocationsFor(engine, settled, [seen[0]!.deliveries[0]!.requestId!]);
    expect(invoked.get('FleetWatcher')!.event).toEqual({ vehicle: 'v-9', state: 'parked' });
  });

  test('malformed entries get AWS per-entry errors; the rest go through', async () => {
    const out = await client(engine.url).send(
      new PutEventsCommand({
        Entries: [
          { Source: 'com.shop.orders', DetailType: 'OrderPlaced', Detail: '{not json' },
          { Source: 'com.shop.orders', DetailType: 'OrderPlaced', Detail: '[1,2]' },
          { DetailType: 'OrderPlaced', Detail: '{}' },
          { Source: 'aws.ec2', DetailType: 'x', Detail: '{}' },
          { Source: 'com.shop.orders', DetailType: 'OrderPlaced', Detail: '{}', EventBusName: 'nope' },
          { Source: 'com.shop.orders', DetailType: 'Other', Detail: '{}' },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(5);
    expect(out.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual(['MalformedDetail', 'MalformedDetail', 'InvalidArgument', 'NotAuthorizedForSourceException', 'ResourceNotFoundException', 'ok']);
    expect(out.Entries?.[0]?.ErrorMessage).toBe('Detail is malformed.');
    expect(out.Entries?.[2]?.ErrorMessage).toBe('Parameter Source is not valid. Reason: Source is a required argument.');
    expect(out.Entries?.[4]?.ErrorMessage).toBe('Event bus nope does not exist.');
  });

  test('request-level errors: too many entries, invalid pattern, a body that is not JSON', async () => {
    const eleven = Array.from({ length: 11 }, () => ({ Source: 'a.b', DetailType: 'x', Detail: '{}' }));
    const tooMany = await awsCli(['events', 'put-events', '--entries', JSON.stringify(eleven)], engine.url);
    expect(tooMany.code).toBe(254);
    expect(tooMany.stderr).toContain('(ValidationException) when calling the PutEvents operation: 1 validation error detected');

    const badPattern = await awsCli(['events', 'test-event-pattern', '--event-pattern', '{"source":[{"prefixx":"a"}]}', '--event', '{"source":"a"}'], engine.url);
    expect(badPattern.code).toBe(254);
    expect(badPattern.stderr).toContain('(InvalidEventPatternException) when calling the TestEventPattern operation: Event pattern is not valid. Reason: Unrecognized match type prefixx');
    await expect(client(engine.url).send(new TestEventPatternCommand({ EventPattern: '{"detail":{"n":[{"numeric":[">","x"]}]}}', Event: '{}' }))).rejects.toBeInstanceOf(InvalidEventPatternException);
    const ok = await client(engine.url).send(new TestEventPatternCommand({ EventPattern: '{"source":[{"prefix":"com."}]}', Event: JSON.stringify({ source: 'com.shop' }) }));
    expect(ok.Result).toBe(true);

    const raw = await fetch(engine.url, { method: 'POST', headers: { 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' }, body: 'not json' });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ __type: 'SerializationException' });

    const rules = await client(engine.url).send(new ListRulesCommand({ EventBusName: 'orders-bus' }));
    const stack = stackNameFromFolder(engine.model().dir);
    expect(rules.Rules?.map((r) => r.Name).sort()).toEqual([`${stack}-OrderPlacedPlaced`, `${stack}-ShipRule`]);
    // Still serving.
    expect((await client(engine.url).send(new PutEventsCommand({ Entries: [{ Source: 'a.b', DetailType: 'x', Detail: '{}' }] }))).FailedEntryCount).toBe(0);
  });
});

const hasDocker = await dockerAvailable();
describe.runIf(hasDocker)('EventBridge with the function in Docker', () => {
  let engine: Started;
  const settled: AsyncDisposition[] = [];
  beforeAll(async () => {
    engine = await startEngine(copyProject(PROJECT), { sandbox: 'docker' });
    engine.asyncQueue.events.on('async:settled', (d) => settled.push(d));
    await engine.invoker.prepare(engine.model().functions.find((f) => f.functionName === 'OrderPlaced')!);
  });
  afterAll(async () => {
    await engine?.stop();
  });

  test('a rule invokes a Docker sandbox with the event', async () => {
    const eventbridge = engine.services.get('eventbridge') as EventBridgeService;
    const routed = await eventbridge.putEvent({ busName: 'orders-bus', source: 'com.shop.orders', detailType: 'OrderPlaced', detail: { orderId: 'D-1', total: 5 } });
    expect(routed.deliveries.map((d) => d.targetArn.split(':').at(-1))).toEqual(['OrderPlaced']);
    const invoked = await invocationsFor(engine, settled, [routed.deliveries[0]!.requestId!]);
    expect(invoked.get('OrderPlaced')!.event).toMatchObject({ source: 'com.shop.orders', 'detail-type': 'OrderPlaced', detail: { orderId: 'D-1', total: 5 } });
    expect(settled.find((d) => d.event.requestId === routed.deliveries[0]!.requestId)?.result?.record.sandboxKind).toBe('docker');
  });
});
