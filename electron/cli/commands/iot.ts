import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { LambdaDeskError } from '../../engine/errors.ts';
import { DEFAULT_MQTT_PORT } from '../../engine/triggers/iot/mqtt-port.ts';
import { mqttPublish } from '../../engine/triggers/iot/mqtt-publish-client.ts';
import { type CliCommand, type CliIo, UsageError, writeLine } from '../cli-io.ts';
import { wholeNumber } from '../engine-options.ts';

/** The broker of `lambdadesk serve` could not be reached. */
class IotCommandError extends LambdaDeskError {
  readonly awsName = 'IotCommandError';
  readonly status = 400;
}

const USAGE = `Usage: lambdadesk iot publish TOPIC MESSAGE|--file FILE|- [--qos 0|1] [--host H] [--port P] [--json]

Publishes one MQTT message to the broker of a running \`lambdadesk serve\` (it runs one on
127.0.0.1:${DEFAULT_MQTT_PORT} when the template has IoTRule events; LAMBDADESK_MQTT_PORT moves it). Every
rule whose SELECT … FROM 'topic' WHERE … matches invokes its function asynchronously, as AWS IoT
does. Any MQTT client works too: mosquitto_pub -h 127.0.0.1 -p ${DEFAULT_MQTT_PORT} -t TOPIC -m MESSAGE.

  --qos 0|1        1 (default) waits until the broker has queued the rules' invocations
  --host H         broker address (default 127.0.0.1)
  --port P         broker port (default LAMBDADESK_MQTT_PORT or ${DEFAULT_MQTT_PORT})
  --client-id ID   what clientid() returns in the rules (default lambdadesk-cli)`;

export const iotCommand: CliCommand = {
  summary: 'Publish an MQTT message to the IoT rules of a running `lambdadesk serve`',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { host: { type: 'string' }, port: { type: 'string' }, qos: { type: 'string' }, file: { type: 'string' }, 'client-id': { type: 'string' }, json: { type: 'boolean' } },
    });
    const [action, topic, message] = positionals;
    if (action !== 'publish') throw new UsageError(action ? `Unknown action '${action}': use publish.` : 'Say what to do: publish.');
    if (!topic) throw new UsageError('Name the topic: lambdadesk iot publish sensors/kitchen/temp \'{"temp": 21}\'.');
    if (topic.includes('+') || topic.includes('#')) throw new UsageError(`Publish to a topic, not a filter: '${topic}' has a + or # wildcard.`);
    const qos = wholeNumber('qos', values.qos, 0, 1) ?? 1;
    const host = values.host ?? '127.0.0.1';
    const port = wholeNumber('port', values.port ?? (io.env.LAMBDADESK_MQTT_PORT || undefined), 1, 65_535) ?? DEFAULT_MQTT_PORT;
    const payload = await messageBytes(message, values.file, io);
    try {
      await mqttPublish({ host, port, topic, payload, qos: qos as 0 | 1, clientId: values['client-id'] ?? 'lambdadesk-cli' });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ECONNREFUSED') {
        throw new IotCommandError(`No MQTT broker answers at ${host}:${port}.`, 'Start `lambdadesk serve DIR` for a project with IoTRule events (the broker starts with them), or pass --port with the broker\'s port.');
      }
      throw new IotCommandError(`Publishing to ${host}:${port} failed: ${e.message}`);
    }
    const result = { topic, bytes: payload.length, qos, broker: `mqtt://${host}:${port}` };
    writeLine(io.stdout, values.json ? JSON.stringify(result, null, 2) : `Published ${payload.length} byte(s) to ${topic} at mqtt://${host}:${port}${qos === 1 ? ' (acknowledged)' : ''}.`);
    return 0;
  },
};

async function messageBytes(message: string | undefined, file: string | undefined, io: CliIo): Promise<Buffer> {
  if (file !== undefined) {
    return readFile(resolve(io.cwd, file)).catch((err: Error) => {
      throw new UsageError(`Cannot read the message file ${file}: ${err.message}`);
    });
  }
  if (message === '-') return buffer(io.stdin);
  if (message === undefined) throw new UsageError('Give the message as an argument, with --file FILE, or - for standard input.');
  return Buffer.from(message, 'utf8');
}
