import type { App } from 'electron';

/**
 * Electron does not await before-quit handlers: hold the quit, stop every sandbox (containers
 * would outlive the app otherwise), then quit for real.
 */
export function stopBeforeQuit(app: App, stop: () => Promise<void>): void {
  let state: 'running' | 'stopping' | 'stopped' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'stopped') return;
    event.preventDefault();
    if (state === 'stopping') return;
    state = 'stopping';
    void stop()
      .catch(() => undefined)
      .finally(() => {
        state = 'stopped';
        app.quit();
      });
  });
}
