import type { Backend } from './backend.ts';
import { createHttpBackend, takeToken } from './http-backend.ts';

/** The Electron preload's window.lambdadesk when present, else the control API that served this page. */
export function selectBackend(win: Window): Backend {
  if (win.lambdadesk) return win.lambdadesk;
  return createHttpBackend({ origin: win.location.origin, token: takeToken(win.location, win.sessionStorage, win.history) });
}
