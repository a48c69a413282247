import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { generateSampleEvent, listSampleEvents, SAMPLE_EVENTS, urlQuote } from './sample-event-library.ts';

/**
 * LambdaDesk's sample events are its own code; SAM CLI's templates (shared/reference, outside the
 * repository) are the spec. Each event is rendered both ways with the same values and compared
 * field for field.
 */
const REFERENCE = resolve(import.meta.dirname, '../../../../../shared/reference/sam-events');
const hasReference = existsSync(join(REFERENCE, 'event-mapping.json'));
if (!hasReference) console.warn(`Skipping the sample-event comparison: ${REFERENCE} is not here (the reference is not part of the repository).`);

interface Tag {
  default?: string;
  type?: string;
  encoding?: string;
  children?: Record<string, { hashing?: string }>;
}
type Mapping = Record<string, Record<string, { filename: string; help: string; tags: Record<string, Tag> }>>;

const mapping = (): Mapping => JSON.parse(readFileSync(join(REFERENCE, 'event-mapping.json'), 'utf8')) as Mapping;

/** SAM's generate-event: encode, hash children, mustache-render the pretty-printed template, restore dicts. */
function renderReference(service: string, event: string, given: Record<string, string>): unknown {
  const entry = mapping()[service]![event]!;
  const values: Record<string, string> = {};
  const dicts: Record<string, string> = {};
  for (const [tag, props] of Object.entries(entry.tags)) {
    const raw = given[tag] ?? props.default ?? '';
    const key = tag.replace(/-/g, '_');
    if (props.type === 'dict') {
      dicts[tag] = raw;
      values[key] = `__DICT_PLACEHOLDER_${tag}__`;
      continue;
    }
    values[key] = props.encoding === 'base64' ? Buffer.from(raw, 'utf8').toString('base64') : props.encoding === 'url' ? urlQuote(raw) : raw;
    for (const [child, childProps] of Object.entries(props.children ?? {})) {
      if (childProps.hashing === 'md5') values[child] = createHash('md5').update(raw).digest('hex');
    }
  }
  const text = JSON.stringify(JSON.parse(readFileSync(join(REFERENCE, service, `${entry.filename}.json`), 'utf8')), null, 2);
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const rendered = text.replace(/\{\{\{\s*([\w-]+)\s*\}\}\}|\{\{\s*([\w-]+)\s*\}\}/g, (_m, triple?: string, double?: string) => (triple !== undefined ? (values[triple] ?? '') : escape(values[double!] ?? '')));
  const parsed = JSON.parse(rendered) as Record<string, unknown>;
  for (const [tag, raw] of Object.entries(dicts)) {
    const key = Object.keys(parsed).find((k) => k.toLowerCase() === tag.toLowerCase());
    if (key && parsed[key] === `__DICT_PLACEHOLDER_${tag}__`) parsed[key] = JSON.parse(raw);
  }
  return parsed;
}

function entries(): Array<[string, string]> {
  return Object.entries(mapping()).flatMap(([service, events]) => Object.keys(events).map((event): [string, string] => [service, event]));
}

describe.runIf(hasReference)('sample events match SAM CLI’s templates', () => {
  test('the library has every service and event of event-mapping.json, and nothing else', () => {
    const ours = SAMPLE_EVENTS.map((d) => `${d.service} ${d.event}`).sort();
    expect(ours).toEqual(entries().map(([s, e]) => `${s} ${e}`).sort());
  });

  test.each(hasReference ? entries() : [])('%s %s: help, parameters, defaults and encodings', (service, event) => {
    const entry = mapping()[service]![event]!;
    const ours = listSampleEvents(service).find((d) => d.event === event)!;
    expect(ours.help).toBe(entry.help);
    expect(Object.fromEntries(ours.parameters.map((p) => [p.name, { default: p.default, encoding: p.encoding }]))).toEqual(
      Object.fromEntries(Object.entries(entry.tags).map(([tag, t]) => [tag, { default: t.default, encoding: t.encoding }])),
    );
  });

  test.each(hasReference ? entries() : [])('%s %s rendered with the defaults', (service, event) => {
    expect(generateSampleEvent(service, event)).toEqual(renderReference(service, event, {}));
  });

  test.each(hasReference ? entries() : [])('%s %s rendered with given values', (service, event) => {
    const tags = mapping()[service]![event]!.tags;
    const given = Object.fromEntries(
      Object.entries(tags).map(([tag, t]) => [tag, t.type === 'dict' ? '{"given": "yes", "n": 2}' : t.encoding === 'url' ? `dir/${tag} file+(1).txt` : `given-${tag}-7`]),
    );
    const ours = generateSampleEvent(service, event, given);
    expect(ours).toEqual(renderReference(service, event, given));
    // Every value given shows up somewhere (no placeholder is left unwired).
    const text = JSON.stringify(ours);
    for (const [tag, t] of Object.entries(tags)) {
      if (t.type === 'dict') continue;
      const value = given[tag]!;
      const expected = t.encoding === 'base64' ? Buffer.from(value).toString('base64') : t.encoding === 'url' ? urlQuote(value) : value;
      if (!JSON.stringify(renderReference(service, event, given)).includes(expected)) continue; // SAM's template ignores this tag too
      expect(text).toContain(expected);
    }
  });
});

describe('sample event rendering', () => {
  test('derived values: SQS md5OfBody is the MD5 of the raw body', () => {
    const event = generateSampleEvent('sqs', 'receive-message', { body: 'hello' }) as { Records: Array<{ body: string; md5OfBody: string }> };
    expect(event.Records[0]!.body).toBe('hello');
    expect(event.Records[0]!.md5OfBody).toBe('5d41402abc4b2a76b9719d911017c592');
  });

  test('encodings: base64 bodies and URL-encoded S3 keys (Python quote: "/" kept, "(" escaped)', () => {
    const proxy = generateSampleEvent('apigateway', 'aws-proxy', { body: '{"a":1}', querystringparameters: '{"q": "1"}' }) as { body: string; queryStringParameters: unknown };
    expect(proxy.body).toBe('eyJhIjoxfQ==');
    expect(proxy.queryStringParameters).toEqual({ q: '1' });
    const put = generateSampleEvent('s3', 'put', { key: 'photos/my cat (1).jpg' }) as { Records: Array<{ s3: { object: { key: string } } }> };
    expect(put.Records[0]!.s3.object.key).toBe('photos/my%20cat%20%281%29.jpg');
  });

  test('mistakes name what is allowed', () => {
    expect(() => generateSampleEvent('nope', 'x')).toThrow(/no sample event service "nope"/);
    expect(() => generateSampleEvent('s3', 'get')).toThrow('Service "s3" has no sample event "get".');
    expect(() => generateSampleEvent('s3', 'put', { colour: 'red' })).toThrow('s3 put has no parameter "colour".');
    expect(() => generateSampleEvent('apigateway', 'aws-proxy', { querystringparameters: 'a=b' })).toThrow('--querystringparameters must be JSON');
    expect((generateSampleEvent('sqs', 'receive-message', { queue_name: 'jobs' }) as { Records: Array<{ eventSourceARN: string }> }).Records[0]!.eventSourceARN).toMatch(/:jobs$/);
  });
});
