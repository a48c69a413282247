import { mount } from '@vue/test-utils';
import { expect, test } from 'vitest';
import { BACKEND_KEY } from '../../backend/backend.ts';
import { useAppStore } from '../../stores/app.ts';
import { useSimulatorStore } from '../../stores/simulator.ts';
import { FakeBackend, flush, withBackend } from '../../test-support/fake-backend.ts';
import { fakeCost, fakeFunction, fakeResult, openProject } from '../../test-support/simulator-fixtures.ts';
import WhatIfComparison from './WhatIfComparison.vue';

test('a preset runs the what-if beside the current scenario, each change coloured by whether it helps', async () => {
  const backend = new FakeBackend()
    .on('app:info', () => ({ mode: 'browser', version: '0', recentProjects: [], project: openProject([fakeFunction()]) }))
    .on('simulator:run', ({ scenario }) =>
      scenario.provisioned
        ? fakeResult({ coldStarts: 0, coldStartProbability: 0, monthlyCost: fakeCost({ requestCharge: '0.5184', computeCharge: '0.9', provisionedCharge: '8.1', total: '9.5184' }) })
        : fakeResult(),
    );
  const { pinia, run } = withBackend(backend);
  await run(() => useAppStore()).load();
  const sim = run(() => useSimulatorStore());
  sim.select('hello-fn');
  const wrapper = mount(WhatIfComparison, { global: { plugins: [pinia], provide: { [BACKEND_KEY as symbol]: backend } } });
  await wrapper.findAll('button').find((b) => b.text() === 'Provisioned for the peak')!.trigger('click');
  await flush();
  await flush();
  expect(wrapper.get('thead').text()).toContain('What if: 1 provisioned');
  const row = (label: string) => wrapper.findAll('tbody tr').find((tr) => tr.find('td').text() === label)!;
  expect(row('Cold starts').findAll('td').map((td) => td.text())).toEqual(['Cold starts', '36', '0', '−36 (−100 %)']);
  expect(row('Cold starts').get('.delta').classes()).toContain('better');
  expect(row('Total / month').findAll('td').map((td) => td.text())).toEqual(['Total / month', '$1.63', '$9.52', '+$7.89']);
  expect(row('Total / month').get('.delta').classes()).toContain('worse');
  expect(row('Requests').get('.delta').classes()).toContain('same');
  expect((wrapper.get('input[aria-label="What-if provisioned"]').element as HTMLInputElement).value).toBe('1');
});
