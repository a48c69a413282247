import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { AppInfo, DockerStatus, ProjectState } from '../../electron/engine/contract.ts';
import { messageOf, useBackend } from '../backend/backend.ts';

/** The app and its open project: what the header, the sidebar and the banners show. */
export const useAppStore = defineStore('app', () => {
  const backend = useBackend();
  const info = shallowRef<AppInfo>();
  const project = shallowRef<ProjectState>({ status: 'none' });
  const docker = shallowRef<DockerStatus>();
  const error = ref<string>();

  backend.onEvent((event) => {
    if (event.type === 'project:changed') setProject(event.payload);
    if (event.type === 'docker:changed') docker.value = event.payload;
  });

  function setProject(state: ProjectState): void {
    project.value = state;
    if (state.status === 'open') docker.value = state.snapshot.docker;
  }

  async function load(): Promise<void> {
    try {
      info.value = await backend.call('app:info', {});
      setProject(info.value.project);
      error.value = undefined;
    } catch (err) {
      error.value = messageOf(err);
    }
  }

  async function run(action: () => Promise<ProjectState>): Promise<void> {
    try {
      setProject(await action());
      error.value = undefined;
    } catch (err) {
      error.value = messageOf(err);
    }
  }

  const snapshot = computed(() => (project.value.status === 'open' ? project.value.snapshot : undefined));
  const functions = computed(() => snapshot.value?.model.functions ?? []);
  /** Docker is down, or functions fell back to host processes: say so in a banner. */
  const dockerProblem = computed(() => {
    const status = docker.value;
    if (!snapshot.value || !status || status.available) return undefined;
    return snapshot.value.sandboxKind === 'process' && status.endpoint.startsWith('not used') ? undefined : status;
  });

  return {
    info,
    project,
    docker,
    error,
    snapshot,
    functions,
    dockerProblem,
    load,
    open: (dir: string) => run(() => backend.call('project:open', { dir })),
    choose: () => run(() => backend.call('project:choose', {})),
    reload: () => run(() => backend.call('project:reload', {})),
    checkDocker: async () => {
      docker.value = await backend.call('docker:check', {});
    },
  };
});
