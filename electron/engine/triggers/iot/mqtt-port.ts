import { InvalidParameterValueError } from '../../errors.ts';

/** MQTT's registered port; `LAMBDADESK_MQTT_PORT` overrides it (0 picks a free one). */
export const DEFAULT_MQTT_PORT = 1883;

export function mqttPort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.LAMBDADESK_MQTT_PORT;
  if (raw === undefined || raw === '') return DEFAULT_MQTT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new InvalidParameterValueError(`LAMBDADESK_MQTT_PORT must be a port number from 0 to 65535, not "${raw}".`, 'Unset it for the default 1883, or set a free port (0 picks one).');
  return port;
}
