import type { Session, WebContents } from 'electron';
import { RENDERER_URL } from './app-paths.ts';

/** The window's CSP: our own scripts only, no eval, no plugins, no framing, no form posts. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Only the renderer's own index page; anything else (a link, a dropped file, a redirect) is refused. */
export function isAppUrl(raw: string, appUrl: URL = RENDERER_URL): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === appUrl.protocol && url.host === appUrl.host && url.pathname === appUrl.pathname;
}

/** Before any window: CSP on every response, every permission denied, no navigation, no new windows. */
export function applySecurityPolicy(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  // Camera, notifications, clipboard reads, geolocation…: the app needs none of them.
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** For every WebContents the app creates: stay on our page, open nothing, embed nothing. */
export function lockDownContents(contents: WebContents, log: (line: string) => void = () => undefined): void {
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    log(`blocked navigation to ${url}`);
  });
  contents.on('will-redirect', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    log(`blocked redirect to ${url}`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log(`blocked a new window for ${url}`);
    return { action: 'deny' };
  });
}
