import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { z } from 'zod';
import type { AppEvent, Channel, Reply, Req, Res } from '../contract.ts';
import { InvalidRequestError, statusOf, toErrorReply, UnknownChannelError } from '../control/control-errors.ts';
import { InvalidRequestContentError, RequestTooLargeError } from '../errors.ts';
import { acceptUpgrade, type WebSocketConnection } from '../control/websocket.ts';
import { checkHostAndOrigin, checkToken } from './control-api-guard.ts';
import { serveStatic } from './control-api-static.ts';

export interface ControlApiOptions {
  host?: string;
  /** 0 picks a free port (the default: the control API is found through the printed URL). */
  port?: number;
  /** Default: 32 random bytes, new every run. */
  token?: string;
  /** The built renderer (dist/renderer); without it only the API is served. */
  staticDir?: string;
  /** Subscribes to the events sent to every WebSocket client; returns the unsubscribe. */
  subscribe: (listener: (event: AppEvent) => void) => () => void;
}

const MAX_BODY_BYTES = 8 * 1024 * 1024;
type Route = { schema: z.ZodType<unknown>; run: (request: unknown) => Promise<unknown> };

/**
 * Browser mode's door to the engine: the ChannelMap over HTTP (POST /api/<channel>, JSON in and
 * a Reply out), AppEvents over a WebSocket at /api/events, and the built renderer at /.
 * Loopback only, a per-run token, and foreign Host/Origin headers refused.
 */
export class ControlApi {
  readonly token: string;
  private readonly routes = new Map<string, Route>();
  private readonly clients = new Set<WebSocketConnection>();
  private readonly server: Server;
  private unsubscribe?: () => void;

  constructor(private readonly options: ControlApiOptions) {
    this.token = options.token ?? randomBytes(32).toString('base64url');
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex) => this.onUpgrade(req, socket));
  }

  route<C extends Channel>(channel: C, schema: z.ZodType<Req<C>>, run: (request: Req<C>) => Promise<Res<C>>): this {
    this.routes.set(channel, { schema, run: run as (request: unknown) => Promise<unknown> });
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo | null)?.port ?? 0;
  }

  /** Where the UI is: open this in a browser. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/?token=${this.token}`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    this.unsubscribe = this.options.subscribe((event) => {
      const text = JSON.stringify(event);
      for (const client of this.clients) client.send(text);
    });
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    for (const client of this.clients) client.close(1001);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const guard = checkHostAndOrigin(req, this.port);
    if (!guard.ok) return sendText(res, guard.status ?? 403, guard.reason ?? 'Forbidden');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/api/')) return this.onApi(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed');
    if (this.options.staticDir && (await serveStatic(this.options.staticDir, url.pathname, res, this.port).catch(() => false))) return;
    sendText(res, 404, this.options.staticDir ? 'Not found' : 'The renderer is not built: run `npm run build:renderer`.');
  }

  private async onApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const auth = checkToken(req, url, this.token);
    if (!auth.ok) return sendJson(res, auth.status ?? 401, { error: { name: 'Unauthorized', message: auth.reason ?? '' } });
    if (req.method !== 'POST') return sendJson(res, 405, { error: { name: 'MethodNotAllowed', message: 'Use POST /api/<channel> with a JSON body.' } });
    // A simple cross-site form post cannot send JSON with this content type without a preflight.
    if (!req.headers['content-type']?.startsWith('application/json')) return sendJson(res, 415, { error: { name: 'UnsupportedMediaType', message: 'Send Content-Type: application/json.' } });
    const channel = decodeURIComponent(url.pathname.slice('/api/'.length));
    try {
      const route = this.routes.get(channel);
      if (!route) throw new UnknownChannelError(channel, [...this.routes.keys()] as Channel[]);
      const raw = await readJson(req);
      const parsed = route.schema.safeParse(raw);
      if (!parsed.success) throw new InvalidRequestError(channel, parsed.error);
      const result = await route.run(parsed.data);
      sendJson(res, 200, { result: result ?? null } satisfies Reply<unknown>);
    } catch (err) {
      sendJson(res, statusOf(err), { error: toErrorReply(err) } satisfies Reply<unknown>);
    }
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const verdict = [checkHostAndOrigin(req, this.port), checkToken(req, url, this.token)].find((v) => !v.ok);
    if (verdict || url.pathname !== '/api/events') {
      socket.end(`HTTP/1.1 ${verdict?.status ?? 404} ${verdict ? 'Forbidden' : 'Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const client = acceptUpgrade(req, socket);
    if (!client) return;
    this.clients.add(client);
    client.onClose = () => this.clients.delete(client);
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new RequestTooLargeError(`Request body is over ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InvalidRequestContentError(`Request body is not JSON: ${(err as Error).message}`);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end(text);
}
