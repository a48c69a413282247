import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { InvokeReply, SampleEvent } from '../../electron/engine/contract.ts';
import { messageOf, useBackend } from '../backend/backend.ts';

/** The invoke panel: which function, which event, and what came back. */
export const useInvokeStore = defineStore('invoke', () => {
  const backend = useBackend();
  const functionName = ref<string>('');
  const payload = ref('{}');
  const samples = shallowRef<SampleEvent[]>([]);
  const reply = shallowRef<InvokeReply>();
  const running = ref(false);
  const error = ref<string>();

  /** The event must be JSON before it is sent; say where it is not. */
  const payloadError = computed(() => {
    if (payload.value.trim() === '') return undefined;
    try {
      JSON.parse(payload.value);
      return undefined;
    } catch (err) {
      return `The event is not valid JSON: ${(err as Error).message}`;
    }
  });

  async function loadSamples(): Promise<void> {
    try {
      samples.value = await backend.call('samples:list', {});
    } catch (err) {
      error.value = messageOf(err);
    }
  }

  function useSample(id: string): void {
    const sample = samples.value.find((s) => s.id === id);
    if (sample) payload.value = prettyJson(sample.payload);
  }

  async function invoke(options: { forceCold?: boolean } = {}): Promise<void> {
    if (!functionName.value || payloadError.value) return;
    running.value = true;
    error.value = undefined;
    try {
      reply.value = await backend.call('functions:invoke', { functionName: functionName.value, payload: payload.value, forceCold: options.forceCold === true });
    } catch (err) {
      reply.value = undefined;
      error.value = messageOf(err);
    } finally {
      running.value = false;
    }
  }

  return { functionName, payload, samples, reply, running, error, payloadError, loadSamples, useSample, invoke };
});

export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
