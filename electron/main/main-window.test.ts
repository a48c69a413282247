import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, expect, test, vi } from 'vitest';

type Listener = (...args: unknown[]) => void;
const created: Array<{ options: { webPreferences: Record<string, unknown> } & Record<string, unknown>; contents: FakeContents; loaded?: string }> = [];

class FakeContents {
  readonly listeners = new Map<string, Listener>();
  openHandler?: (details: { url: string }) => { action: string };
  on(name: string, listener: Listener): this {
    this.listeners.set(name, listener);
    return this;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
  /** Fires an event the way Electron does and says whether the page prevented it. */
  fire(name: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.listeners.get(name)?.({ preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

vi.mock('electron', () => {
  class BrowserWindow {
    readonly webContents = new FakeContents();
    private readonly entry: (typeof created)[number];
    constructor(options: (typeof created)[number]['options']) {
      this.entry = { options, contents: this.webContents };
      created.push(this.entry);
    }
    maximize(): void {}
    once(): void {}
    on(): void {}
    async loadFile(file: string): Promise<void> {
      this.entry.loaded = file;
    }
  }
  return {
    BrowserWindow,
    nativeTheme: { themeSource: 'system', shouldUseDarkColors: true },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  };
});

const { openMainWindow } = await import('./main-window.ts');
const { RENDERER_INDEX, RENDERER_URL, PRELOAD_PATH } = await import('./app-paths.ts');

beforeEach(() => void (created.length = 0));

async function open(state?: object) {
  const dir = mkdtempSync(join(tmpdir(), 'window-state-'));
  const stateFile = join(dir, 'window-state.json');
  if (state) writeFileSync(stateFile, JSON.stringify(state));
  const log: string[] = [];
  await openMainWindow({ stateFile, log: (line) => log.push(line) });
  return { window: created[0]!, log };
}

test('the window is sandboxed, isolated and without Node, and loads the built renderer', async () => {
  const { window } = await open();
  expect(window.options.webPreferences).toMatchObject({
    preload: PRELOAD_PATH,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
  });
  expect(window.options.show).toBe(false);
  expect(window.loaded).toBe(RENDERER_INDEX);
});

test('navigation away from the app, redirects, webviews and new windows are refused', async () => {
  const { window, log } = await open();
  expect(window.contents.fire('will-navigate', 'https://evil.example/')).toBe(true);
  expect(window.contents.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
  expect(window.contents.fire('will-navigate', `${RENDERER_URL.href}.evil`)).toBe(true);
  expect(window.contents.fire('will-navigate', RENDERER_URL.href)).toBe(false);
  expect(window.contents.fire('will-redirect', 'http://127.0.0.1:3001/')).toBe(true);
  expect(window.contents.fire('will-attach-webview')).toBe(true);
  expect(window.contents.openHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  expect(log.join('\n')).toContain('blocked navigation to https://evil.example/');
});

test('a saved position on a display that is gone is dropped, the size kept within the screen', async () => {
  const { window } = await open({ bounds: { x: 4000, y: 200, width: 2500, height: 900 }, maximized: false });
  expect(window.options).toMatchObject({ width: 1920, height: 900 });
  expect(window.options.x).toBeUndefined();
});

test('a saved position on a display that exists is kept', async () => {
  const { window } = await open({ bounds: { x: 100, y: 50, width: 1200, height: 800 }, maximized: false });
  expect(window.options).toMatchObject({ x: 100, y: 50, width: 1200, height: 800 });
});
