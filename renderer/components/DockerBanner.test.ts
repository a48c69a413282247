import { mount } from '@vue/test-utils';
import { expect, test } from 'vitest';
import type { ProjectState } from '../../electron/engine/contract.ts';
import { BACKEND_KEY } from '../backend/backend.ts';
import { useAppStore } from '../stores/app.ts';
import { FakeBackend, withBackend } from '../test-support/fake-backend.ts';
import DockerBanner from './DockerBanner.vue';

const open = (available: boolean): ProjectState => ({
  status: 'open',
  dir: '/p',
  snapshot: { model: { dir: '/p', templatePath: '/p/template.yaml', functions: [], layers: [], parameters: {}, warnings: [] }, docker: { available, endpoint: 'unix:///var/run/docker.sock' }, sandboxKind: available ? 'docker' : 'process', endpointUrl: '', apiUrl: '', services: [] },
});

test('"Docker is not running" shows while Docker is down and clears by itself when it answers again', async () => {
  const backend = new FakeBackend().on('app:info', () => ({ mode: 'electron', version: '0', recentProjects: [], project: open(false) }));
  const { pinia, run } = withBackend(backend);
  await run(() => useAppStore().load());
  const wrapper = mount(DockerBanner, { global: { plugins: [pinia], provide: { [BACKEND_KEY as symbol]: backend } } });
  expect(wrapper.text()).toContain('Docker is not running');
  expect(wrapper.text()).toContain('unix:///var/run/docker.sock');
  backend.emit({ type: 'docker:changed', payload: { available: true, endpoint: 'unix:///var/run/docker.sock', version: '27.0' } });
  await wrapper.vm.$nextTick();
  expect(wrapper.text()).toBe('');
});
