import { describe, expect, test } from 'vitest';
import { checkFunctionLimits, checkLayerLimits, checkZippedLimits, PACKAGE_LIMITS } from './check-limits.ts';
import type { PackageTarget } from './export-errors.ts';

const target = (logicalId: string, kind: PackageTarget['kind'] = 'function'): PackageTarget => ({ kind, logicalId, location: { file: 'template.yaml', line: 3, column: 3 } });
const MB = 1024 * 1024;

describe('Lambda limits', () => {
  test('the limits are AWS’s: 50 MB zipped, 250 MB unzipped, 5 layers, 4 KB of environment', () => {
    expect(PACKAGE_LIMITS).toEqual({ zippedBytes: 52_428_800, unzippedBytes: 262_144_000, layers: 5, environmentBytes: 4096 });
  });

  test('exactly at a limit passes; one byte or one layer more does not', () => {
    const fn = (codeBytes: number, layerCount: number, value: string) => ({
      target: target('Fn'),
      code: { target: target('Fn'), files: [{ path: 'a', size: codeBytes }] },
      layers: [],
      layerCount,
      environment: { K: value },
    });
    // {"K":"…"} is 8 bytes of JSON around the value.
    expect(checkFunctionLimits([fn(250 * MB, 5, 'v'.repeat(4096 - 8))])).toEqual([]);
    expect(checkFunctionLimits([fn(250 * MB + 1, 6, 'v'.repeat(4096 - 7))]).map((p) => [p.limit, p.actual])).toEqual([
      ['layer-count', 6],
      ['environment-size', 4097],
      ['unzipped-size', 250 * MB + 1],
    ]);
    expect(checkZippedLimits([{ target: target('Fn'), zippedBytes: 50 * MB, entries: [] }])).toEqual([]);
    expect(checkZippedLimits([{ target: target('Fn'), zippedBytes: 50 * MB + 1, entries: [] }])).toHaveLength(1);
  });

  test('environment size counts the JSON, escapes and multi-byte characters included', () => {
    // {"Q":"…"} around 2,045 quotes, each escaped to two bytes: 8 + 4,090.
    const problems = checkFunctionLimits([{ target: target('Fn'), layers: [], layerCount: 0, environment: { Q: '"'.repeat(2045) } }]);
    expect(problems.map((p) => p.actual)).toEqual([4098]);
    const accents = checkFunctionLimits([{ target: target('Fn'), layers: [], layerCount: 0, environment: { E: 'é'.repeat(2045) } }]);
    expect(accents.map((p) => p.actual)).toEqual([4098]); // two UTF-8 bytes each
  });

  test('the largest files are listed, biggest first, at most ten', () => {
    const files = Array.from({ length: 30 }, (_, i) => ({ path: `f${i}`, size: (i + 1) * 10 * MB }));
    const [problem] = checkLayerLimits([{ target: target('Big', 'layer'), files }]);
    expect(problem!.largest.map((item) => item.name)).toEqual(['f29', 'f28', 'f27', 'f26', 'f25', 'f24', 'f23', 'f22', 'f21', 'f20']);
    expect(problem!.message).toMatch(/^the layer is 4650\.0 MB unzipped/);
  });
});
