import { expect, test, vi } from 'vitest';

const exposed: Record<string, unknown> = {};
const listeners = new Map<string, (...args: unknown[]) => void>();
const invoked: Array<[string, unknown]> = [];
const fakeIpc = {
  invoke: async (channel: string, request: unknown) => {
    invoked.push([channel, request]);
    if (channel === 'project:open') return { error: { name: 'TemplateErrors', message: 'template.yaml:3 bad', fix: 'Fix line 3.' } };
    return { result: { ok: channel } };
  },
  on: (channel: string, fn: (...args: unknown[]) => void) => listeners.set(channel, fn),
  off: (channel: string) => listeners.delete(channel),
};
const windowListeners = new Map<string, (event: unknown) => void>();
vi.stubGlobal('addEventListener', (type: string, fn: (event: unknown) => void) => windowListeners.set(type, fn));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: fakeIpc,
  webUtils: { getPathForFile: (file: { path: string }) => file.path },
}));

const { APP_EVENT_CHANNEL } = await import('../engine/contract.ts');
await import('./index.ts');
const api = exposed.lambdadesk as { call: (c: string, r: unknown) => Promise<unknown>; onEvent: (fn: (e: unknown) => void) => () => void };

test('only call and onEvent are exposed, as window.lambdadesk', () => {
  expect(Object.keys(exposed)).toEqual(['lambdadesk']);
  expect(Object.keys(api).sort()).toEqual(['call', 'onEvent']);
});

test('channels outside the ChannelMap never reach ipcRenderer', async () => {
  invoked.length = 0;
  await expect(api.call('ELECTRON_BROWSER_REQUIRE', {})).rejects.toThrow('Unknown channel');
  await expect(api.call('toString', {})).rejects.toThrow('Unknown channel');
  expect(invoked).toEqual([]);
  await expect(api.call('app:info', {})).resolves.toEqual({ ok: 'app:info' });
});

test('an error reply becomes a rejection that keeps the fix', async () => {
  await expect(api.call('project:open', { dir: '/x' })).rejects.toThrow('template.yaml:3 bad\nFix line 3.');
});

test('events arrive on one channel and can be unsubscribed', () => {
  const seen: unknown[] = [];
  const off = api.onEvent((e) => seen.push(e));
  listeners.get(APP_EVENT_CHANNEL)!({}, { type: 'docker:changed', payload: { available: false, endpoint: 'x' } });
  expect(seen).toHaveLength(1);
  off();
  expect(listeners.has(APP_EVENT_CHANNEL)).toBe(false);
});

test('a folder dropped on the window is opened as the project', async () => {
  invoked.length = 0;
  let prevented = false;
  const event = { preventDefault: () => (prevented = true), dataTransfer: { types: ['Files'], files: [{ path: '/home/me/project' }] } };
  windowListeners.get('drop')!(event);
  expect(prevented).toBe(true);
  expect(invoked).toEqual([['project:open', { dir: '/home/me/project' }]]);
});
