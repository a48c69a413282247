import { expect, test } from 'vitest';
import { fakeFunction } from '../test-support/simulator-fixtures.ts';
import { applyWhatIf, checkDraft, describeWhatIf, draftFor, estimateRequests, placeProblems } from './traffic-draft.ts';

const draft = draftFor(fakeFunction({ memoryMb: 512 }));

test('the engine’s problems land on the form fields they come from', () => {
  const problem = (field: string, message = 'bad') => ({ path: field.split('.'), field, message, fix: '' });
  const placed = placeProblems([
    problem('scenario.arrivals.meanRatePerSecond', 'must be above 0'),
    problem('scenario.keepAlive.idleSeconds'),
    problem('scenario.service.warm.samplesMs[3]', 'must be 0 or more'),
    problem('scenario.warmupSeconds', 'must be below the horizon'),
    problem('scenario.pricing.region', 'must be one of us-east-1, us-east-2, us-west-2'),
  ]);
  expect(placed.byField).toEqual({ ratePerSecond: 'must be above 0', keepAliveMinutes: 'bad', warmMedianMs: 'must be 0 or more', horizonHours: 'must be below the horizon' });
  expect(placed.other).toEqual(['scenario.pricing.region: must be one of us-east-1, us-east-2, us-west-2']);
});

test('only the fields the arrival type uses are checked', () => {
  expect(checkDraft({ ...draft, burstSize: 0 })).toEqual({});
  expect(checkDraft({ ...draft, arrivalType: 'bursts', burstSize: 1.5, burstSpreadMs: 2_000_000 })).toEqual({ burstSize: 'Enter a whole number of requests.', burstSpreadMs: 'Must be shorter than the time between bursts.' });
  expect(checkDraft({ ...draft, ratePerSecond: 0, provisionedConcurrency: -1 })).toEqual({ ratePerSecond: 'Must be above 0 requests per second.', provisionedConcurrency: 'Must be from 0 to 1,000,000 environments.' });
});

test('the estimate counts bursts as they come', () => {
  expect(estimateRequests({ ...draft, ratePerSecond: 2, horizonHours: 1 })).toBe(7200);
  expect(estimateRequests({ ...draft, arrivalType: 'bursts', baseRatePerSecond: 0, burstSize: 100, burstEverySeconds: 900, horizonHours: 1 })).toBe(400);
});

test('a what-if changes only what it names, and says so in words', () => {
  const variant = applyWhatIf(draft, { memoryMb: 1024, trafficFactor: 2 });
  expect(variant).toEqual({ ...draft, memoryMb: 1024, ratePerSecond: 2, baseRatePerSecond: 0.2, burstSize: 100 });
  expect(describeWhatIf(draft, { memoryMb: 1024, trafficFactor: 2, architecture: 'x86_64' })).toBe('1,024 MB · traffic ×2');
  expect(describeWhatIf(draft, {})).toBe('no change');
});
