import { isBinaryType, mediaType } from './binary-media.ts';
import type { GatewayResponse, MalformedResponse } from './gateway-response.ts';
import { findHeader, isPlainObject, parseOutput, readBodyText, readHeaderMap, readMultiHeaderMap, readStatusCode } from './response-fields.ts';

const PROXY_RESPONSE_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/** REST APIs rename these response headers to `x-amzn-Remapped-<name>` instead of passing them on. */
const REMAPPED = new Set([
  'authorization', 'connection', 'content-md5', 'date', 'expect', 'host', 'max-forwards', 'proxy-authenticate',
  'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'via', 'www-authenticate',
]);

export interface ResponseV1Options {
  /** REST rejects keys other than the five of a proxy response; HTTP APIs require `statusCode`. */
  api: 'rest' | 'http';
  /** REST only: a base64 body is decoded when the response type (or the request's first Accept type) is one of these. */
  binaryMediaTypes: readonly string[];
  accept?: string;
}

/**
 * Payload format 1.0's response: `statusCode`, `headers` merged with `multiValueHeaders` (a value
 * given in both appears once), `body` and `isBase64Encoded`. Anything else is malformed, which
 * API Gateway answers with 502.
 */
export function mapResponseV1(payload: Buffer, options: ResponseV1Options): GatewayResponse | MalformedResponse {
  const parsed = parseOutput(payload);
  if ('problem' in parsed) return { malformed: parsed.problem };
  const output = parsed.value;
  if (!isPlainObject(output)) return { malformed: 'the output must be an object with statusCode and body' };
  if (options.api === 'rest') {
    const unknown = Object.keys(output).filter((key) => !PROXY_RESPONSE_KEYS.has(key));
    if (unknown.length > 0) return { malformed: `unexpected keys ${unknown.join(', ')}; a proxy response has only statusCode, headers, multiValueHeaders, body and isBase64Encoded` };
  }
  if (output.statusCode === undefined && options.api === 'http') return { malformed: 'statusCode is missing (HTTP APIs with payload format 1.0 require it)' };
  const status = output.statusCode === undefined ? 200 : readStatusCode(output.statusCode);
  if (typeof status === 'string') return { malformed: status };
  const single = readHeaderMap(output.headers, 'headers');
  if ('problem' in single) return { malformed: single.problem };
  const multi = readMultiHeaderMap(output.multiValueHeaders, 'multiValueHeaders');
  if ('problem' in multi) return { malformed: multi.problem };
  const body = readBodyText(output.body);
  if (typeof body !== 'string') return { malformed: body.problem };

  const headers = mergeHeaders(single, multi);
  if (!findHeader(headers, 'content-type')) headers.push(['Content-Type', 'application/json']);
  const encoded = output.isBase64Encoded === true;
  const decode = encoded && (options.api === 'http' || shouldDecodeRest(findHeader(headers, 'content-type'), options));
  return {
    status,
    headers: options.api === 'rest' ? remap(headers) : headers,
    body: decode ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8'),
  };
}

/** Values from `multiValueHeaders` win; a `headers` value not among them is added to the list. */
function mergeHeaders(single: Array<[string, string]>, multi: Array<[string, string]>): Array<[string, string]> {
  const merged = [...multi];
  for (const [name, value] of single) {
    const lower = name.toLowerCase();
    if (!merged.some(([key, v]) => key.toLowerCase() === lower && v === value)) merged.push([name, value]);
  }
  return merged;
}

function shouldDecodeRest(contentType: string | undefined, options: ResponseV1Options): boolean {
  if (isBinaryType(mediaType(contentType), options.binaryMediaTypes)) return true;
  // API Gateway compares only the first type the client accepts, literally: `Accept: */*` counts
  // only when `*/*` itself is a binary media type.
  return isBinaryType(mediaType(options.accept?.split(',')[0]), options.binaryMediaTypes);
}

function remap(headers: Array<[string, string]>): Array<[string, string]> {
  return headers.map(([name, value]) => (REMAPPED.has(name.toLowerCase()) ? [`x-amzn-Remapped-${name}`, value] : [name, value]));
}
