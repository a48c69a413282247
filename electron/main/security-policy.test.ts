import { expect, test, vi } from 'vitest';

vi.mock('electron', () => ({}));
const { applySecurityPolicy, CONTENT_SECURITY_POLICY, isAppUrl } = await import('./security-policy.ts');
const { RENDERER_URL } = await import('./app-paths.ts');

function fakeSession() {
  const handlers: Record<string, (...args: never[]) => unknown> = {};
  const session = {
    webRequest: { onHeadersReceived: (fn: (...args: never[]) => unknown) => (handlers.headers = fn) },
    setPermissionRequestHandler: (fn: (...args: never[]) => unknown) => (handlers.request = fn),
    setPermissionCheckHandler: (fn: (...args: never[]) => unknown) => (handlers.check = fn),
    setDevicePermissionHandler: (fn: (...args: never[]) => unknown) => (handlers.device = fn),
  };
  applySecurityPolicy(session as never);
  return handlers as Record<string, (...args: unknown[]) => unknown>;
}

test('every response carries the strict CSP', () => {
  const handlers = fakeSession();
  let headers: Record<string, string[]> = {};
  handlers.headers!({ responseHeaders: { 'X-Other': ['1'] } }, (r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders));
  expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
  expect(headers['X-Other']).toEqual(['1']);
  expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
  expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
});

test('every permission is denied, whatever is asked', () => {
  const handlers = fakeSession();
  for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
    let granted: boolean | undefined;
    handlers.request!({}, permission, (answer: boolean) => (granted = answer));
    expect(granted).toBe(false);
    expect(handlers.check!({}, permission)).toBe(false);
  }
  expect(handlers.device!({})).toBe(false);
});

test('only the renderer page itself counts as the app', () => {
  expect(isAppUrl(RENDERER_URL.href)).toBe(true);
  expect(isAppUrl(`${RENDERER_URL.href}#/canvas`)).toBe(true);
  expect(isAppUrl('file:///tmp/index.html')).toBe(false);
  expect(isAppUrl('https://lambdadesk.example/index.html')).toBe(false);
  expect(isAppUrl('not a url')).toBe(false);
});
