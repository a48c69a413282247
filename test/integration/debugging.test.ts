/**
 * `--debug-port`: the runtime waits for a debugger, a real client attaches (Chrome DevTools
 * Protocol for Node.js, the Debug Adapter Protocol for Python's debugpy), and the invoke runs.
 */
import { createServer, Socket } from 'node:net';
import { describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { hostPython } from '../../electron/engine/sandbox/host-interpreters.ts';
import { dockerAvailable } from './support/docker-required.ts';
import { fixture, startEngine } from './support/engine-fixture.ts';

const hasDocker = await dockerAvailable();
const python = await hostPython('3.11');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Attaches over the inspector protocol and lets the paused runtime go, as an IDE does. */
async function attachNodeInspector(port: number): Promise<string> {
  const targets = await until(async () => {
    const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string; url: string }>;
    return list.length ? list : undefined;
  }, 'the Node.js inspector');
  const socket = new WebSocket(targets[0]!.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ id: 1, method: 'Runtime.runIfWaitingForDebugger' }));
  setTimeout(() => socket.close(), 500);
  return targets[0]!.url;
}

/** A minimal Debug Adapter Protocol client: initialize, attach, configurationDone. */
async function attachDebugpy(port: number): Promise<void> {
  const socket = await until(
    () =>
      new Promise<Socket | undefined>((resolve) => {
        const s = new Socket();
        s.once('error', () => resolve(undefined));
        s.connect(port, '127.0.0.1', () => resolve(s));
      }),
    'debugpy',
  );
  let seq = 1;
  const send = (command: string, args: object = {}): void => {
    const body = JSON.stringify({ seq: seq++, type: 'request', command, arguments: args });
    socket.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  let buffered = '';
  const initialized = new Promise<void>((resolve) =>
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      if (buffered.includes('"event": "initialized"') || buffered.includes('"event":"initialized"')) resolve();
    }),
  );
  send('initialize', { adapterID: 'python', clientID: 'lambdadesk-test' });
  send('attach', { justMyCode: false });
  await initialized;
  send('configurationDone');
  setTimeout(() => socket.destroy(), 2000);
}

describe.each([
  { sandbox: 'docker' as const, enabled: hasDocker },
  { sandbox: 'process' as const, enabled: true },
])('debugging in the $sandbox sandbox', ({ sandbox, enabled }) => {
  test.runIf(enabled)('Node.js waits for the inspector, then runs the invoke', async () => {
    const debugPort = await freePort();
    const engine = await startEngine(fixture('limits'), { sandbox, debugPort });
    try {
      const pending = engine.invoker.invoke({ functionName: 'Echo', payload: '{"debug":true}' });
      const url = await attachNodeInspector(debugPort);
      expect(url).toContain('bootstrap');
      const result = await pending;
      expect((JSON.parse(result.payload.toString()) as { event: unknown }).event).toEqual({ debug: true });
    } finally {
      await engine.stop();
    }
  });

  test.runIf(enabled && Boolean(python?.debugpyDir))('Python waits for a debugpy client, then runs the invoke', async () => {
    const debugPort = await freePort();
    const engine = await startEngine(fixture('limits'), { sandbox, debugPort });
    try {
      const pending = engine.invoker.invoke({ functionName: 'PyEcho', payload: '{"debug":true}' });
      await attachDebugpy(debugPort);
      const result = await pending;
      expect(result.functionError, result.payload.toString()).toBeUndefined();
      expect(JSON.parse(result.payload.toString())).toMatchObject({ event: { debug: true } });
    } finally {
      await engine.stop();
    }
  });
});
