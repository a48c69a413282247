import { defineStore } from 'pinia';
import { computed, markRaw, reactive, ref, shallowRef, watch } from 'vue';
import type { FieldProblemReply, SimulatorCalibration, SimulatorResult, SimulatorSweep } from '../../electron/engine/contract.ts';
import { BackendError, messageOf, useBackend } from '../backend/backend.ts';
import { applyWhatIf, checkDraft, describeWhatIf, draftFor, draftToScenario, placeProblems, type TrafficDraft, type WhatIf } from '../composables/traffic-draft.ts';
import { useAppStore } from './app.ts';

export interface RunOutcome {
  result: SimulatorResult;
  /** The scenario it ran, as JSON: the draft has changed since when this differs. */
  key: string;
}

export interface Comparison {
  current: SimulatorResult;
  whatIf: SimulatorResult;
  /** The what-if in words: `1,024 MB · 2 provisioned`. */
  label: string;
}

/** One function's simulator: its draft and what was last computed for it. */
export interface FunctionPanel {
  draft: TrafficDraft;
  whatIf: WhatIf;
  run?: RunOutcome;
  sweep?: SimulatorSweep;
  calibration?: SimulatorCalibration;
  comparison?: Comparison;
}

export const DEFAULT_SWEEP_SIZES = '128, 256, 512, 1024, 1536, 3008';

/** Whole MB from 128 to 10,240, comma-separated: the sizes to sweep, or what is wrong with them. */
export function parseSweepSizes(text: string): { sizes: number[]; error?: string } {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0) return { sizes: [], error: 'List at least one memory size, e.g. 128, 512, 1024.' };
  if (parts.length > 16) return { sizes: [], error: 'At most 16 memory sizes.' };
  const bad = parts.find((p) => !/^\d+$/.test(p) || Number(p) < 128 || Number(p) > 10_240);
  if (bad !== undefined) return { sizes: [], error: `${bad} is not a memory size: use whole MB from 128 to 10,240.` };
  return { sizes: parts.map(Number) };
}

const keyOf = (draft: TrafficDraft): string => JSON.stringify(draftToScenario(draft));

/**
 * The simulator panel: a traffic draft per function, and the runs, memory sweeps, calibrations
 * and what-if comparisons the engine computes from it. Only the latest request of each kind
 * counts: a slow answer to an older one is dropped.
 */
