import { Menu, type MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  openFolder(): void;
  openRecent(dir: string): void;
  reloadProject(): void;
  openLogsFolder(): void;
  recentProjects(): string[];
}

/** The app menu: platform roles for editing and windows, CommandOrControl accelerators for ours. */
export function buildMenuTemplate(actions: MenuActions, platform: NodeJS.Platform = process.platform): MenuItemConstructorOptions[] {
  const recent = actions.recentProjects();
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'Open Folder…', accelerator: 'CommandOrControl+O', click: () => actions.openFolder() },
        {
          label: 'Open Recent',
          submenu: recent.length ? recent.map((dir) => ({ label: dir, click: () => actions.openRecent(dir) })) : [{ label: 'No recent projects', enabled: false }],
        },
        { label: 'Reload Project', accelerator: 'CommandOrControl+Shift+R', click: () => actions.reloadProject() },
        { type: 'separator' },
        platform === 'darwin' ? { role: 'close' } : { role: 'quit', accelerator: 'CommandOrControl+Q' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'Open Logs Folder', click: () => actions.openLogsFolder() }] },
  ];
  if (platform === 'darwin') template.unshift({ role: 'appMenu' });
  return template;
}

export function installAppMenu(actions: MenuActions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(actions)));
}
