import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Who may talk to the control API: only pages served by itself on loopback. A foreign Host
 * header means DNS rebinding (evil.example resolving to 127.0.0.1), a foreign Origin means
 * another site's page; both are refused before the token is even looked at.
 */
export interface GuardVerdict {
  ok: boolean;
  status?: number;
  reason?: string;
}

export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

export function checkHostAndOrigin(req: IncomingMessage, port: number): GuardVerdict {
  const hosts = allowedHosts(port);
  const host = req.headers.host?.toLowerCase();
  if (!host || !hosts.has(host)) return { ok: false, status: 421, reason: `Host '${host ?? ''}' is not this control API.` };
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      return { ok: false, status: 403, reason: `Origin '${origin}' is not a URL.` };
    }
    if (parsed.protocol !== 'http:' || !hosts.has(parsed.host.toLowerCase())) return { ok: false, status: 403, reason: `Origin '${origin}' may not use this control API.` };
  }
  return { ok: true };
}

/** The per-run token: `Authorization: Bearer …` for HTTP, `?token=` for the WebSocket (browsers cannot set its headers). */
export function checkToken(req: IncomingMessage, url: URL, token: string): GuardVerdict {
  const header = req.headers.authorization;
  const offered = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : (url.searchParams.get('token') ?? '');
  const a = Buffer.from(offered);
  const b = Buffer.from(token);
  if (a.length === b.length && timingSafeEqual(a, b)) return { ok: true };
  return { ok: false, status: 401, reason: 'Missing or wrong control API token. Open the URL that `lambdadesk serve --ui` printed.' };
}