export const useSimulatorStore = defineStore('simulator', () => {
  const backend = useBackend();
  const app = useAppStore();
  const functionName = ref('');
  const panels = ref<Record<string, FunctionPanel>>({});
  const running = ref(false);
  const sweeping = ref(false);
  const calibrating = ref(false);
  const comparing = ref(false);
  const runError = ref<string>();
  const sweepError = ref<string>();
  const calibrateError = ref<string>();
  const compareError = ref<string>();
  /** The engine's problems with the last scenario sent, each at its field. */
  const problems = shallowRef<FieldProblemReply[]>([]);
  const sweepOptions = reactive({ sizes: DEFAULT_SWEEP_SIZES, cpuBoundShare: 1, multiThreaded: false });
  const tickets = { run: 0, sweep: 0, calibrate: 0, compare: 0 };

  const panel = computed<FunctionPanel | undefined>(() => panels.value[functionName.value]);
  const draft = computed(() => panel.value?.draft);
  const localProblems = computed(() => (draft.value ? checkDraft(draft.value) : {}));
  const placed = computed(() => placeProblems(problems.value));
  /** What each form field shows: the instant check first, else the engine's word. */
  const fieldProblems = computed(() => ({ ...placed.value.byField, ...localProblems.value }));
  const otherProblems = computed(() => placed.value.other);
  const canRun = computed(() => !!draft.value && Object.keys(localProblems.value).length === 0);
  const stale = computed(() => !!panel.value?.run && !!draft.value && panel.value.run.key !== keyOf(draft.value));
  const sweepSizes = computed(() => parseSweepSizes(sweepOptions.sizes));

  // A problem the engine named belongs to the values it saw; editing them clears it.
  watch(draft, () => (problems.value = []), { deep: true });

  /** Opens the panel of a function, starting its draft from the template's settings. */
  function select(name: string): void {
    const fn = app.functions.find((f) => f.functionName === name);
    if (!fn) return;
    functionName.value = name;
    if (!panels.value[name]) panels.value[name] = { draft: draftFor(fn), whatIf: {} };
    problems.value = [];
    runError.value = sweepError.value = calibrateError.value = compareError.value = undefined;
  }

  /** Keeps a function selected while the project's functions change. */
  function ensureSelected(): void {
    if (app.functions.some((f) => f.functionName === functionName.value)) return;
    const first = app.functions[0];
    if (first) select(first.functionName);
  }

  function failure(err: unknown): string {
    if (err instanceof BackendError && err.problems?.length) {
      problems.value = err.problems;
      return err.problems.length === 1 ? 'The scenario has a problem: see the field marked below.' : `The scenario has ${err.problems.length} problems: see the fields marked below.`;
    }
    return messageOf(err);
  }

  async function run(): Promise<void> {
    const p = panel.value;
    if (!p || !canRun.value) return;
    const ticket = ++tickets.run;
    const key = keyOf(p.draft);
    running.value = true;
    runError.value = undefined;
    try {
      const result = await backend.call('simulator:run', { scenario: draftToScenario(p.draft) });
      if (ticket === tickets.run) p.run = markRaw({ result, key });
    } catch (err) {
      if (ticket === tickets.run) runError.value = failure(err);
    } finally {
      if (ticket === tickets.run) running.value = false;
    }
  }

  async function sweep(): Promise<void> {
    const p = panel.value;
    if (!p || !canRun.value || sweepSizes.value.error) return;
    const ticket = ++tickets.sweep;
    sweeping.value = true;
    sweepError.value = undefined;
    try {
      const result = await backend.call('simulator:sweep', {
        scenario: draftToScenario(p.draft),
        memorySizesMb: sweepSizes.value.sizes,
        cpuBoundShare: sweepOptions.cpuBoundShare,
        multiThreaded: sweepOptions.multiThreaded,
      });
      if (ticket === tickets.sweep) p.sweep = markRaw(result);
    } catch (err) {
      if (ticket === tickets.sweep) sweepError.value = failure(err);
    } finally {
      if (ticket === tickets.sweep) sweeping.value = false;
    }
  }

  /** Service times from the function's recorded invocations, at the memory size they were made at. */
  async function calibrate(): Promise<void> {
    const p = panel.value;
    if (!p) return;
    const ticket = ++tickets.calibrate;
    calibrating.value = true;
    calibrateError.value = undefined;
    try {
      const c = await backend.call('simulator:calibrate', { functionName: p.draft.functionName });
      if (ticket !== tickets.calibrate) return;
      p.calibration = markRaw(c);
      p.draft.calibrated = {
        service: markRaw(c.service),
        memoryMb: c.memoryMb,
        warmSamples: c.warmSamples,
        coldSamples: c.coldSamples,
        warmMedianMs: c.warmMedianMs,
        ...(c.initMedianMs !== undefined ? { initMedianMs: c.initMedianMs } : {}),
      };
      p.draft.memoryMb = c.memoryMb;
    } catch (err) {
      if (ticket === tickets.calibrate) calibrateError.value = messageOf(err);
    } finally {
      if (ticket === tickets.calibrate) calibrating.value = false;
    }
  }

  function clearCalibration(): void {
    if (!panel.value) return;
    panel.value.draft.calibrated = undefined;
    panel.value.calibration = undefined;
  }

  /** A sweep's pick becomes the draft's memory size. */
  function useMemory(memoryMb: number): void {
    if (panel.value) panel.value.draft.memoryMb = memoryMb;
  }

  /** The current scenario and the what-if, each run with the same seed, side by side. */
  async function compare(): Promise<void> {
    const p = panel.value;
    if (!p || !canRun.value) return;
    const variant = applyWhatIf(p.draft, p.whatIf);
    if (Object.keys(checkDraft(variant)).length > 0) {
      compareError.value = 'The what-if has a value out of range: memory 128–10,240 MB, provisioned 0 or more, keep-alive 0 or more minutes.';
      return;
    }
    const ticket = ++tickets.compare;
    const label = describeWhatIf(p.draft, p.whatIf);
    comparing.value = true;
    compareError.value = undefined;
    try {
      const key = keyOf(p.draft);
      const current = p.run?.key === key ? p.run.result : await backend.call('simulator:run', { scenario: draftToScenario(p.draft) });
      if (ticket !== tickets.compare) return;
      if (p.run?.key !== key) p.run = markRaw({ result: current, key });
      const whatIf = await backend.call('simulator:run', { scenario: draftToScenario(variant) });
      if (ticket === tickets.compare) p.comparison = markRaw({ current, whatIf, label });
    } catch (err) {
      if (ticket === tickets.compare) compareError.value = failure(err);
    } finally {
      if (ticket === tickets.compare) comparing.value = false;
    }
  }

  /** Ready-made questions: more memory, provisioned for the peak, the other architecture, twice the traffic. */
  function presetWhatIf(kind: 'memory' | 'provisioned' | 'architecture' | 'traffic'): void {
    const p = panel.value;
    if (!p) return;
    const d = p.draft;
    const whatIf: WhatIf = {};
    if (kind === 'memory') whatIf.memoryMb = Math.min(10_240, d.memoryMb * 2);
    if (kind === 'provisioned') whatIf.provisionedConcurrency = Math.max(1, Math.ceil(p.run?.result.peakRunning ?? 1));
    if (kind === 'architecture') whatIf.architecture = d.architecture === 'arm64' ? 'x86_64' : 'arm64';
    if (kind === 'traffic') whatIf.trafficFactor = 2;
    p.whatIf = whatIf;
  }

  return {
    functionName,
    panels,
    panel,
    draft,
    running,
    sweeping,
    calibrating,
    comparing,
    runError,
    sweepError,
    calibrateError,
    compareError,
    problems,
    fieldProblems,
    otherProblems,
    canRun,
    stale,
    sweepOptions,
    sweepSizes,
    select,
    ensureSelected,
    run,
    sweep,
    calibrate,
    clearCalibration,
    useMemory,
    compare,
    presetWhatIf,
  };
});
