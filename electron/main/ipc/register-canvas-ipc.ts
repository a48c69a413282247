import { schemaFor as s } from '../../engine/control/request-schemas.ts';
import { describeScheduleExpression } from '../../engine/control/schedule-preview.ts';
import { handle } from './handle.ts';
import type { IpcContext } from './ipc-context.ts';

export function registerCanvasIpc({ session, log }: IpcContext): void {
  handle('canvas:get', s('canvas:get'), () => session.canvas().state(), log);
  handle('canvas:preview', s('canvas:preview'), (r) => session.canvas().preview(r.changes), log);
  handle('canvas:apply', s('canvas:apply'), (r) => session.canvas().apply(r.changes, r.baseHash), log);
  handle('canvas:undo', s('canvas:undo'), () => session.canvas().undo(), log);
  handle('canvas:redo', s('canvas:redo'), () => session.canvas().redo(), log);
  handle('canvas:layout', s('canvas:layout'), (r) => session.canvas().saveLayout(r.positions), log);
  handle('schedule:describe', s('schedule:describe'), async (r) => describeScheduleExpression(r.expression, Date.now()), log);
}
