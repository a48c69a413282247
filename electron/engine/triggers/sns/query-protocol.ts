import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../../http/aws-request.ts';
import { toLambdaDeskError } from '../../errors.ts';

/**
 * AWS's query protocol, as SNS speaks it: form-encoded `Action=…&Version=…` parameters in (lists
 * as `X.member.N`, maps as `X.entry.N.key/value`) and XML out. Both the AWS CLI and the SDK
 * (`@aws-sdk/client-sns`) send exactly this.
 */
export type QueryParams = ReadonlyMap<string, string>;

export async function readQueryParams(req: IncomingMessage, url: URL, limitBytes: number): Promise<QueryParams> {
  const params = new Map<string, string>(url.searchParams);
  if (req.method === 'POST') {
    const body = (await readBody(req, limitBytes)).toString('utf8');
    for (const [key, value] of new URLSearchParams(body)) params.set(key, value);
  }
  return params;
}

/** The parameters under `prefix.`, with the prefix taken off. */
export function under(params: QueryParams, prefix: string): QueryParams {
  const out = new Map<string, string>();
  const head = `${prefix}.`;
  for (const [key, value] of params) if (key.startsWith(head)) out.set(key.slice(head.length), value);
  return out;
}

/** `X.member.1…`, `X.entry.1…`: the numbered items, in order, each as its own parameters. */
export function numbered(params: QueryParams, prefix: string, item: 'member' | 'entry'): QueryParams[] {
  const all = under(params, `${prefix}.${item}`);
  const indexes = new Set<number>();
  for (const key of all.keys()) {
    const n = Number(key.split('.')[0]);
    if (Number.isInteger(n) && n > 0) indexes.add(n);
  }
  return [...indexes].sort((a, b) => a - b).map((n) => under(all, String(n)));
}

/** A string-to-string map such as `Attributes.entry.N.key` / `.value`. */
export function stringMap(params: QueryParams, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of numbered(params, prefix, 'entry')) {
    const key = entry.get('key');
    if (key !== undefined) out[key] = entry.get('value') ?? '';
  }
  return out;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** `<Name>value</Name>`, escaped; nothing for undefined. */
export function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function xmlMap(entries: Record<string, string>): string {
  return Object.entries(entries)
    .map(([key, value]) => `<entry>${el('key', key)}${el('value', value)}</entry>`)
    .join('');
}

export function sendQueryResult(res: ServerResponse, xmlns: string, action: string, resultXml: string | undefined, requestId: string): void {
  const result = resultXml === undefined ? '' : `<${action}Result>${resultXml}</${action}Result>`;
  const body = `<?xml version="1.0"?>\n<${action}Response xmlns="${xmlns}">${result}<ResponseMetadata>${el('RequestId', requestId)}</ResponseMetadata></${action}Response>\n`;
  res.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': requestId });
  res.end(body);
}

/** Query-protocol errors: the SDK reads `<Code>` to pick the exception; `Type` says whose fault it was. */
export function sendQueryError(res: ServerResponse, xmlns: string, err: unknown, requestId: string): void {
  const e = toLambdaDeskError(err);
  if (res.headersSent) {
    res.destroy(e);
    return;
  }
  const code = e.status >= 500 ? 'InternalError' : e.awsName;
  const body = `<?xml version="1.0"?>\n<ErrorResponse xmlns="${xmlns}"><Error>${el('Type', e.status >= 500 ? 'Receiver' : 'Sender')}${el('Code', code)}${el('Message', e.message)}</Error>${el('RequestId', requestId)}</ErrorResponse>\n`;
  res.writeHead(e.status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': requestId });
  res.end(body);
}
