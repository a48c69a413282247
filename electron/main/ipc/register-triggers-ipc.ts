import { schemaFor as s } from '../../engine/control/request-schemas.ts';
import { handle } from './handle.ts';
import type { IpcContext } from './ipc-context.ts';

export function registerTriggersIpc({ session, log }: IpcContext): void {
  handle('samples:list', s('samples:list'), () => session.samples(), log);
  handle('triggers:fire', s('triggers:fire'), (r) => session.fireTrigger(r), log);
}
