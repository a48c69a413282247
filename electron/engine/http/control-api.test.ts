import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import type { AppEvent } from '../contract.ts';
import { ControlApi } from './control-api.ts';

const listeners = new Set<(event: AppEvent) => void>();
let api: ControlApi;

function staticRoot(): string {
  const parent = mkdtempSync(join(tmpdir(), 'control-static-'));
  const dir = join(parent, 'site');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>LambdaDesk</title>');
  writeFileSync(join(dir, 'assets/app.js'), 'console.log(1)');
  writeFileSync(join(parent, 'secret.txt'), 'secret');
  return dir;
}

async function start(): Promise<ControlApi> {
  api = new ControlApi({
    token: 'test-token',
    staticDir: staticRoot(),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  });
  api.route('sandboxes:stop', z.object({ functionName: z.string().min(1) }).strict(), async (r) => {
    if (r.functionName === 'Missing') throw Object.assign(new Error('Function not found: Missing'), { name: 'ResourceNotFoundError' });
  });
  await api.listen();
  return api;
}

afterEach(async () => {
  await api.close();
  listeners.clear();
});

function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: api.port, path, method: options.method ?? 'GET', headers: { host: `127.0.0.1:${api.port}`, ...options.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const call = (body: string, headers: Record<string, string> = {}) =>
  send('/api/sandboxes:stop', { method: 'POST', body, headers: { authorization: 'Bearer test-token', 'content-type': 'application/json', ...headers } });

test('a valid call with the token gets its result as data', async () => {
  await start();
  const reply = await call('{"functionName":"Hello"}');
  expect(reply.status).toBe(200);
  expect(JSON.parse(reply.body)).toEqual({ result: null });
});

test('an argument that does not match the schema is refused and the field is named', async () => {
  await start();
  const reply = await call('{"functionName":42}');
  expect(reply.status).toBe(400);
  const { error } = JSON.parse(reply.body) as { error: { name: string; message: string } };
  expect(error.name).toBe('InvalidRequestError');
  expect(error.message).toContain('functionName');
  expect((await call('{"functionName":"a","extra":true}')).status).toBe(400);
  expect((await call('not json')).status).toBe(400);
});

test('a thrown error comes back as an error reply, not a dropped connection', async () => {
  await start();
  const reply = await call('{"functionName":"Missing"}');
  expect(reply.status).toBe(500);
  expect(JSON.parse(reply.body)).toEqual({ error: { name: 'ResourceNotFoundError', message: 'Function not found: Missing' } });
});

test('calls without the token, with a wrong one, or to an unknown channel are refused', async () => {
  await start();
  expect((await call('{"functionName":"a"}', { authorization: '' })).status).toBe(401);
  expect((await call('{"functionName":"a"}', { authorization: 'Bearer test-tokem' })).status).toBe(401);
  const unknown = await send('/api/shell:exec', { method: 'POST', body: '{}', headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' } });
  expect(unknown.status).toBe(404);
  // A form post cannot carry JSON without a preflight, so anything but application/json is refused.
  expect((await call('{"functionName":"a"}', { 'content-type': 'text/plain' })).status).toBe(415);
});

test('DNS rebinding: a foreign Host header is refused even with the right token', async () => {
  await start();
  expect((await call('{"functionName":"a"}', { host: `evil.example:${api.port}` })).status).toBe(421);
  expect((await send('/', { headers: { host: 'evil.example' } })).status).toBe(421);
  expect((await call('{"functionName":"a"}', { host: `localhost:${api.port}` })).status).toBe(200);
});

test('a foreign Origin is refused; our own origin is fine', async () => {
  await start();
  expect((await call('{"functionName":"a"}', { origin: 'http://evil.example' })).status).toBe(403);
  expect((await call('{"functionName":"a"}', { origin: `http://127.0.0.1:${api.port + 1}` })).status).toBe(403);
  expect((await call('{"functionName":"a"}', { origin: 'null' })).status).toBe(403);
  expect((await call('{"functionName":"a"}', { origin: `http://127.0.0.1:${api.port}` })).status).toBe(200);
});

test('the renderer is served with a strict CSP, and nothing outside its folder', async () => {
  await start();
  const page = await send('/');
  expect(page.status).toBe(200);
  expect(page.body).toContain('<title>LambdaDesk</title>');
  expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
  expect(String(page.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
  expect((await send('/assets/app.js')).status).toBe(200);
  expect((await send('/../secret.txt')).status).toBe(404);
  expect((await send('/%2e%2e/secret.txt')).status).toBe(404);
  expect((await send('/assets/..%2f..%2fsecret.txt')).status).toBe(404);
});

function connect(url: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, origin ? { origin } : {});
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

test('events reach WebSocket clients that bring the token and our origin', async () => {
  await start();
  const socket = await connect(`ws://127.0.0.1:${api.port}/api/events?token=test-token`, `http://127.0.0.1:${api.port}`);
  const received = new Promise<string>((resolve) => socket.once('message', (data: Buffer) => resolve(data.toString('utf8'))));
  const event: AppEvent = { type: 'docker:changed', payload: { available: true, endpoint: 'unix:///var/run/docker.sock' } };
  for (const listener of listeners) listener(event);
  expect(JSON.parse(await received)).toEqual(event);
  // Large messages use the 16-bit and 64-bit length forms.
  const big: AppEvent = { type: 'images:progress', payload: { image: 'x'.repeat(70_000), step: 'copy', done: false } };
  const bigReceived = new Promise<string>((resolve) => socket.once('message', (data: Buffer) => resolve(data.toString('utf8'))));
  for (const listener of listeners) listener(big);
  expect(JSON.parse(await bigReceived)).toEqual(big);
  const pong = new Promise<void>((resolve) => socket.once('pong', () => resolve()));
  socket.ping();
  await pong;
  socket.close();
});

test('WebSocket upgrades without the token or from another origin are refused', async () => {
  await start();
  await expect(connect(`ws://127.0.0.1:${api.port}/api/events`)).rejects.toThrow('401');
  await expect(connect(`ws://127.0.0.1:${api.port}/api/events?token=test-token`, 'http://evil.example')).rejects.toThrow('403');
});
