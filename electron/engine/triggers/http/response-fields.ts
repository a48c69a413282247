import { validateHeaderName, validateHeaderValue } from 'node:http';

/** Parses the function's output as JSON, or says why it is not. */
export function parseOutput(payload: Buffer): { value: unknown } | { problem: string } {
  const text = payload.toString('utf8');
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { problem: `the function's output is not JSON: ${text.length > 80 ? `${text.slice(0, 80)}…` : text}` };
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `statusCode` as a whole number from 100 to 599; API Gateway also takes it as text. */
export function readStatusCode(value: unknown): number | string {
  const code = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 100 || code > 599) {
    return `statusCode ${JSON.stringify(value)} is not an HTTP status from 100 to 599`;
  }
  return code;
}

/** A header value as API Gateway accepts it: text, a number or a boolean. */
export function headerText(name: string, value: unknown): string | { problem: string } {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    return { problem: `header ${name} has a ${value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value} value; use text` };
  }
  const text = String(value);
  try {
    validateHeaderName(name);
    validateHeaderValue(name, text);
  } catch (err) {
    return { problem: `header ${JSON.stringify(name)} cannot be sent: ${(err as Error).message}` };
  }
  return text;
}

/** Reads `headers` (single values) into pairs, or the first problem. */
export function readHeaderMap(value: unknown, field: string): Array<[string, string]> | { problem: string } {
  if (value === undefined || value === null) return [];
  if (!isPlainObject(value)) return { problem: `${field} must be an object of header names to values` };
  const pairs: Array<[string, string]> = [];
  for (const [name, raw] of Object.entries(value)) {
    const text = headerText(name, raw);
    if (typeof text !== 'string') return text;
    pairs.push([name, text]);
  }
  return pairs;
}

/** Reads `multiValueHeaders` (lists of values) into pairs, or the first problem. */
export function readMultiHeaderMap(value: unknown, field: string): Array<[string, string]> | { problem: string } {
  if (value === undefined || value === null) return [];
  if (!isPlainObject(value)) return { problem: `${field} must be an object of header names to lists of values` };
  const pairs: Array<[string, string]> = [];
  for (const [name, raw] of Object.entries(value)) {
    if (!Array.isArray(raw)) return { problem: `${field}.${name} must be a list of values` };
    for (const item of raw) {
      const text = headerText(name, item);
      if (typeof text !== 'string') return text;
      pairs.push([name, text]);
    }
  }
  return pairs;
}

/** The response body: text, or nothing. */
export function readBodyText(value: unknown): string | { problem: string } {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') return { problem: `body must be a string (use JSON.stringify), not ${Array.isArray(value) ? 'a list' : typeof value}` };
  return value;
}

export function findHeader(pairs: ReadonlyArray<readonly [string, string]>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return pairs.find(([key]) => key.toLowerCase() === wanted)?.[1];
}
