import { EventEmitter } from 'node:events';
import { expect, test } from 'vitest';
import { ManualClock } from '../clock.ts';
import type { AppEvent, DockerStatus, EngineEvent, ProjectModel } from '../contract.ts';
import type { Engine } from '../create-engine.ts';
import { DockerWatcher } from './docker-watcher.ts';
import { ProjectSession } from './project-session.ts';

function fakeEngine(dir: string, kind: 'docker' | 'process'): Engine & { stopped: boolean } {
  const model = { dir, templatePath: `${dir}/template.yaml`, functions: [], layers: [], parameters: {}, warnings: [] } as ProjectModel;
  const engine = {
    events: new EventEmitter<{ event: [EngineEvent] }>(),
    docker: { available: kind === 'docker', endpoint: 'unix:///var/run/docker.sock' },
    sandboxKind: kind,
    services: new Map(),
    endpoint: { url: 'http://127.0.0.1:3001' },
    invoker: { sandboxes: () => [] },
    stopped: false,
    model: () => model,
    reload: async () => model,
    start: async () => undefined,
    async stop() {
      engine.stopped = true;
    },
  };
  return engine as unknown as Engine & { stopped: boolean };
}

function setup(firstAnswer: DockerStatus) {
  const clock = new ManualClock(0);
  let answer = firstAnswer;
  const docker = new DockerWatcher({ probe: async () => answer, clock, intervalMs: 5000 });
  const engines: Array<Engine & { stopped: boolean }> = [];
  const session = new ProjectSession({
    mode: 'electron',
    version: 'test',
    sandbox: 'auto',
    docker,
    clock,
    createEngine: async (dir) => {
      const engine = fakeEngine(dir, answer.available ? 'docker' : 'process');
      engines.push(engine);
      return engine;
    },
  });
  const events: AppEvent[] = [];
  session.events.on('event', (e) => events.push(e));
  return { clock, docker, session, engines, events, setAnswer: (s: DockerStatus) => (answer = s) };
}

test('when Docker comes back, functions that fell back to host processes move into containers by themselves', async () => {
  const down = { available: false, endpoint: 'unix:///var/run/docker.sock', error: 'connect ENOENT' };
  const { clock, docker, session, engines, events, setAnswer } = setup(down);
  await session.open('/work/hello');
  docker.start();
  expect(session.engine().sandboxKind).toBe('process');
  await clock.advance(5000);
  expect(events.filter((e) => e.type === 'docker:changed')).toEqual([]);

  setAnswer({ available: true, endpoint: 'unix:///var/run/docker.sock', version: '27.0' });
  await clock.advance(5000);
  await clock.advance(0);
  expect(events.filter((e) => e.type === 'docker:changed').map((e) => (e.payload as DockerStatus).available)).toEqual([true]);
  expect(engines).toHaveLength(2);
  expect(engines[0]!.stopped).toBe(true);
  expect(session.engine().sandboxKind).toBe('docker');
  const last = events.filter((e) => e.type === 'project:changed').at(-1)!.payload as { status: string };
  expect(last.status).toBe('open');
  docker.stop();
  await session.close();
});

test('a project that fails to open is a state with the error, not a crash', async () => {
  const { session } = setup({ available: true, endpoint: 'x' });
  const failing = new ProjectSession({
    mode: 'browser',
    version: 't',
    sandbox: 'auto',
    docker: new DockerWatcher({ probe: async () => ({ available: true, endpoint: 'x' }), clock: new ManualClock(), intervalMs: 1000 }),
    clock: new ManualClock(),
    createEngine: async () => {
      throw Object.assign(new Error('template.yaml:3:1 Resources: must be a mapping'), { name: 'TemplateErrors' });
    },
  });
  const state = await failing.open('/broken');
  expect(state).toEqual({ status: 'failed', dir: '/broken', error: { name: 'TemplateErrors', message: 'template.yaml:3:1 Resources: must be a mapping' } });
  expect(() => failing.engine()).toThrow('No project is open.');
  await session.close();
});

test('engine events are kept for a window that connects late', async () => {
  const { session } = setup({ available: true, endpoint: 'x' });
  await session.open('/p');
  const engine = session.engine();
  engine.events.emit('event', { type: 'logs:appended', payload: { functionName: 'F', sandboxId: 's', stream: 'stdout', line: 'hi', at: 1 } });
  expect(session.activitySnapshot().logs.map((l) => l.line)).toEqual(['hi']);
  await session.close();
});
