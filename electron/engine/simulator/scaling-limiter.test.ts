import { describe, expect, test } from 'vitest';
import { ScalingLimiter } from './scaling-limiter.ts';

describe('ScalingLimiter', () => {
  test('1,000 new environments at once, then 100 a second, never banking more than 1,000', () => {
    const limiter = new ScalingLimiter(1000, 10);
    let started = 0;
    for (let i = 0; i < 1500; i++) if (limiter.tryStart(0)) started++;
    expect(started).toBe(1000);
    let later = 0;
    for (let i = 0; i < 500; i++) if (limiter.tryStart(1000)) later++;
    expect(later).toBe(100);
    let afterRest = 0;
    for (let i = 0; i < 5000; i++) if (limiter.tryStart(1_000_000)) afterRest++;
    expect(afterRest).toBe(1000);
  });
});
