import { BrowserWindow, nativeTheme, screen } from 'electron';
import { PRELOAD_PATH, RENDERER_INDEX } from './app-paths.ts';
import { lockDownContents } from './security-policy.ts';
import { fitToDisplays, readWindowState, writeWindowState } from './window-state.ts';

export interface MainWindowOptions {
  stateFile: string;
  log: (line: string) => void;
}

/** Opens the window where it was (if that is still on a screen), in the system's light or dark theme. */
export async function openMainWindow(options: MainWindowOptions): Promise<BrowserWindow> {
  const saved = await readWindowState(options.stateFile);
  const { bounds, maximized } = fitToDisplays(saved, screen.getAllDisplays().map((d) => d.workArea));
  nativeTheme.themeSource = 'system';
  const win = new BrowserWindow({
    ...bounds,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'LambdaDesk',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#14171c' : '#f6f7f9',
    // The window's safety, spelled out here where electronegativity and a test of the options can see it.
    webPreferences: {
      preload: PRELOAD_PATH,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // A middle click would open links in a new window; there are none to open.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  lockDownContents(win.webContents, options.log);
  if (maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  keepWindowState(win, options.stateFile);
  await win.loadFile(RENDERER_INDEX);
  return win;
}

function keepWindowState(win: BrowserWindow, file: string): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = (): void => {
    if (win.isDestroyed() || win.isMinimized()) return;
    void writeWindowState(file, { bounds: win.getNormalBounds(), maximized: win.isMaximized() }).catch(() => undefined);
  };
  const later = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('close', save);
}
