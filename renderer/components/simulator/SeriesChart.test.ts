import { mount } from '@vue/test-utils';
import { expect, test } from 'vitest';
import SeriesChart from './SeriesChart.vue';

const series = [
  { label: 'Running', values: [0, 1.5, 3, 2], kind: 'line' as const, color: 'var(--blue)' },
  { label: 'Cold starts', values: [2, 0, 0, 5], kind: 'bars' as const, color: 'var(--amber)' },
];

test('the chart draws each series, with axes that fit the data and say what it shows', () => {
  const wrapper = mount(SeriesChart, { props: { title: 'Concurrency per minute', series, binSeconds: 900, reference: { value: 4, label: 'Limit (4)' } } });
  expect(wrapper.get('figure').attributes('aria-label')).toBe('Concurrency per minute');
  expect(wrapper.get('svg').attributes('aria-label')).toBe('Running: peak 3; Cold starts: peak 5, total 7');
  expect(wrapper.findAll('.y-axis span').map((s) => s.text())).toEqual(['0', '2', '4', '6']);
  expect(wrapper.findAll('.x-axis span').map((s) => s.text())).toEqual(['0', '10 min', '20 min', '30 min', '40 min', '50 min', '1 h']);
  expect(wrapper.get('path.line').attributes('d')).toBe('M125,100L375,75L625,50L875,66.67');
  expect(wrapper.get('path.bars').attributes('d')?.match(/M/g)).toHaveLength(2);
  expect(wrapper.find('line.reference').exists()).toBe(true);
  expect(wrapper.text()).toContain('Limit (4)');
});

test('pointing at a bin shows its time and values', async () => {
  const wrapper = mount(SeriesChart, { props: { title: 'Concurrency', series, binSeconds: 60 }, attachTo: document.body });
  const plot = wrapper.get('.plot');
  (plot.element as HTMLElement).getBoundingClientRect = () => ({ left: 0, width: 400, top: 0, height: 150, right: 400, bottom: 150, x: 0, y: 0, toJSON: () => ({}) });
  await plot.trigger('mousemove', { clientX: 350 });
  expect(wrapper.get('.tip').text()).toBe('3 min – 4 minRunning 2Cold starts 5');
  await plot.trigger('mouseleave');
  expect(wrapper.find('.tip').exists()).toBe(false);
  wrapper.unmount();
});
