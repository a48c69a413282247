import { schemaFor as s } from '../../engine/control/request-schemas.ts';
import { handle } from './handle.ts';
import type { IpcContext } from './ipc-context.ts';

export function registerFunctionsIpc({ session, log }: IpcContext): void {
  handle('functions:invoke', s('functions:invoke'), (r) => session.invoke(r), log);
  handle('sandboxes:stop', s('sandboxes:stop'), (r) => session.stopSandboxes(r.functionName), log);
  handle('activity:get', s('activity:get'), async () => session.activitySnapshot(), log);
  handle('activity:clear', s('activity:clear'), async () => session.activity.clear(), log);
}
