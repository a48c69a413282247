import { expect, test, vi } from 'vitest';

vi.mock('electron', () => ({}));
const { fitToDisplays, DEFAULT_SIZE } = await import('./window-state.ts');

const laptop = { x: 0, y: 0, width: 1440, height: 877 };
const monitor = { x: 1440, y: 0, width: 2560, height: 1415 };

test('no saved state opens at the default size, centred', () => {
  expect(fitToDisplays(undefined, [laptop])).toEqual({ bounds: DEFAULT_SIZE, maximized: false });
});

test('a window on the monitor that was unplugged comes back on the laptop, sized to fit', () => {
  const saved = { bounds: { x: 1600, y: 100, width: 2000, height: 1200 }, maximized: true };
  expect(fitToDisplays(saved, [laptop, monitor]).bounds).toEqual(saved.bounds);
  expect(fitToDisplays(saved, [laptop])).toEqual({ bounds: { width: 1440, height: 877 }, maximized: true });
});

test('a window only a sliver on screen counts as off screen', () => {
  const saved = { bounds: { x: 1400, y: 0, width: 800, height: 600 }, maximized: false };
  expect(fitToDisplays(saved, [laptop]).bounds.x).toBeUndefined();
  expect(fitToDisplays({ ...saved, bounds: { ...saved.bounds, x: 1300 } }, [laptop]).bounds.x).toBe(1300);
});
