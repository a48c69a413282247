import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { APP_EVENT_CHANNEL, CHANNELS, type AppEvent, type Channel, type LambdaDeskApi, type Reply, type Req, type Res } from '../engine/contract.ts';

/**
 * window.lambdadesk: `call` and `onEvent`, nothing else. Bundled to one CJS file so it runs
 * sandboxed; main validates every argument again, so this only keeps other channels (and
 * libraries' own ipcMain handlers) out of reach.
 */
export function createApi(ipc: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'off'>): LambdaDeskApi {
  return {
    async call<C extends Channel>(channel: C, request: Req<C>): Promise<Res<C>> {
      if (typeof channel !== 'string' || !Object.hasOwn(CHANNELS, channel)) throw new Error(`Unknown channel: ${String(channel)}`);
      const reply = (await ipc.invoke(channel, request)) as Reply<Res<C>>;
      // contextBridge keeps only an Error's message, so the fix travels inside it.
      if (reply.error) throw new Error(reply.error.fix ? `${reply.error.message}\n${reply.error.fix}` : reply.error.message);
      return reply.result as Res<C>;
    },
    onEvent(listener: (event: AppEvent) => void): () => void {
      const wrapped = (_event: unknown, payload: AppEvent): void => listener(payload);
      ipc.on(APP_EVENT_CHANNEL, wrapped);
      return () => void ipc.off(APP_EVENT_CHANNEL, wrapped);
    },
  };
}

/** The DOM the preload touches, typed here because the shell compiles without the DOM library. */
interface DropEvent {
  preventDefault(): void;
  dataTransfer?: { types: readonly string[]; files: ArrayLike<unknown> } | null;
}
interface DropTarget {
  addEventListener(type: 'dragover' | 'drop', listener: (event: DropEvent) => void): void;
}

/** A folder dropped on the window opens as the project: its path is only readable here. */
export function openDroppedFolders(target: DropTarget, getPath: (file: unknown) => string, api: LambdaDeskApi): void {
  target.addEventListener('dragover', (event) => {
    if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
  });
  target.addEventListener('drop', (event) => {
    const files = event.dataTransfer?.files;
    if (!files?.length || !event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    const dir = getPath(files[0]);
    if (dir) void api.call('project:open', { dir }).catch(() => undefined);
  });
}

const api = createApi(ipcRenderer);
contextBridge.exposeInMainWorld('lambdadesk', api);
openDroppedFolders(globalThis as unknown as DropTarget, (file) => webUtils.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0]), api);
