import { mount } from '@vue/test-utils';
import { expect, test } from 'vitest';
import { BACKEND_KEY } from '../../backend/backend.ts';
import { useAppStore } from '../../stores/app.ts';
import { useSimulatorStore } from '../../stores/simulator.ts';
import { FakeBackend, flush, withBackend } from '../../test-support/fake-backend.ts';
import { fakeFunction, fakeSweep, openProject } from '../../test-support/simulator-fixtures.ts';
import MemorySweep from './MemorySweep.vue';

async function mountSweep() {
  const backend = new FakeBackend()
    .on('app:info', () => ({ mode: 'browser', version: '0', recentProjects: [], project: openProject([fakeFunction()]) }))
    .on('simulator:sweep', () => fakeSweep());
  const { pinia, run } = withBackend(backend);
  await run(() => useAppStore()).load();
  const sim = run(() => useSimulatorStore());
  sim.select('hello-fn');
  const wrapper = mount(MemorySweep, { global: { plugins: [pinia], provide: { [BACKEND_KEY as symbol]: backend } } });
  return { wrapper, sim, backend };
}

test('a sweep shows every size with its picks, and a pick can become the memory size', async () => {
  const { wrapper, sim } = await mountSweep();
  await wrapper.get('form').trigger('submit');
  await flush();
  const rows = wrapper.findAll('tbody tr').map((tr) => tr.findAll('td').map((td) => td.text()));
  expect(rows.map((r) => r[0])).toEqual(['128 MB', '256 MB (measured)', '512 MB', '1,024 MB']);
  expect(rows[1]).toEqual(['256 MB (measured)', '100 ms', '240 ms', '1.0 %', '$0.42', '$1.61', 'Cheapest']);
  expect(rows[2]?.[6]).toBe('Balanced');
  expect(rows[3]?.[6]).toBe('Fastest');
  expect(wrapper.get('[aria-label="Fastest pick"]').text()).toContain('1,024 MB');
  expect(wrapper.get('[aria-label="Memory sweep chart"]').findAll('.x-axis span').map((s) => s.text())).toEqual(['128 MB', '256 MB', '512 MB', '1024 MB']);
  expect(wrapper.get('[aria-label="Cheapest pick"]').text()).toContain('In use');
  await wrapper.get('[aria-label="Balanced pick"]').get('button').trigger('click');
  expect(sim.draft?.memoryMb).toBe(512);
  expect(wrapper.get('[aria-label="Balanced pick"]').text()).toContain('In use');
});

test('sizes that are not memory sizes are refused before sending', async () => {
  const { wrapper, backend } = await mountSweep();
  await wrapper.get('input[aria-label="Memory sizes"]').setValue('128, 99999');
  expect(wrapper.text()).toContain('99999 is not a memory size');
  expect(wrapper.get('button[type=submit]').attributes('disabled')).toBeDefined();
  await wrapper.get('form').trigger('submit');
  expect(backend.callsTo('simulator:sweep')).toEqual([]);
});
