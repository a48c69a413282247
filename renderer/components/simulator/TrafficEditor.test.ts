import { mount } from '@vue/test-utils';
import { expect, test } from 'vitest';
import { BACKEND_KEY, BackendError } from '../../backend/backend.ts';
import { useAppStore } from '../../stores/app.ts';
import { useSimulatorStore } from '../../stores/simulator.ts';
import { FakeBackend, flush, withBackend } from '../../test-support/fake-backend.ts';
import { fakeFunction, fakeResult, openProject } from '../../test-support/simulator-fixtures.ts';
import TrafficEditor from './TrafficEditor.vue';

async function mountEditor(backend: FakeBackend) {
  backend.on('app:info', () => ({ mode: 'browser', version: '0', recentProjects: [], project: openProject([fakeFunction()]) }));
  const { pinia, run } = withBackend(backend);
  await run(() => useAppStore()).load();
  const sim = run(() => useSimulatorStore());
  sim.select('hello-fn');
  const wrapper = mount(TrafficEditor, { global: { plugins: [pinia], provide: { [BACKEND_KEY as symbol]: backend } } });
  return { wrapper, sim };
}

const fieldOf = (wrapper: Awaited<ReturnType<typeof mountEditor>>['wrapper'], label: string) => wrapper.findAll('label.sim-field').find((l) => l.find('.label').text() === label)!;

test('memory out of range is flagged next to the field and the run button is disabled', async () => {
  const { wrapper } = await mountEditor(new FakeBackend());
  await fieldOf(wrapper, 'Memory').get('input').setValue('64');
  expect(fieldOf(wrapper, 'Memory').text()).toContain('Must be from 128 to 10,240 MB.');
  expect(wrapper.get('button[type=submit]').attributes('disabled')).toBeDefined();
  await fieldOf(wrapper, 'Memory').get('input').setValue('1024');
  expect(wrapper.get('button[type=submit]').attributes('disabled')).toBeUndefined();
});

test('each arrival type shows its own fields, and the estimate follows the rate', async () => {
  const { wrapper } = await mountEditor(new FakeBackend());
  expect(fieldOf(wrapper, 'Simulate').text()).toContain('≈ 86,400 requests');
  await fieldOf(wrapper, 'Rate').get('input').setValue('2.5');
  expect(fieldOf(wrapper, 'Simulate').text()).toContain('≈ 216,000 requests');
  await wrapper.findAll('[role=radio]').find((b) => b.text() === 'Bursts')!.trigger('click');
  expect(wrapper.findAll('label.sim-field .label').map((l) => l.text())).toEqual(expect.arrayContaining(['Burst size', 'Every', 'Spread over', 'Between bursts']));
  expect(fieldOf(wrapper, 'Rate')).toBeUndefined();
});

test('the engine’s word on a field is shown under that field', async () => {
  const backend = new FakeBackend().on('simulator:run', () => {
    throw new BackendError({ name: 'ScenarioRequestError', message: 'x', problems: [{ path: ['scenario', 'horizonSeconds'], field: 'scenario.horizonSeconds', message: 'about 4,320,000 requests; use at most 20,000 s', fix: '' }] });
  });
  const { wrapper } = await mountEditor(backend);
  await wrapper.get('form').trigger('submit');
  await flush();
  expect(fieldOf(wrapper, 'Simulate').get('[role=alert]').text()).toBe('about 4,320,000 requests; use at most 20,000 s');
});

test('calibrating shows what was measured, at which memory size, and the notes', async () => {
  const backend = new FakeBackend()
    .on('simulator:calibrate', () => ({
      functionName: 'hello-fn', memoryMb: 128, records: 4, service: { warm: { type: 'empirical', samplesMs: [10, 12, 14] }, init: { type: 'empirical', samplesMs: [240] } },
      warmSamples: 3, coldSamples: 1, warmMedianMs: 12, initMedianMs: 240, notes: ['Some records come from host processes (lower fidelity than containers).'],
    }))
    .on('simulator:run', () => fakeResult());
  const { wrapper, sim } = await mountEditor(backend);
  await wrapper.findAll('button').find((b) => b.text() === 'Calibrate from recordings')!.trigger('click');
  await flush();
  const calibration = wrapper.get('[aria-label=Calibration]');
  expect(calibration.text()).toContain('Measured at 128 MB: warm median 12.0 ms (3 samples), init median 240 ms (1 cold start).');
  expect(calibration.text()).toContain('lower fidelity');
  expect(fieldOf(wrapper, 'Warm duration (median)')).toBeUndefined();
  await fieldOf(wrapper, 'Memory').get('input').setValue('512');
  expect(calibration.text()).toContain('measured at 128 MB and are used as they are at 512 MB');
  await wrapper.findAll('button').find((b) => b.text() === 'Use typed times instead')!.trigger('click');
  expect(sim.draft?.calibrated).toBeUndefined();
});
