import { expect, test } from 'vitest';
import { fakeCost, fakeResult } from '../test-support/simulator-fixtures.ts';
import { compareResults } from './compare-results.ts';

test('each row says the change and whether it is better, judged the right way round', () => {
  const current = fakeResult();
  const whatIf = fakeResult({
    coldStarts: 12,
    coldStartProbability: 0.0033,
    latencyMs: { mean: 90, p50: 80, p95: 300, p99: 480, max: 900 },
    avgInstances: 2.1,
    monthlyCost: fakeCost({ requestCharge: '0.5184', computeCharge: '1.00995', total: '1.52835' }),
  });
  const rows = Object.fromEntries(compareResults(current, whatIf).map((r) => [r.label, r]));
  expect(rows['Cold starts']).toMatchObject({ current: '36', whatIf: '12', delta: '−24 (−67 %)', tone: 'better' });
  expect(rows['Cold-start rate']).toMatchObject({ current: '1.0 %', whatIf: '0.33 %', tone: 'better' });
  expect(rows['Latency p95']).toMatchObject({ delta: '+60 ms (+25 %)', tone: 'worse' });
  expect(rows['Latency p99']).toMatchObject({ delta: '±0', tone: 'same' });
  expect(rows['Environments (average)']).toMatchObject({ tone: 'neutral' });
  expect(rows['Compute / month']).toMatchObject({ current: '$1.11', whatIf: '$1.01', delta: '−$0.10', tone: 'better' });
  expect(rows['Total / month']).toMatchObject({ delta: '−$0.10', tone: 'better', group: 'cost' });
  expect(rows['Requests charge / month']).toMatchObject({ delta: '±$0.00', tone: 'same' });
});
