import { mount } from '@vue/test-utils';
import { expect, test } from 'vitest';
import type { FunctionConfig, ProjectState } from '../../electron/engine/contract.ts';
import { BACKEND_KEY } from '../backend/backend.ts';
import { useAppStore } from '../stores/app.ts';
import { FakeBackend, flush, withBackend } from '../test-support/fake-backend.ts';
import InvokePanel from './InvokePanel.vue';

const fn = { logicalId: 'Hello', functionName: 'hello-fn', runtime: 'nodejs20.x', events: [] } as unknown as FunctionConfig;
const open: ProjectState = {
  status: 'open',
  dir: '/p',
  snapshot: { model: { dir: '/p', templatePath: '/p/template.yaml', functions: [fn], layers: [], parameters: {}, warnings: [] }, docker: { available: true, endpoint: 'x' }, sandboxKind: 'docker', endpointUrl: 'http://127.0.0.1:3001', apiUrl: '', services: [], debugPort: 9229 },
};

function mountPanel() {
  const backend = new FakeBackend()
    .on('app:info', () => ({ mode: 'browser', version: '0', recentProjects: [], project: open }))
    .on('functions:invoke', (r) => ({ record: {} as never, payload: '{}', contentType: 'application/json', logs: `cold=${String(r.forceCold)}` }));
  const { pinia, run } = withBackend(backend);
  return { backend, pinia, run };
}

test('an event that is not JSON is flagged and cannot be sent', async () => {
  const { backend, pinia, run } = mountPanel();
  await run(() => useAppStore().load());
  const wrapper = mount(InvokePanel, { global: { plugins: [pinia], provide: { [BACKEND_KEY as symbol]: backend } } });
  await wrapper.get('textarea').setValue('{"broken": ');
  expect(wrapper.text()).toContain('The event is not valid JSON');
  expect(wrapper.get('button[type=submit]').attributes('disabled')).toBeDefined();
  await wrapper.get('textarea').setValue('{"name": "Ada"}');
  expect(wrapper.get('button[type=submit]').attributes('disabled')).toBeUndefined();
});

test('force cold start sends the invoke with forceCold; the debugger port is shown', async () => {
  const { backend, pinia, run } = mountPanel();
  await run(() => useAppStore().load());
  const wrapper = mount(InvokePanel, { global: { plugins: [pinia], provide: { [BACKEND_KEY as symbol]: backend } } });
  await wrapper.findAll('button').find((b) => b.text() === 'Force cold start')!.trigger('click');
  await flush();
  expect(backend.callsTo('functions:invoke')).toEqual([{ functionName: 'hello-fn', payload: '{}', forceCold: true }]);
  expect(wrapper.text()).toContain('127.0.0.1:9229');
});
