import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { SampleEvent } from '../contract.ts';

import { generateSampleEvent, listSampleEvents as listLibrary } from '../triggers/sample-events/sample-event-library.ts';

export type SampleLibrary = () => Promise<SampleEvent[]>;

/** SAM CLI's sample events (`sam local generate-event`), rendered with their defaults. */
export const samLibrary: SampleLibrary = async () =>
  listLibrary().map((s) => ({ id: `sam:${s.service}/${s.event}`, source: s.service, title: `${s.service} ${s.event}`, payload: JSON.stringify(generateSampleEvent(s.service, s.event), null, 2) }));

/**
 * Events to start an invoke from: the project's own `events/*.json` first (what its README
 * tells users to send), then the engine's library of AWS-shaped samples.
 */
export async function listSampleEvents(projectDir: string, library: SampleLibrary | undefined = samLibrary): Promise<SampleEvent[]> {
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
