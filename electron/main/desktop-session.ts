import { SystemClock } from '../engine/clock.ts';
import { DockerWatcher } from '../engine/control/docker-watcher.ts';
import { ProjectSession } from '../engine/control/project-session.ts';
import { createEngine, DEFAULTS } from '../engine/create-engine.ts';
import { connectDocker } from '../engine/sandbox/docker-connection.ts';
import type { RecentProjects } from './recent-projects.ts';

export interface DesktopSessionOptions {
  version: string;
  recent: RecentProjects;
  log: (line: string) => void;
}

/** The Electron face's session: the CLI's engine with `sam local`'s ports, Docker polled every 5 s. */
export function createDesktopSession(options: DesktopSessionOptions): { session: ProjectSession; docker: DockerWatcher } {
  const clock = new SystemClock();
  const docker = new DockerWatcher({ probe: async () => (await connectDocker()).status, clock, intervalMs: 5000 });
  const session = new ProjectSession({
    mode: 'electron',
    version: options.version,
    sandbox: 'auto',
    docker,
    clock,
    createEngine: (dir, sandbox) => createEngine({ projectDir: dir, sandbox, port: DEFAULTS.port, apiPort: DEFAULTS.apiPort }),
    apiUrl: () => `http://${DEFAULTS.host}:${DEFAULTS.apiPort}`,
    recentProjects: () => options.recent.all(),
    onOpened: (dir) => {
      options.log(`opened ${dir}`);
      void options.recent.add(dir);
    },
  });
  docker.events.on('docker:changed', (status) => options.log(`docker: ${status.available ? `available at ${status.endpoint}` : `unavailable (${status.error ?? status.endpoint})`}`));
  return { session, docker };
}
