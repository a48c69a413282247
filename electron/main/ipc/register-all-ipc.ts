import type { IpcContext } from './ipc-context.ts';
import { registerCanvasIpc } from './register-canvas-ipc.ts';
import { registerFunctionsIpc } from './register-functions-ipc.ts';
import { registerProjectIpc } from './register-project-ipc.ts';
import { registerSimulatorIpc } from './register-simulator-ipc.ts';
import { registerTriggersIpc } from './register-triggers-ipc.ts';

/** Every channel of the ChannelMap, one domain per file (a test checks none is missing). */
export function registerAllIpc(context: IpcContext): void {
  registerProjectIpc(context);
  registerFunctionsIpc(context);
  registerTriggersIpc(context);
  registerCanvasIpc(context);
  registerSimulatorIpc(context);
}
