import { describe, expect, test } from 'vitest';
import { EventHeap } from './event-heap.ts';
import { Random } from './random.ts';

describe('EventHeap', () => {
  test('pops events in time order with their values, growing past its first capacity', () => {
    const heap = new EventHeap(2);
    const r = new Random(1);
    const times = Array.from({ length: 1000 }, () => r.nextOpen() * 1000);
    times.forEach((t, i) => heap.push(t, i));
    const out: number[] = [];
    while (heap.size > 0) {
      const t = heap.peekTime();
      expect(times[heap.peekValue()]).toBe(t);
      out.push(t);
      heap.pop();
    }
    expect(out).toEqual([...times].sort((a, b) => a - b));
    expect(heap.peekTime()).toBe(Infinity);
  });

  test('forEach visits every pending event', () => {
    const heap = new EventHeap();
    heap.push(3, 30);
    heap.push(1, 10);
    const seen: number[] = [];
    heap.forEach((_t, v) => seen.push(v));
    expect(seen.sort()).toEqual([10, 30]);
  });
});
