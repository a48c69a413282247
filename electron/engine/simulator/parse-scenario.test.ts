import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { loadScenarioFile } from './load-scenario.ts';
import { parseScenario } from './parse-scenario.ts';
import { ScenarioError } from './scenario-error.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const examplesDir = path.join(repoRoot, 'examples/scenarios');

const minimal = {
  arrivals: { type: 'poisson', ratePerSecond: 1 },
  service: { warm: { type: 'fixed', ms: 10 }, init: { type: 'fixed', ms: 100 } },
};

function problemsOf(raw: unknown): string[] {
  try {
    parseScenario(raw, 'scenario.json');
  } catch (err) {
    if (err instanceof ScenarioError) return err.problems.map((p) => `${p.field}: ${p.message}`);
    throw err;
  }
  throw new Error('the scenario was accepted');
}

describe('parseScenario', () => {
  test("fills in AWS's defaults: 128 MB x86_64, 600 s keep-alive, 1,000 concurrency, 1 ms billing, init billed", () => {
    const s = parseScenario(minimal);
    expect(s.function).toEqual({ memoryMb: 128, architecture: 'x86_64', ephemeralMb: 512, timeoutSeconds: 900 });
    expect(s.keepAlive).toEqual({ type: 'fixed', idleSeconds: 600, jitterSeconds: 0 });
    expect(s.concurrency).toMatchObject({ max: 1000, onLimit: 'reject', scalingLimit: false });
    expect(s.pricing).toEqual({ region: 'us-east-1', freeTier: false, granularityMs: 1, billInit: true });
    expect(s.routing).toBe('newest');
  });

  test('each bad field is named with what is allowed and what was given', () => {
    const problems = problemsOf({
      ...minimal,
      function: { memoryMb: 64, architecture: 'x86' },
      arrivals: { type: 'poison', ratePerSecond: 1 },
      pricing: { granularityMs: 10 },
    });
    expect(problems).toEqual([
      'function.memoryMb: must be a whole number from 128 to 10,240 (MB); got 64',
      'function.architecture: must be one of x86_64, arm64; got "x86"',
      'arrivals.type: must be one of poisson, constant, piecewise, diurnal, bursts, trace; got "poison"',
      'pricing.granularityMs: must be 1 (AWS since 2020) or 100 (legacy); got 10',
    ]);
  });

  test('missing fields, wrong types and typos say so', () => {
    expect(problemsOf({ arrivals: { type: 'poisson' }, service: minimal.service })).toEqual([
      'arrivals.ratePerSecond: missing; must be a number above 0 (requests per second)',
    ]);
    expect(problemsOf({ ...minimal, horizonSeconds: '100' })).toEqual(['horizonSeconds: must be a number above 0 and at most 400,000,000 (seconds); got "100"']);
    expect(problemsOf({ ...minimal, keepalive: { type: 'none' } })[0]).toMatch(/^: unknown field 'keepalive'; allowed: name, function, arrivals, service, keepAlive/);
  });

  test('choices that need each other are checked together', () => {
    expect(problemsOf({ ...minimal, service: { warm: { type: 'fixed', ms: 1 } } })).toEqual([
      'service.cold: give exactly one of cold (the whole service time of a cold request) or init (init time, added to a warm draw)',
    ]);
    expect(problemsOf({ ...minimal, warmupSeconds: 100, horizonSeconds: 50 })).toEqual(['warmupSeconds: must be below the horizon (50 s); got 100']);
    expect(problemsOf({ ...minimal, provisioned: { schedule: [{ atSeconds: 10, concurrency: 1 }, { atSeconds: 5, concurrency: 0 }] } })).toEqual([
      'provisioned.schedule[1].atSeconds: must be after step 0 (10 s)',
    ]);
    expect(problemsOf({ ...minimal, arrivals: { type: 'bursts', burstSize: 5, everySeconds: 1, spreadMs: 2000 } })).toEqual([
      'arrivals.spreadMs: must be at most everySeconds × 1000 (1000 ms), so bursts do not overlap',
    ]);
    expect(problemsOf({ ...minimal, arrivals: { type: 'trace' } })).toEqual([
      'arrivals.file: give exactly one of file (a CSV), timesMs (arrival times) or countsPerMinute (invocations per minute)',
    ]);
  });

  test('the error carries the file name and a fix', () => {
    try {
      parseScenario({ ...minimal, seed: -1 }, 'my.json');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ScenarioError);
      expect((err as ScenarioError).message).toBe('my.json: seed: must be a whole number from 0 to 4,294,967,295; got -1');
      expect((err as ScenarioError).fix).toMatch(/examples\/scenarios/);
    }
  });

  test('the free tier is explicit per part; true means what AWS applies (requests and compute)', () => {
    expect(parseScenario({ ...minimal, pricing: { freeTier: { requests: true, compute: false } } }).pricing.freeTier).toEqual({ requests: true, compute: false, storage: false });
    expect(problemsOf({ ...minimal, pricing: { freeTier: { requests: true } } })).toEqual(['pricing.freeTier.compute: missing; must be true or false']);
  });
});

describe('example scenarios', () => {
  const files = readdirSync(examplesDir).filter((f) => f.endsWith('.json'));
  test('there are examples to start from', () => expect(files.length).toBeGreaterThanOrEqual(5));
  test.each(files)('%s is a valid scenario', async (file) => {
    await expect(loadScenarioFile(path.join(examplesDir, file))).resolves.toHaveProperty('arrivals');
  });
});

describe('runaway scenarios', () => {
  test('a scenario of hours of computing is refused, with the way out', () => {
    expect(problemsOf({ ...minimal, arrivals: { type: 'poisson', ratePerSecond: 100_000 }, horizonSeconds: 31_536_000 })).toEqual([
      'horizonSeconds: gives about 3.2e+12 arrivals, hours of computing; at most 1e+11 are simulated: shorten the horizon (a month is usually enough; monthlyCost scales it)',
    ]);
  });
});
