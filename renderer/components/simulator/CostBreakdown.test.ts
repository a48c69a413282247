import { mount } from '@vue/test-utils';
import { expect, test } from 'vitest';
import { fakeCost, fakeResult } from '../../test-support/simulator-fixtures.ts';
import CostBreakdown from './CostBreakdown.vue';

const result = fakeResult({
  measuredSeconds: 86_400,
  cost: fakeCost({ requestCharge: '0.01728', computeCharge: '0.0369960', provisionedCharge: '0.0005', total: '0.0547760' }),
  monthlyCost: fakeCost({ requestCharge: '0.5184', computeCharge: '1.109880', provisionedCharge: '0.015', total: '1.64328' }),
});

const cells = (wrapper: ReturnType<typeof mount>) => wrapper.findAll('tbody tr').map((tr) => tr.findAll('td').map((td) => td.text()));

test('each charge is shown for the simulated day and for a month, rounded to cents', () => {
  const wrapper = mount(CostBreakdown, { props: { result, freeTier: false } });
  expect(wrapper.text()).toContain('Simulated 24 h');
  expect(cells(wrapper)).toEqual([
    ['Requests', '$0.02', '$0.52'],
    ['Compute (on demand)', '$0.04', '$1.11'],
    ['Ephemeral storage', '$0.00', '$0.00'],
    ['Provisioned concurrency', '< $0.01', '$0.02'],
    ['Total', '$0.05', '$1.64'],
  ]);
  expect(wrapper.get('tr.total td:last-child').attributes('title')).toBe('$1.64328');
});

test('the exact amounts are one click away', async () => {
  const wrapper = mount(CostBreakdown, { props: { result, freeTier: true } });
  await wrapper.get('input[type=checkbox]').setValue(true);
  expect(cells(wrapper)[4]).toEqual(['Total', '$0.0547760', '$1.64328']);
  expect(wrapper.text()).toContain('The free tier is applied');
});
