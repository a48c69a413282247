import { join } from 'node:path';
import { SystemClock, type Clock } from '../clock.ts';
import { APP_ROOT, type Engine } from '../create-engine.ts';
import { ControlApi } from '../http/control-api.ts';
import { connectDocker } from '../sandbox/docker-connection.ts';
import { routeControlApi } from './control-routes.ts';
import { DockerWatcher } from './docker-watcher.ts';
import { ProjectSession, type SandboxPreference } from './project-session.ts';

export const RENDERER_DIR = join(APP_ROOT, 'dist/renderer');

export interface BrowserModeOptions {
  projectDir: string;
  createEngine: (dir: string, sandbox: SandboxPreference) => Promise<Engine>;
  sandbox: SandboxPreference;
  /** An engine already started for projectDir; otherwise one is created. */
  engine?: Engine;
  version: string;
  port?: number;
  token?: string;
  staticDir?: string;
  clock?: Clock;
  dockerPollMs?: number;
  debugPort?: number;
  apiUrl?: (engine: Engine) => string;
}

export interface BrowserMode {
  session: ProjectSession;
  api: ControlApi;
  /** The URL to open, token included. */
  url: string;
  stop(): Promise<void>;
}

/** `lambdadesk serve --ui`: the renderer and the ChannelMap on loopback, for a browser tab. */
export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserMode> {
  const clock = options.clock ?? new SystemClock();
  const docker = new DockerWatcher({ probe: async () => (await connectDocker()).status, clock, intervalMs: options.dockerPollMs ?? 5000 });
  const session = new ProjectSession({ mode: 'browser', version: options.version, createEngine: options.createEngine, sandbox: options.sandbox, docker, clock, debugPort: options.debugPort, apiUrl: options.apiUrl });
  if (options.engine) session.adopt(options.projectDir, options.engine);
  else await session.open(options.projectDir);
  const api = routeControlApi(
    new ControlApi({
      port: options.port ?? 0,
      token: options.token,
      staticDir: options.staticDir ?? RENDERER_DIR,
      subscribe: (listener) => {
        session.events.on('event', listener);
        return () => session.events.off('event', listener);
      },
    }),
    session,
  );
  await api.listen();
  if (options.sandbox !== 'process') docker.start();
  return {
    session,
    api,
    url: api.url,
    async stop() {
      docker.stop();
      await api.close();
      await session.close();
    },
  };
}
