import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { SampleEvent } from '../contract.ts';

export type SampleLibrary = () => Promise<SampleEvent[]>;

/**
 * Events to start an invoke from: the project's own `events/*.json` first (what its README
 * tells users to send), then the engine's library of AWS-shaped samples.
 */
export async function listSampleEvents(projectDir: string, library?: SampleLibrary): Promise<SampleEvent[]> {
  const own = await projectEvents(join(projectDir, 'events'));
  const shared = library ? await library().catch(() => []) : [];
  return [...own, ...shared];
}

async function projectEvents(dir: string): Promise<SampleEvent[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const events: SampleEvent[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const payload = await readFile(join(dir, name), 'utf8').catch(() => undefined);
    if (payload !== undefined) events.push({ id: `project:${name}`, source: 'project', title: `events/${basename(name)}`, payload });
  }
  return events;
}
