import { expect, test } from 'vitest';
import { BackendError } from './backend.ts';
import { createHttpBackend, takeToken } from './http-backend.ts';

test('the token is read from the URL once, then kept in session storage and out of the address bar', () => {
  const replaced: string[] = [];
  const store = new Map<string, string>();
  const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) } as Storage;
  const history = { replaceState: (_s: unknown, _t: string, url: string) => void replaced.push(url) } as History;
  expect(takeToken({ href: 'http://127.0.0.1:5000/?token=abc#x' } as Location, storage, history)).toBe('abc');
  expect(replaced).toEqual(['/#x']);
  expect(takeToken({ href: 'http://127.0.0.1:5000/' } as Location, storage, history)).toBe('abc');
});

test('calls POST the request with the token; an error reply rejects with its name and fix', async () => {
  const sent: Array<{ url: string; init: RequestInit }> = [];
  const fake = (async (url: string, init: RequestInit) => {
    sent.push({ url, init });
    const body = url.endsWith('/api/app:info') ? { result: { ok: true } } : { error: { name: 'NoProjectError', message: 'No project is open.', fix: 'Open a folder.' } };
    return new Response(JSON.stringify(body), { status: url.endsWith('app:info') ? 200 : 409 });
  }) as unknown as typeof fetch;
  const backend = createHttpBackend({ origin: 'http://127.0.0.1:5000', token: 't0k', fetch: fake });
  await expect(backend.call('app:info', {})).resolves.toEqual({ ok: true });
  expect(sent[0]!.init.headers).toMatchObject({ authorization: 'Bearer t0k', 'content-type': 'application/json' });
  const error = await backend.call('activity:get', {}).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BackendError);
  expect((error as BackendError).name).toBe('NoProjectError');
  expect((error as BackendError).fix).toBe('Open a folder.');
});
