import { describe, expect, test } from 'vitest';
import { IdlePool } from './idle-pool.ts';

describe('IdlePool', () => {
  test('keeps the order environments went idle in, across removals from both ends and the middle', () => {
    const pool = new IdlePool(4);
    for (let i = 0; i < 6; i++) pool.push(i, i + 100, i * 10);
    pool.base++; // the oldest expired
    pool.removeAt(3); // taken from the middle
    pool.top--; // the newest taken
    const created = [];
    for (let i = pool.base; i < pool.top; i++) created.push(pool.createdAt[i]);
    expect(created).toEqual([10, 20, 40]);
    expect(pool.size).toBe(3);
  });

  test('reuses the space its base has left behind instead of growing forever', () => {
    const pool = new IdlePool(8);
    for (let round = 0; round < 1000; round++) {
      pool.push(round, round + 1, round);
      if (pool.size > 3) pool.base++;
    }
    expect(pool.size).toBe(3);
    expect(pool.availableAt.length).toBe(8);
    expect(pool.createdAt[pool.top - 1]).toBe(999);
  });
});
