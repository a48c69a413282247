import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request as http1Request } from 'node:http';
import { connect, constants, type ClientHttp2Session, type IncomingHttpHeaders, type IncomingHttpStatusHeader } from 'node:http2';
import { createConnection } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, expect, test } from 'vitest';
import { DualProtocolServer, type HttpExchangeHandler } from './dual-protocol-server.ts';

let server: DualProtocolServer | undefined;
const sessions: ClientHttp2Session[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) session.destroy();
  await server?.close();
  server = undefined;
});

async function serve(handler: HttpExchangeHandler): Promise<string> {
  server = new DualProtocolServer(handler, { keepAliveTimeoutMs: 65_000, maxHeaderBytes: 64 * 1024, firstBytesTimeoutMs: 60_000 });
  const { port } = await server.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${port}`;
}

function h2(url: string): ClientHttp2Session {
  const session = connect(url);
  session.on('error', () => undefined);
  sessions.push(session);
  return session;
}

type Answer = { status: number; headers: Record<string, unknown>; body: string; protocol: string };

async function overHttp2(url: string, path: string, init: { method?: string; body?: string } = {}): Promise<Answer> {
  const stream = h2(url).request({ ':method': init.method ?? 'GET', ':path': path });
  stream.end(init.body);
  const [headers] = (await once(stream, 'response')) as [IncomingHttpHeaders & IncomingHttpStatusHeader];
  let body = '';
  for await (const chunk of stream) body += String(chunk);
  const { ':status': status, ...rest } = headers;
  return { status: status!, headers: rest, body, protocol: 'h2' };
}

async function overHttp1(url: string, path: string, init: { method?: string; body?: string } = {}): Promise<Answer> {
  const req = http1Request(`${url}${path}`, { method: init.method ?? 'GET', agent: false });
  req.end(init.body);
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  let body = '';
  for await (const chunk of res) body += String(chunk);
  return { status: res.statusCode!, headers: res.headers, body, protocol: `http/${res.httpVersion}` };
}

/** Echoes what it was asked, in the HTTP/1 terms every service reads. */
const echo: HttpExchangeHandler = async (req, res) => {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  const text = JSON.stringify({ method: req.method, url: req.url, host: req.headers.host, body });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

test('HTTP/1.1 and HTTP/2 clients on one port reach the same handler with the same request', async () => {
  const url = await serve(echo);
  const [one, two] = await Promise.all([overHttp1(url, '/2015-03-31/functions?MaxItems=2', { method: 'POST', body: 'hi' }), overHttp2(url, '/2015-03-31/functions?MaxItems=2', { method: 'POST', body: 'hi' })]);
  expect(one.protocol).toBe('http/1.1');
  expect(two.protocol).toBe('h2');
  expect(JSON.parse(two.body)).toEqual(JSON.parse(one.body));
  // HTTP/2 sends :authority, not Host; handlers read Host.
  expect(JSON.parse(two.body)).toMatchObject({ method: 'POST', url: '/2015-03-31/functions?MaxItems=2', host: url.slice('http://'.length), body: 'hi' });
});

test('a streamed response written for HTTP/1.1 goes out over HTTP/2 as plain DATA frames', async () => {
  const url = await serve((req, res) => {
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('Keep-Alive', 'timeout=5');
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'transfer-encoding': 'chunked', 'x-amzn-requestid': 'r-1' });
    res.write('first,');
    setImmediate(() => res.end('second'));
  });
  const two = await overHttp2(url, '/stream');
  expect(two).toMatchObject({ status: 200, body: 'first,second' });
  expect(two.headers).toMatchObject({ 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'r-1' });
  expect(Object.keys(two.headers)).not.toContain('transfer-encoding');
  expect(Object.keys(two.headers)).not.toContain('connection');
  expect(Object.keys(two.headers)).not.toContain('keep-alive');
  // HTTP/1.1 keeps its chunked framing.
  const one = await overHttp1(url, '/stream');
  expect(one).toMatchObject({ status: 200, body: 'first,second' });
  expect(one.headers['transfer-encoding']).toBe('chunked');
});

test('header lists in writeHead lose their connection-specific entries too', async () => {
  const url = await serve((_req, res) => {
    res.writeHead(201, ['content-type', 'text/plain', 'Transfer-Encoding', 'chunked', 'te', 'gzip', 'x-kept', 'yes']);
    res.end('ok');
  });
  const two = await overHttp2(url, '/list');
  expect(two).toMatchObject({ status: 201, body: 'ok', headers: { 'content-type': 'text/plain', 'x-kept': 'yes' } });
  expect(Object.keys(two.headers)).not.toContain('te');
});

test('a handler sees an HTTP/2 client that went away as a closed, destroyed response', async () => {
  const seen: Array<{ when: string; destroyed: boolean; finished: boolean }> = [];
  let closed!: () => void;
  const gone = new Promise<void>((resolve) => (closed = resolve));
  const url = await serve((_req, res: ServerResponse) => {
    seen.push({ when: 'answering', destroyed: res.destroyed, finished: res.writableFinished });
    res.once('close', () => {
      seen.push({ when: 'closed', destroyed: res.destroyed, finished: res.writableFinished });
      closed();
    });
    res.writeHead(200);
    res.write('waiting…');
  });
  const stream = h2(url).request({ ':path': '/long-poll' });
  stream.end();
  await once(stream, 'response');
  stream.close(constants.NGHTTP2_CANCEL);
  await gone;
  expect(seen).toEqual([
    { when: 'answering', destroyed: false, finished: false },
    { when: 'closed', destroyed: true, finished: false },
  ]);
});

test('piping into a response whose HTTP/2 client reset the stream fails, as on HTTP/1, so the source is closed', async () => {
  let settled!: (outcome: string) => void;
  const outcome = new Promise<string>((resolve) => (settled = resolve));
  let sourceDestroyed = false;
  const url = await serve((_req, res) => {
    async function* endless() {
      try {
        for (;;) yield Buffer.alloc(16 * 1024, 'x');
      } finally {
        sourceDestroyed = true;
      }
    }
    const finished: string[] = [];
    res.once('finish', () => finished.push('finish'));
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    pipeline(Readable.from(endless()), res).then(
      () => settled(`resolved ${finished.join()}`),
      (err: NodeJS.ErrnoException) => settled(`rejected ${err.code} ${finished.join()}`.trim()),
    );
  });
  const stream = h2(url).request({ ':path': '/object' });
  stream.end();
  await once(stream, 'data');
  stream.close(constants.NGHTTP2_CANCEL);
  expect(await outcome).toBe('rejected ERR_STREAM_PREMATURE_CLOSE');
  expect(sourceDestroyed).toBe(true);
});

test('close() ends open HTTP/2 sessions, mid-request ones included, and silent connections', async () => {
  const url = await serve(() => undefined); // never answers
  const session = h2(url);
  const stream = session.request({ ':path': '/never' });
  stream.on('error', () => undefined);
  stream.end();
  await once(session, 'remoteSettings');
  const silent = createConnection(Number(new URL(url).port), '127.0.0.1');
  await once(silent, 'connect');
  const sessionClosed = once(session, 'close');
  const silentClosed = once(silent, 'close');
  await server!.close();
  server = undefined;
  await sessionClosed;
  await silentClosed;
  expect(stream.rstCode ?? stream.destroyed).toBeTruthy();
});

test('garbage after either protocol start closes that connection only; the server keeps serving', async () => {
  const url = await serve(echo);
  const port = Number(new URL(url).port);
  const replies: string[] = [];
  for (const bytes of ['PRI * HTTP/2.0\r\n\r\nSM\r\n\r\nthis is not a frame at all', 'GARBAGE\r\n\r\n']) {
    const raw = createConnection(port, '127.0.0.1');
    raw.on('error', () => undefined);
    let reply = '';
    raw.on('data', (chunk: Buffer) => (reply += chunk.toString('latin1')));
    raw.end(bytes);
    await once(raw, 'close');
    replies.push(reply);
  }
  // HTTP/1.1's parser answers 400; the HTTP/2 session ends the connection in HTTP/2 frames.
  expect(replies[1]).toMatch(/^HTTP\/1\.1 400 Bad Request/);
  expect(replies[0]).not.toMatch(/^HTTP\//);
  expect(JSON.parse((await overHttp2(url, '/after')).body)).toMatchObject({ url: '/after' });
  expect(JSON.parse((await overHttp1(url, '/after')).body)).toMatchObject({ url: '/after' });
});
