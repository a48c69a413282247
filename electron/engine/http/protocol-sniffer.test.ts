import { once } from 'node:events';
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { protocolOf, sniffProtocol, type WireProtocol } from './protocol-sniffer.ts';

const PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';

test('the HTTP/2 preface, whole or with frames after it, is h2c', () => {
  expect(protocolOf(Buffer.from(PREFACE))).toBe('h2c');
  expect(protocolOf(Buffer.from(`${PREFACE}\x00\x00\x12\x04`, 'latin1'))).toBe('h2c');
});

test('a prefix of the preface is undecided: the rest may still come', () => {
  expect(protocolOf(Buffer.alloc(0))).toBeUndefined();
  expect(protocolOf(Buffer.from('P'))).toBeUndefined();
  expect(protocolOf(Buffer.from(PREFACE.slice(0, 23)))).toBeUndefined();
});

test('anything else is HTTP/1.1, as soon as a byte differs', () => {
  expect(protocolOf(Buffer.from('GET / HTTP/1.1\r\n'))).toBe('http/1.1');
  expect(protocolOf(Buffer.from('PU'))).toBe('http/1.1');
  expect(protocolOf(Buffer.from('POST /2015-03-31/functions HTTP/1.1\r\n'))).toBe('http/1.1');
  // Almost the preface, but not quite (an HTTP/1 request line with the PRI method).
  expect(protocolOf(Buffer.from('PRI * HTTP/1.1\r\n\r\n'))).toBe('http/1.1');
});

let server: Server | undefined;
const clients: Socket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A TCP server that sniffs each connection; `received` counts segments as the server reads them. */
async function sniffing(idleMs = 60_000) {
  const accepted: Array<{ socket: Socket; protocol: Promise<WireProtocol | undefined>; received: () => number; nextSegment: () => Promise<unknown> }> = [];
  server = createServer((socket) => {
    let segments = 0;
    socket.prependListener('data', () => segments++);
    accepted.push({ socket, protocol: sniffProtocol(socket, idleMs), received: () => segments, nextSegment: () => once(socket, 'data') });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = createConnection((server.address() as AddressInfo).port, '127.0.0.1');
  client.setNoDelay(true);
  clients.push(client);
  await once(client, 'connect');
  while (accepted.length === 0) await new Promise((resolve) => setImmediate(resolve));
  return { client, conn: accepted[0]! };
}

test('a preface split over segments is waited for, then every byte read is put back in order', async () => {
  const { client, conn } = await sniffing();
  let settled: WireProtocol | undefined | 'pending' = 'pending';
  void conn.protocol.then((p) => (settled = p));
  const segment = conn.nextSegment();
  client.write(PREFACE.slice(0, 7));
  await segment;
  await new Promise((resolve) => setImmediate(resolve));
  expect(conn.received()).toBe(1);
  expect(settled).toBe('pending');
  client.write(`${PREFACE.slice(7)}frames`);
  expect(await conn.protocol).toBe('h2c');
  // The socket is paused with the bytes back in its buffer: the next reader gets all of them.
  expect(conn.socket.isPaused()).toBe(true);
  let buffered = '';
  for (let chunk = conn.socket.read() as Buffer | null; chunk; chunk = conn.socket.read() as Buffer | null) buffered += chunk.toString('latin1');
  expect(buffered).toBe(`${PREFACE}frames`);
});

test('an HTTP/1.1 request is handed on with its first bytes intact', async () => {
  const { client, conn } = await sniffing();
  client.write('GET /2015-03-31/functions HTTP/1.1\r\nHost: x\r\n\r\n');
  expect(await conn.protocol).toBe('http/1.1');
  expect(String(conn.socket.read())).toBe('GET /2015-03-31/functions HTTP/1.1\r\nHost: x\r\n\r\n');
});

test('a client that stays silent is let go after the idle time, and one that leaves early is not waited for', async () => {
  const silent = await sniffing(30);
  const closed = once(silent.client, 'close');
  expect(await silent.conn.protocol).toBeUndefined();
  await closed;
  expect(silent.conn.socket.destroyed).toBe(true);
  await new Promise((resolve) => server!.close(resolve));
  server = undefined;

  const leaving = await sniffing();
  leaving.client.end('PRI *');
  expect(await leaving.conn.protocol).toBeUndefined();
  expect(leaving.conn.socket.destroyed).toBe(true);
});
