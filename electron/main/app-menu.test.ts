import { expect, test, vi } from 'vitest';

vi.mock('electron', () => ({ Menu: {} }));
const { buildMenuTemplate } = await import('./app-menu.ts');

const opened: string[] = [];
const actions = {
  openFolder: () => opened.push('dialog'),
  openRecent: (dir: string) => opened.push(dir),
  reloadProject: () => opened.push('reload'),
  openLogsFolder: () => opened.push('logs'),
  recentProjects: () => ['/work/a', '/work/b'],
};

test('File offers Open Folder on CommandOrControl+O and the recent projects', () => {
  const [file] = buildMenuTemplate(actions, 'linux');
  const items = file!.submenu as Array<{ label?: string; accelerator?: string; click?: () => void; submenu?: Array<{ label: string; click: () => void }> }>;
  const openFolder = items.find((i) => i.label === 'Open Folder…')!;
  expect(openFolder.accelerator).toBe('CommandOrControl+O');
  openFolder.click!();
  const recent = items.find((i) => i.label === 'Open Recent')!;
  expect(recent.submenu!.map((i) => i.label)).toEqual(['/work/a', '/work/b']);
  recent.submenu![1]!.click();
  expect(opened).toEqual(['dialog', '/work/b']);
  for (const item of items) if (item.accelerator) expect(item.accelerator).toMatch(/^CommandOrControl\+/);
});

test('macOS gets the app menu first; the edit and window menus are platform roles', () => {
  const template = buildMenuTemplate(actions, 'darwin');
  expect(template[0]).toEqual({ role: 'appMenu' });
  expect(template.map((m) => m.role).filter(Boolean)).toEqual(['appMenu', 'editMenu', 'windowMenu', 'help']);
});
