import { describe, expect, test } from 'vitest';
import { TimeSeries } from './time-series.ts';

describe('TimeSeries', () => {
  test('a span over several bins adds its share to each, and the last bin may be shorter', () => {
    const ts = new TimeSeries(150_000, 60);
    ts.addInstance(30_000, 130_000);
    expect(Array.from(ts.instanceAverages())).toEqual([0.5, 1, 10 / 30]);
  });

  test('requests add running time in the bin they run in; crossing ones are split', () => {
    const ts = new TimeSeries(120_000, 60);
    ts.advance(10_000, 0);
    ts.addRequest(10_000, 40_000, 1);
    ts.addRequest(50_000, 80_000, 2);
    ts.advance(80_000, 0);
    expect(Array.from(ts.runningAverages())).toEqual([40_000 / 60_000, 20_000 / 60_000]);
    expect(Array.from(ts.peakRunning)).toEqual([2, 0]);
  });

  test('a bin starts with the requests already in flight as its peak', () => {
    const ts = new TimeSeries(180_000, 60);
    ts.advance(1_000, 0);
    ts.addRequest(1_000, 170_000, 3);
    ts.advance(175_000, 3);
    expect(Array.from(ts.peakRunning)).toEqual([3, 3, 3]);
  });
});
