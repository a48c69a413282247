import { expect, test } from 'vitest';
import { GatewayServer } from './gateway-server.ts';

test('a port in use is an error that names it and says how to pick another', async () => {
  const first = new GatewayServer({ host: '127.0.0.1', port: 0, handle: async (_req, res) => void res.end() });
  await first.listen();
  try {
    const second = new GatewayServer({ host: '127.0.0.1', port: first.port, handle: async (_req, res) => void res.end() });
    const error = await second.listen().then(() => undefined, (err: unknown) => err as Error & { fix?: string });
    expect(error?.message).toBe(`The API Gateway emulation cannot listen on 127.0.0.1:${first.port}: the port is in use.`);
    expect(error?.fix).toContain('--api-port');
    expect(second.listening).toBe(false);
  } finally {
    await first.close();
  }
});
