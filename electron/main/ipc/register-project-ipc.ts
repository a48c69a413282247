import { schemaFor as s } from '../../engine/control/request-schemas.ts';
import { handle } from './handle.ts';
import type { IpcContext } from './ipc-context.ts';

export function registerProjectIpc({ session, chooseFolder, log }: IpcContext): void {
  handle('app:info', s('app:info'), async () => session.info(), log);
  handle('project:open', s('project:open'), (r) => session.open(r.dir), log);
  handle('project:choose', s('project:choose'), async () => {
    const dir = await chooseFolder();
    return dir ? session.open(dir) : session.projectState();
  }, log);
  handle('project:reload', s('project:reload'), () => session.reload(), log);
  handle('docker:check', s('docker:check'), () => session.checkDocker(), log);
}
