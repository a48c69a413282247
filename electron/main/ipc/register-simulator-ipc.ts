import { schemaFor as s } from '../../engine/control/request-schemas.ts';
import { handle } from './handle.ts';
import type { IpcContext } from './ipc-context.ts';

export function registerSimulatorIpc({ session, log }: IpcContext): void {
  handle('simulator:run', s('simulator:run'), (r) => session.simulator.run(r.scenario), log);
  handle('simulator:sweep', s('simulator:sweep'), (r) => session.simulator.sweep(r), log);
  handle('simulator:calibrate', s('simulator:calibrate'), (r) => session.simulator.calibrate(r.functionName), log);
}
