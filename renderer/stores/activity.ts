import { defineStore } from 'pinia';
import { shallowRef, triggerRef } from 'vue';
import type { InvocationRecord, LogLine, SandboxChange } from '../../electron/engine/contract.ts';
import { messageOf, useBackend } from '../backend/backend.ts';

const MAX_LOGS = 5000;
const MAX_RECORDS = 2000;

/** Invocations, sandbox transitions and log lines as they happen: the timeline and the log view read these. */
export const useActivityStore = defineStore('activity', () => {
  const backend = useBackend();
  // shallowRef + triggerRef: appending a log line must not make Vue deep-watch thousands of lines.
  const records = shallowRef<InvocationRecord[]>([]);
  const changes = shallowRef<SandboxChange[]>([]);
  const logs = shallowRef<LogLine[]>([]);
  const error = shallowRef<string>();

  backend.onEvent((event) => {
    if (event.type === 'invocations:finished') append(records, event.payload, MAX_RECORDS);
    if (event.type === 'sandboxes:changed') append(changes, event.payload, MAX_RECORDS * 2);
    if (event.type === 'logs:appended') append(logs, event.payload, MAX_LOGS);
    if (event.type === 'project:changed' && event.payload.status === 'opening') reset();
  });

  function append<T>(list: typeof records | typeof changes | typeof logs, item: T, limit: number): void {
    const items = list.value as T[];
    items.push(item);
    if (items.length > limit * 1.25) (list.value as T[]) = items.slice(items.length - limit);
    triggerRef(list);
  }

  function reset(): void {
    records.value = [];
    changes.value = [];
    logs.value = [];
  }

  async function load(): Promise<void> {
    try {
      const snapshot = await backend.call('activity:get', {});
      records.value = snapshot.records;
      changes.value = snapshot.sandboxChanges;
      logs.value = snapshot.logs;
      error.value = undefined;
    } catch (err) {
      error.value = messageOf(err);
    }
  }

  async function clear(): Promise<void> {
    await backend.call('activity:clear', {});
    reset();
  }

  return { records, changes, logs, error, load, clear };
});
