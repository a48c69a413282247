import type { ServerResponse } from 'node:http';

/** What API Gateway sends back: status, headers in order (Set-Cookie may repeat) and body bytes. */
export interface GatewayResponse {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

/** A function's output that API Gateway cannot use; the reason goes to the log, the client gets a 502. */
export interface MalformedResponse {
  malformed: string;
}

export function isMalformed(value: GatewayResponse | MalformedResponse): value is MalformedResponse {
  return 'malformed' in value;
}

export function jsonResponse(status: number, body: unknown, headers: Array<[string, string]> = []): GatewayResponse {
  return { status, headers: [['Content-Type', 'application/json'], ...headers], body: Buffer.from(JSON.stringify(body)) };
}

export function hasHeader(response: GatewayResponse, name: string): boolean {
  const wanted = name.toLowerCase();
  return response.headers.some(([key]) => key.toLowerCase() === wanted);
}

/** Writes the response; Content-Length is always ours, whatever the function said. */
export function sendGatewayResponse(res: ServerResponse, response: GatewayResponse): void {
  const headers: Record<string, string | string[]> = {};
  const spelling = new Map<string, string>();
  for (const [name, value] of response.headers) {
    const lower = name.toLowerCase();
    if (lower === 'content-length' || lower === 'transfer-encoding' || lower === 'connection') continue;
    const key = spelling.get(lower) ?? name;
    spelling.set(lower, key);
    const existing = headers[key];
    headers[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  headers['Content-Length'] = String(response.body.length);
  res.writeHead(response.status, headers);
  res.end(response.body);
}
