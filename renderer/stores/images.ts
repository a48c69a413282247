import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import { useBackend } from '../backend/backend.ts';

export interface ImageBuild {
  image: string;
  step: string;
  steps: number;
  done: boolean;
}

/** Runtime images being built: a progress bar each until done. */
export const useImagesStore = defineStore('images', () => {
  const backend = useBackend();
  const builds = shallowRef<Map<string, ImageBuild>>(new Map());

  backend.onEvent((event) => {
    if (event.type !== 'images:progress') return;
    const next = new Map(builds.value);
    const before = next.get(event.payload.image);
    next.set(event.payload.image, { image: event.payload.image, step: event.payload.step, steps: (before?.steps ?? 0) + 1, done: event.payload.done });
    builds.value = next;
  });

  const active = computed(() => [...builds.value.values()].filter((b) => !b.done));
  return { builds, active };
});
