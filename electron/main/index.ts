import { app, dialog, type BrowserWindow, session as electronSession, shell } from 'electron';
import { join, resolve } from 'node:path';
import { installAppMenu } from './app-menu.ts';
import { createDesktopSession } from './desktop-session.ts';
import { forwardEvents } from './ipc/forward-events.ts';
import { registerAllIpc } from './ipc/register-all-ipc.ts';
import { MainLog } from './main-log.ts';
import { openMainWindow } from './main-window.ts';
import { RecentProjects } from './recent-projects.ts';
import { applySecurityPolicy, lockDownContents } from './security-policy.ts';
import { claimSingleInstance, folderArgument } from './single-instance.ts';
import { stopBeforeQuit } from './stop-before-quit.ts';

/** The shell's composition root: each step is its own file and is tested with `electron` mocked. */
async function start(): Promise<void> {
  // Set once the window exists; the second-launch and dialog handlers are wired before that.
  const main: { window?: BrowserWindow } = {};
  const launchFolder = folderArgument(process.argv);
  const opened: Array<(dir: string) => void> = [];
  const secondLaunch = (argv: string[], cwd: string): void => {
    const folder = folderArgument(argv);
    if (folder) for (const open of opened) open(resolve(cwd, folder));
    if (main.window?.isMinimized()) main.window.restore();
    main.window?.focus();
  };
  if (!claimSingleInstance(app, secondLaunch)) return app.quit();
  app.setAppLogsPath();
  const log = new MainLog(app.getPath('logs'));
  const say = (line: string): void => log.write(line);
  await app.whenReady();
  applySecurityPolicy(electronSession.defaultSession); // CSP, permissions: before any window
  app.on('web-contents-created', (_event, contents) => lockDownContents(contents, say));

  const recent = new RecentProjects(join(app.getPath('userData'), 'recent-projects.json'));
  const { session, docker } = createDesktopSession({ version: app.getVersion(), recent, log: say });
  opened.push((dir) => void session.open(dir));
  stopBeforeQuit(app, async () => {
    docker.stop();
    await session.close();
  });
  const chooseFolder = async (): Promise<string | undefined> => {
    const options = { title: 'Open a SAM project', properties: ['openDirectory' as const] };
    const picked = main.window ? await dialog.showOpenDialog(main.window, options) : await dialog.showOpenDialog(options);
    return picked.canceled ? undefined : picked.filePaths[0];
  };
  registerAllIpc({ session, chooseFolder, log: say });
  const refreshMenu = (): void => installAppMenu({
    openFolder: () => void chooseFolder().then((dir) => (dir ? session.open(dir) : undefined)),
    openRecent: (dir) => void session.open(dir),
    reloadProject: () => void session.reload(),
    openLogsFolder: () => void shell.openPath(log.dir),
    recentProjects: () => recent.all(),
  });
  refreshMenu();
  session.events.on('event', (event) => event.type === 'project:changed' && event.payload.status === 'open' && refreshMenu());

  main.window = await openMainWindow({ stateFile: join(app.getPath('userData'), 'window-state.json'), log: say });
  forwardEvents(session, main.window.webContents);
  app.on('window-all-closed', () => app.quit());
  docker.start();
  const first = launchFolder ? resolve(launchFolder) : recent.all()[0];
  if (first) void session.open(first);
  say(`started ${app.getVersion()}`);
}

start().catch((err: unknown) => {
  dialog.showErrorBox('LambdaDesk could not start', err instanceof Error ? (err.stack ?? err.message) : String(err));
  app.exit(1);
});
