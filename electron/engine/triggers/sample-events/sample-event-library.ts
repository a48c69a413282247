import { createHash } from 'node:crypto';
import { InvalidParameterValueError } from '../../errors.ts';
import type { SampleEventDefinition, SampleParameter } from './sample-event-types.ts';
import { SERVICE_SAMPLES } from './samples-services.ts';
import { STREAM_SAMPLES } from './samples-streams.ts';
import { VOICE_SAMPLES } from './samples-voice.ts';
import { WEB_SAMPLES } from './samples-web.ts';

/** Every service and event SAM CLI's `sam local generate-event` knows, authored for LambdaDesk. */
export const SAMPLE_EVENTS: readonly SampleEventDefinition[] = [...VOICE_SAMPLES, ...WEB_SAMPLES, ...STREAM_SAMPLES, ...SERVICE_SAMPLES];

export interface SampleEventSummary {
  service: string;
  event: string;
  help: string;
  parameters: SampleParameter[];
}

export function listSampleEvents(service?: string): SampleEventSummary[] {
  const all = SAMPLE_EVENTS.filter((d) => service === undefined || d.service === service);
  if (service !== undefined && all.length === 0) throw unknownService(service);
  return all.map(({ service: s, event, help, parameters }) => ({ service: s, event, help, parameters }));
}

export function sampleServices(): string[] {
  return [...new Set(SAMPLE_EVENTS.map((d) => d.service))].sort();
}

function unknownService(service: string): InvalidParameterValueError {
  return new InvalidParameterValueError(`There is no sample event service "${service}".`, `Services: ${sampleServices().join(', ')}.`);
}

/** Python's `urllib.parse.quote` (safe "/"), which SAM uses for S3 keys: `!'()*` are escaped too. */
export function urlQuote(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, '/');
}

/**
 * Renders one sample event with its defaults, overridden by `values` (keyed by parameter name;
 * `account_id` is accepted for `account-id`). Values are encoded (base64, URL) and derived
 * values hashed exactly as SAM's generator does, so the output matches `sam local generate-event`.
 */
export function generateSampleEvent(service: string, event: string, values: Readonly<Record<string, string>> = {}): unknown {
  const definition = SAMPLE_EVENTS.find((d) => d.service === service && d.event === event);
  if (!definition) {
    const events = SAMPLE_EVENTS.filter((d) => d.service === service).map((d) => d.event);
    if (events.length === 0) throw unknownService(service);
    throw new InvalidParameterValueError(`Service "${service}" has no sample event "${event}".`, `Events of ${service}: ${events.join(', ')}.`);
  }
  const byName = new Map(definition.parameters.map((p) => [p.name, p]));
  const raw: Record<string, string> = Object.fromEntries(definition.parameters.map((p) => [p.name, p.default]));
  for (const [given, value] of Object.entries(values)) {
    const name = byName.has(given) ? given : given.replace(/_/g, '-');
    if (!byName.has(name)) {
      const allowed = definition.parameters.map((p) => `--${p.name}`).join(', ') || 'none';
      throw new InvalidParameterValueError(`${service} ${event} has no parameter "${given}".`, `Parameters of ${service} ${event}: ${allowed}.`);
    }
    raw[name] = value;
  }
  const rendered: Record<string, string> = {};
  for (const p of definition.parameters) {
    const value = raw[p.name] ?? '';
    if (p.type === 'dict') {
      try {
        JSON.parse(value);
      } catch {
        throw new InvalidParameterValueError(`--${p.name} must be JSON, such as ${p.default}; got ${JSON.stringify(value)}.`);
      }
    }
    rendered[p.name] = p.encoding === 'base64' ? Buffer.from(value, 'utf8').toString('base64') : p.encoding === 'url' ? urlQuote(value) : value;
  }
  for (const d of definition.derived ?? []) rendered[d.name] = createHash('md5').update(raw[d.from] ?? '', 'utf8').digest('hex');
  return definition.build(rendered);
}
