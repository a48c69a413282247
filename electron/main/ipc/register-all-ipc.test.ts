import { expect, test, vi } from 'vitest';
import type { Reply } from '../../engine/contract.ts';

const handlers = new Map<string, (event: unknown, raw: unknown) => Promise<Reply<unknown>>>();
vi.mock('electron', () => ({
  ipcMain: { handle: (channel: string, fn: (event: unknown, raw: unknown) => Promise<Reply<unknown>>) => handlers.set(channel, fn) },
}));

const { CHANNELS } = await import('../../engine/contract.ts');
const { registerAllIpc } = await import('./register-all-ipc.ts');
const { RENDERER_URL } = await import('../app-paths.ts');

const calls: unknown[] = [];
const session = {
  info: () => ({ mode: 'electron', version: '0.0.0', recentProjects: [], project: { status: 'none' } }),
  open: async (dir: string) => {
    calls.push(['open', dir]);
    return { status: 'opening', dir };
  },
  projectState: () => ({ status: 'none' }),
  invoke: async (request: unknown) => {
    calls.push(['invoke', request]);
    return { record: {}, payload: '{}', contentType: 'application/json', logs: '' };
  },
  activitySnapshot: () => {
    throw Object.assign(new Error('No project is open.'), { name: 'NoProjectError' });
  },
};
registerAllIpc({ session: session as never, chooseFolder: async () => '/picked', log: () => undefined });

const ours = { senderFrame: { url: RENDERER_URL.href, parent: null } };
const call = (channel: string, raw: unknown, event: unknown = ours) => handlers.get(channel)!(event, raw);

test('every channel of the ChannelMap has a handler in main', () => {
  expect([...handlers.keys()].sort()).toEqual(Object.keys(CHANNELS).sort());
});

test('a valid request reaches the session and its result comes back as data', async () => {
  const reply = await call('functions:invoke', { functionName: 'Hello', payload: '{"a":1}', forceCold: true });
  expect(reply.result).toMatchObject({ payload: '{}' });
  expect(calls).toContainEqual(['invoke', { functionName: 'Hello', payload: '{"a":1}', forceCold: true }]);
});

test('bad arguments are refused before anything runs, naming the field', async () => {
  calls.length = 0;
  const cases: Array<[string, unknown]> = [
    ['functions:invoke', { functionName: 42 }],
    ['functions:invoke', { functionName: 'Hello', payload: { not: 'text' } }],
    ['functions:invoke', { functionName: 'Hello', shell: 'rm -rf /' }],
    ['functions:invoke', null],
    ['project:open', { dir: '' }],
    ['project:open', 'dir'],
    ['triggers:fire', { kind: 'queue:send', queue: 'Q' }],
    ['triggers:fire', { kind: 'exec', command: 'ls' }],
    ['app:info', { extra: 1 }],
  ];
  for (const [channel, raw] of cases) {
    const reply = await call(channel, raw);
    expect(reply.error?.name, `${channel} ${JSON.stringify(raw)}`).toBe('InvalidRequestError');
  }
  expect((await call('functions:invoke', { functionName: 42 })).error?.message).toContain('functionName');
  expect(calls).toEqual([]);
});

test('requests from another frame or page are refused', async () => {
  calls.length = 0;
  const iframe = { senderFrame: { url: RENDERER_URL.href, parent: {} } };
  const foreign = { senderFrame: { url: 'https://evil.example/', parent: null } };
  for (const event of [iframe, foreign, { senderFrame: null }]) {
    const reply = await call('project:open', { dir: '/tmp' }, event);
    expect(reply.error?.name).toBe('ForbiddenSenderError');
  }
  expect(calls).toEqual([]);
});

test('an engine error travels as an error reply with its name', async () => {
  const reply = await call('activity:get', {});
  expect(reply.error).toEqual({ name: 'NoProjectError', message: 'No project is open.' });
});

test('the folder dialog opens what was picked', async () => {
  calls.length = 0;
  await call('project:choose', {});
  expect(calls).toEqual([['open', '/picked']]);
});
