import { expectTypeOf, test } from 'vitest';
import type { z } from 'zod';
import type {
  AppEvent,
  AppInfo,
  ChangePreview,
  CanvasChange,
  CanvasEdge,
  CanvasNode,
  Channel,
  ChannelMap,
  FunctionInvokeRequest,
  InvokeReply,
  LambdaDeskApi,
  Req,
  Res,
  SimulatorCost,
  SimulatorResult,
  SimulatorScenario,
  SimulatorSweep,
  SimulatorSweepPoint,
  SimulatorSweepRequest,
  SimulatorCalibration,
  TemplatePath,
} from './contract.ts';
import type { CHANNELS } from './contract.ts';
import type { REQUEST_SCHEMAS } from './control/request-schemas.ts';
import type { GraphEdge, GraphNode } from './project/project-graph.ts';
import type { TemplateEdit } from './project/template-edits.ts';
import type { CostJson } from './simulator/billing.ts';
import type { SweepPoint, SweepResult } from './simulator/memory-sweep.ts';
import type { SimulationResult } from './simulator/run-simulation.ts';
import type { Scenario, ScenarioInput } from './simulator/scenario-schema.ts';

test('functions:invoke keeps its request and response types', () => {
  expectTypeOf<ChannelMap['functions:invoke']>().toEqualTypeOf<{ request: FunctionInvokeRequest; response: InvokeReply }>();
  expectTypeOf<Req<'functions:invoke'>>().toEqualTypeOf<FunctionInvokeRequest>();
  expectTypeOf<Res<'sandboxes:stop'>>().toEqualTypeOf<void>();
});

test('CHANNELS lists exactly the channels of the map', () => {
  expectTypeOf<keyof typeof CHANNELS>().toEqualTypeOf<Channel>();
});

test('every channel has a request schema whose output is its request type', () => {
  expectTypeOf<keyof typeof REQUEST_SCHEMAS>().toEqualTypeOf<Channel>();
  expectTypeOf<z.output<(typeof REQUEST_SCHEMAS)['functions:invoke']>>().toEqualTypeOf<{ functionName: string; payload?: string | undefined; forceCold?: boolean | undefined }>();
  expectTypeOf<z.output<(typeof REQUEST_SCHEMAS)['functions:invoke']>>().toExtend<Req<'functions:invoke'>>();
  expectTypeOf<z.output<(typeof REQUEST_SCHEMAS)['canvas:apply']>>().toExtend<Req<'canvas:apply'>>();
  expectTypeOf<z.output<(typeof REQUEST_SCHEMAS)['triggers:fire']>>().toExtend<Req<'triggers:fire'>>();
});

declare const api: LambdaDeskApi;

test('call ties the response type to the channel, and refuses other channels and shapes', () => {
  expectTypeOf(api.call('app:info', {})).toEqualTypeOf<Promise<AppInfo>>();
  expectTypeOf(api.call('canvas:preview', { changes: [] })).toEqualTypeOf<Promise<ChangePreview>>();
  // @ts-expect-error a channel outside the map does not type-check
  void api.call('shell:exec', {});
  // @ts-expect-error nor does a request of the wrong shape
  void api.call('project:open', { folder: '/tmp' });
});

test('events are a discriminated union keyed by type', () => {
  expectTypeOf<Extract<AppEvent, { type: 'docker:changed' }>['payload']>().toHaveProperty('available');
  expectTypeOf<Extract<AppEvent, { type: 'project:changed' }>['payload']>().toHaveProperty('status');
});

test('the canvas types match the project module they come from', () => {
  expectTypeOf<GraphNode>().toExtend<CanvasNode>();
  expectTypeOf<GraphEdge>().toExtend<CanvasEdge>();
  expectTypeOf<TemplatePath>().toEqualTypeOf<Extract<TemplateEdit, { kind: 'remove' }>['path']>();
  expectTypeOf<Extract<CanvasChange, { kind: 'set-property' }>['path']>().toEqualTypeOf<Extract<TemplateEdit, { kind: 'set-property' }>['path']>();
});

test('the simulator channels keep their request and response types', () => {
  expectTypeOf<ChannelMap['simulator:run']>().toEqualTypeOf<{ request: { scenario: SimulatorScenario }; response: SimulatorResult }>();
  expectTypeOf<ChannelMap['simulator:sweep']>().toEqualTypeOf<{ request: SimulatorSweepRequest; response: SimulatorSweep }>();
  expectTypeOf<ChannelMap['simulator:calibrate']>().toEqualTypeOf<{ request: { functionName: string }; response: SimulatorCalibration }>();
  expectTypeOf(api.call('simulator:run', { scenario: { arrivals: { type: 'poisson', ratePerSecond: 1 }, service: { warm: { type: 'fixed', ms: 10 }, init: { type: 'fixed', ms: 200 } } } })).toEqualTypeOf<Promise<SimulatorResult>>();
  // @ts-expect-error an arrival process the simulator does not have
  void api.call('simulator:run', { scenario: { arrivals: { type: 'zipf', ratePerSecond: 1 }, service: { warm: { type: 'fixed', ms: 10 } } } });
  // @ts-expect-error a scenario needs its service times
  void api.call('simulator:sweep', { scenario: { arrivals: { type: 'poisson', ratePerSecond: 1 } } });
});

test('the simulator types of the contract mirror those of the engine, both ways', () => {
  // What the app sends, the engine's schema accepts; what the schema gives back, the app can read.
  expectTypeOf<SimulatorScenario>().toExtend<ScenarioInput>();
  expectTypeOf<Omit<Scenario, 'timeSeries'>>().toExtend<SimulatorScenario>();
  expectTypeOf<SimulationResult>().toExtend<SimulatorResult>();
  expectTypeOf<SimulatorResult>().toExtend<SimulationResult>();
  expectTypeOf<CostJson>().toEqualTypeOf<SimulatorCost>();
  expectTypeOf<SweepPoint>().toExtend<SimulatorSweepPoint>();
  expectTypeOf<SimulatorSweepPoint>().toExtend<SweepPoint>();
  expectTypeOf<SweepResult>().toExtend<Omit<SimulatorSweep, 'horizonSeconds' | 'notes'>>();
});

test('the simulator request schemas parse to the channel types', () => {
  expectTypeOf<z.output<(typeof REQUEST_SCHEMAS)['simulator:run']>>().toExtend<Req<'simulator:run'>>();
  expectTypeOf<z.output<(typeof REQUEST_SCHEMAS)['simulator:sweep']>>().toExtend<Req<'simulator:sweep'>>();
  expectTypeOf<z.output<(typeof REQUEST_SCHEMAS)['simulator:calibrate']>>().toEqualTypeOf<{ functionName: string }>();
});
