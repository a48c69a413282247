import type { GatewayResponse, MalformedResponse } from './gateway-response.ts';
import { findHeader, headerText, isPlainObject, parseOutput, readBodyText, readHeaderMap, readStatusCode } from './response-fields.ts';

/**
 * Payload format 2.0's response (HTTP APIs and Function URLs). An object with `statusCode` is
 * used as given: `headers`, each `cookies[]` entry as its own Set-Cookie, `body`, decoded when
 * `isBase64Encoded`. Any other valid JSON (an object without `statusCode`, a string, a number)
 * is the body itself, sent as JSON with 200.
 */
export function mapResponseV2(payload: Buffer): GatewayResponse | MalformedResponse {
  const parsed = parseOutput(payload);
  if ('problem' in parsed) return { malformed: parsed.problem };
  const output = parsed.value;
  if (!isPlainObject(output) || output.statusCode === undefined) {
    return { status: 200, headers: [['Content-Type', 'application/json']], body: payload };
  }
  const status = readStatusCode(output.statusCode);
  if (typeof status === 'string') return { malformed: status };
  const headers = readHeaderMap(output.headers, 'headers');
  if ('problem' in headers) return { malformed: headers.problem };
  const cookies = output.cookies ?? [];
  if (!Array.isArray(cookies)) return { malformed: 'cookies must be a list of Set-Cookie values' };
  for (const cookie of cookies) {
    const text = headerText('Set-Cookie', cookie);
    if (typeof text !== 'string') return { malformed: text.problem };
    headers.push(['Set-Cookie', text]);
  }
  const body = readBodyText(output.body);
  if (typeof body !== 'string') return { malformed: body.problem };
  if (!findHeader(headers, 'content-type')) headers.push(['Content-Type', 'application/json']);
  return { status, headers, body: Buffer.from(body, output.isBase64Encoded === true ? 'base64' : 'utf8') };
}
