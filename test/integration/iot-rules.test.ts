/** IoTRule events: real MQTT clients publish to the embedded broker; matching rules invoke their function. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { IotService } from '../../electron/engine/triggers/iot/iot-service.ts';
import { awsCli } from './support/aws-clients.ts';
import { copyProject, REPO_ROOT, startEngine } from './support/engine-fixture.ts';
import { PIPELINE, until, watchLogs } from '../fixtures/streams/stream-test-helpers.ts';

const MOSQUITTO_PUB = '/usr/bin/mosquitto_pub';
/** Debian's mosquitto-clients; LAMBDADESK_REQUIRE_MOSQUITTO=1 (CI) turns its absence into a failure instead of a skip. */
const hasMosquitto = existsSync(MOSQUITTO_PUB);
if (!hasMosquitto && process.env.LAMBDADESK_REQUIRE_MOSQUITTO === '1') throw new Error('LAMBDADESK_REQUIRE_MOSQUITTO=1 but mosquitto_pub is missing: apt-get install mosquitto-clients.');
if (!hasMosquitto) console.warn('Skipping the mosquitto_pub test: apt-get install mosquitto-clients to run it.');
let engine: Awaited<ReturnType<typeof startEngine>>;
let logs: ReturnType<typeof watchLogs>;
let port: string;

function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(file, args, { timeout: 60_000, env }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr })),
  );
}

const publish = (topic: string, message: unknown) => run(MOSQUITTO_PUB, ['-h', '127.0.0.1', '-p', port, '-q', '1', '-i', 'thermostat-7', '-t', topic, '-m', JSON.stringify(message)]);

beforeAll(async () => {
  process.env.LAMBDADESK_MQTT_PORT = '0';
  engine = await startEngine(copyProject(PIPELINE), { sandbox: 'process', apiPort: 0 });
  logs = watchLogs(engine);
  port = new URL((engine.services.get('iot') as IotService).brokerUrl()!).port;
});

afterAll(async () => {
  await engine?.stop();
});

test.skipIf(!hasMosquitto)('mosquitto_pub on a matching topic invokes the rule function with the selected fields; other topics and a false WHERE do not', async () => {
  expect((await publish('sensors/attic/telemetry', { temp: 20, state: { mode: 'idle' } })).code).toBe(0); // WHERE temp > 30 is false
  expect((await publish('sensors/attic/status', { temp: 50 })).code).toBe(0); // topic does not match
  expect((await publish('other/attic/telemetry', { temp: 50 })).code).toBe(0); // topic does not match
  expect((await publish('sensors/kitchen/telemetry', { temp: 35, humidity: 40, state: { mode: 'heat' } })).code).toBe(0);
  const [match] = await until('the matching message', () => logs.iot.length >= 1 && logs.iot);
  expect(match).toEqual({ functionName: 'Telemetry', event: { temp: 35, mode: 'heat', device: 'kitchen', client: 'thermostat-7' } });
  // QoS 1: the broker acknowledged each message only after the rules had queued their invokes,
  // so anything else that matched would be in the queue (or done) by now.
  await engine.asyncQueue.drain();
  expect(logs.iot).toHaveLength(1);
});

test('lambdadesk iot publish reaches the same rule', async () => {
  const message = '{"temp": 41, "state": {"mode": "cool"}}';
  const out = await run(process.execPath, [join(REPO_ROOT, 'bin/lambdadesk.js'), 'iot', 'publish', 'sensors/garage/telemetry', message, '--port', port, '--client-id', 'cli-device']);
  expect(out.stderr).toBe('');
  expect(out.stdout).toContain(`Published ${message.length} byte(s) to sensors/garage/telemetry`);
  const found = await until('the CLI message', () => logs.iot.find((m) => m.event.device === 'garage'));
  expect(found.event).toEqual({ temp: 41, mode: 'cool', device: 'garage', client: 'cli-device' });
});

test('aws iot-data publish (the IoT data plane on the AWS endpoint) reaches the rule too', async () => {
  const out = await awsCli(['iot-data', 'publish', '--topic', 'sensors/porch/telemetry', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"temp": 33, "state": {"mode": "fan"}}'], engine.url);
  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
  const found = await until('the data-plane message', () => logs.iot.find((m) => m.event.device === 'porch'));
  expect(found.event).toEqual({ temp: 33, mode: 'fan', device: 'porch', client: 'iot-data-plane' });
});
