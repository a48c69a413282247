/**
 * The service API and event types that every face uses: the Electron shell, the control API
 * (browser mode), the CLI and the tests. The renderer imports this file with `import type` only,
 * so it must hold types and plain data, never engine code.
 */

export type Architecture = 'x86_64' | 'arm64';

/** The runtimes LambdaDesk can run; anything else loads but fails to invoke with a clear error. */
export const SUPPORTED_RUNTIMES = [
  'nodejs20.x',
  'nodejs22.x',
  'python3.11',
  'python3.12',
  'python3.13',
  'provided.al2023',
  'provided.al2',
] as const;
export type RuntimeId = (typeof SUPPORTED_RUNTIMES)[number];

/** Where something was written in a template: 1-based line and column. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface ProjectWarning {
  at: SourceLocation;
  /** Dotted property path, e.g. `Resources.Hello.Properties.Runtime`. */
  field: string;
  message: string;
}

export interface LayerConfig {
  logicalId: string;
  /** `LayerName`, else the logical id. */
  layerName: string;
  /** Absolute path of the layer's `ContentUri` folder. */
  contentDir: string;
  compatibleRuntimes: string[];
  location: SourceLocation;
}

/** One `Events` entry of a function, kept close to the template so triggers can read it. */
export interface EventSourceConfig {
  name: string;
  /** SAM event type: `Api`, `HttpApi`, `Schedule`, `SQS`, `S3`, … */
  type: string;
  /** Properties with intrinsics resolved where they could be. */
  properties: Record<string, unknown>;
  location: SourceLocation;
}

export interface FunctionConfig {
  /** Logical id in the template: what the canvas and the CLI call the function. */
  logicalId: string;
  /** `FunctionName` if set (and resolvable), else the logical id, as `sam local` does. */
  functionName: string;
  /** `Handler`: required for managed runtimes, ignored for `provided.*`. */
  handler: string;
  runtime: string;
  /** Absolute path of the `CodeUri` folder. */
  codeDir: string;
  memoryMb: number;
  timeoutSeconds: number;
  environment: Record<string, string>;
  ephemeralStorageMb: number;
  architecture: Architecture;
  layers: LayerConfig[];
  /** `ReservedConcurrentExecutions`: also the local concurrency limit when set. */
  reservedConcurrency?: number;
  /** `ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions`. */
  provisionedConcurrency?: number;
  autoPublishAlias?: string;
  events: EventSourceConfig[];
  location: SourceLocation;
}

export interface ProjectModel {
  /** Absolute path of the project folder. */
  dir: string;
  /** Absolute path of `template.yaml`. */
  templatePath: string;
  functions: FunctionConfig[];
  layers: LayerConfig[];
  /** Parameter values used to resolve intrinsics (defaults merged with overrides). */
  parameters: Record<string, string>;
  warnings: ProjectWarning[];
}

export type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

export interface InvokeRequest {
  functionName: string;
  /** Raw payload; JSON text for managed runtimes. Empty means `{}`, as AWS. */
  payload?: string;
  qualifier?: string;
  invocationType?: InvocationType;
  /** Base64 client context, as `X-Amz-Client-Context`. */
  clientContext?: string;
  /** What raised the invocation: `api`, `cli`, `sqs:Queue`, … Recorded, never interpreted. */
  trigger?: string;
}

export type InvocationOutcome = 'success' | 'error' | 'timeout' | 'crash' | 'init-error' | 'oom';

export interface InvocationRecord {
  requestId: string;
  functionName: string;
  /** `$LATEST`, a version or an alias, as invoked. */
  qualifier: string;
  sandboxId: string;
  /** True when the sandbox was created for this request (Init Duration was paid). */
  cold: boolean;
  /** Sandbox start until the runtime first asked for work; only on cold starts. */
  initMs?: number;
  durationMs: number;
  billedMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  outcome: InvocationOutcome;
  /** `errorType` of a function error, e.g. `Sandbox.Timedout`. */
  errorType?: string;
  trigger: string;
  /** Epoch ms when the invoke was accepted. */
  startedAt: number;
  /** Epoch ms when the response was complete. */
  endedAt: number;
  /** `docker` or `process`; `process` is lower fidelity (no isolation) and says so. */
  sandboxKind: SandboxKind;
}

export interface InvokeResult {
  record: InvocationRecord;
  /** Response bytes exactly as the function (or the platform, for errors) produced them. */
  payload: Buffer;
  contentType: string;
  /** Set to `Unhandled` when the function failed, as `X-Amz-Function-Error`. */
  functionError?: 'Unhandled';
  /** The invoke's log lines, START to REPORT. */
  logs: string;
  executedVersion: string;
}

export type SandboxKind = 'docker' | 'process';
export type SandboxState = 'initializing' | 'idle' | 'busy' | 'stopped';

export interface SandboxInfo {
  id: string;
  functionName: string;
  kind: SandboxKind;
  state: SandboxState;
  createdAt: number;
  initializationType: 'on-demand' | 'provisioned-concurrency';
}

export interface SandboxChange {
  sandbox: SandboxInfo;
  /** Epoch ms of the transition. */
  at: number;
}

export interface LogLine {
  functionName: string;
  requestId?: string;
  sandboxId: string;
  stream: 'stdout' | 'stderr' | 'platform';
  line: string;
  at: number;
}

export interface DockerStatus {
  available: boolean;
  /** Where we looked (socket path or DOCKER_HOST), shown in `doctor` and the UI. */
  endpoint: string;
  version?: string;
  error?: string;
}

export interface EventMap {
  'invocations:finished': InvocationRecord;
  'sandboxes:changed': SandboxChange;
  'logs:appended': LogLine;
  'docker:changed': DockerStatus;
  'images:progress': { image: string; step: string; done: boolean };
}
export type EngineEvent = { [K in keyof EventMap]: { type: K; payload: EventMap[K] } }[keyof EventMap];

// ---------------------------------------------------------------------------------------------
// The app's channel map: Electron IPC (preload → main) and the control API (browser mode,
// POST /api/<channel>) carry exactly these requests and responses. Each channel is
// `<domain>:<verb>`; main and the control API validate every request with a zod schema that
// `satisfies z.ZodType<Req<C>>` (electron/engine/control/request-schemas.ts).
// ---------------------------------------------------------------------------------------------

/** Where the renderer runs: in the Electron window or in a browser tab served by the control API. */
export type AppMode = 'electron' | 'browser';

/** An error as it crosses IPC or HTTP: Electron keeps only a thrown error's message, so errors travel as data. */
export interface ErrorReply {
  /** Class name, e.g. `InvalidRequestError`, `TemplateErrors`, `ResourceNotFoundError`. */
  name: string;
  message: string;
  /** What to do about it, when the engine knows. */
  fix?: string;
  /** A template edit's problems, each next to its field (the inspector shows them there). */
  problems?: FieldProblemReply[];
}

/** What IPC and the control API answer: a result or an error, never a thrown error. */
export type Reply<T> = { result: T; error?: undefined } | { error: ErrorReply; result?: undefined };

/** The open project as the UI sees it. */
export interface ProjectSnapshot {
  model: ProjectModel;
  docker: DockerStatus;
  sandboxKind: SandboxKind;
  /** The AWS endpoint (Invoke API and the emulated services), e.g. `http://127.0.0.1:3001`. */
  endpointUrl: string;
  /** The API Gateway emulation, e.g. `http://127.0.0.1:3000`. */
  apiUrl: string;
  /** Runtimes start with a debugger on 127.0.0.1:debugPort when set. */
  debugPort?: number;
  /** Triggers and emulated services that run (`sqs`, `s3`, `schedule`, …). */
  services: string[];
}

export type ProjectState =
  | { status: 'none' }
  | { status: 'opening'; dir: string }
  | { status: 'open'; dir: string; snapshot: ProjectSnapshot }
  | { status: 'failed'; dir: string; error: ErrorReply };

export interface AppInfo {
  mode: AppMode;
  version: string;
  /** Most recent first; empty in browser mode. */
  recentProjects: string[];
  project: ProjectState;
}

/** A synchronous invoke from the UI. */
export interface FunctionInvokeRequest {
  functionName: string;
  /** JSON text; empty means `{}`. */
  payload?: string;
  /** Skip the warm pool, so this invoke pays a cold start. */
  forceCold?: boolean;
}

/** An invoke's outcome as the UI shows it (InvokeResult with the payload as text). */
export interface InvokeReply {
  record: InvocationRecord;
  payload: string;
  contentType: string;
  functionError?: 'Unhandled';
  logs: string;
}

/** Everything the timeline and the log view need to catch up when a window (re)connects. */
export interface ActivitySnapshot {
  records: InvocationRecord[];
  sandboxChanges: SandboxChange[];
  logs: LogLine[];
  sandboxes: SandboxInfo[];
}

/** One event from the sample library or the project's `events/` folder. */
export interface SampleEvent {
  id: string;
  /** `sqs`, `s3`, `apigateway`, `project`, … */
  source: string;
  title: string;
  /** JSON text, ready to edit. */
  payload: string;
}

/** How a trigger is exercised from the canvas or the run panel. */
export type TriggerAction =
  | { kind: 'queue:send'; queue: string; body: string }
  | { kind: 'bucket:put'; bucket: string; key: string; body: string }
  | { kind: 'schedule:fire'; functionName: string; eventName: string }
  | { kind: 'topic:publish'; topic: string; message: string }
  | { kind: 'bus:put'; bus: string; source: string; detailType: string; detail: string }
  | { kind: 'http:request'; method: string; path: string; body?: string };

export interface TriggerReply {
  /** What happened, in one line: `Sent message 3f2… to OrdersQueue`. */
  summary: string;
}

/** A step into the template: `['Resources', 'Resize', 'Properties', 'MemorySize']`. */
export type TemplatePath = Array<string | number>;

export interface FieldProblemReply {
  path: TemplatePath;
  /** Dotted, e.g. `Resources.Resize.Properties.MemorySize`. */
  field: string;
  message: string;
  fix: string;
}

/** What the canvas draws; `http-route` and `schedule` exist only as an event of a function. */
export type CanvasNodeKind = 'http-route' | 'schedule' | 'queue' | 'bucket' | 'topic' | 'event-rule' | 'function' | 'table' | 'stream';

export interface CanvasNode {
  /** A logical id, or `<function>.<event>` for a virtual node. */
  id: string;
  kind: CanvasNodeKind;
  label: string;
  resourceType: string;
  location: SourceLocation;
  virtual: boolean;
  eventOf?: { functionId: string; eventName: string };
}

export interface CanvasEdge {
  id: string;
  source: string;
  target: string;
  /** Triggers are drawn solid, access dashed. */
  relation: 'trigger' | 'access';
  eventName?: string;
}

export interface PaletteItem {
  kind: CanvasNodeKind;
  label: string;
  resourceType?: string;
  defaults: Record<string, unknown>;
  /** Adds nothing to the template until linked to a function. */
  virtual: boolean;
  eventType?: string;
}

export type LinkVerdict = { ok: true; relation: 'trigger' | 'access'; eventType?: string } | { ok: false; reason: string };

export interface CanvasState {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
  /** Saved in `.lambdadesk/canvas-layout.json`, never in the template. */
  positions: Record<string, { x: number; y: number }>;
  palette: PaletteItem[];
  /** The engine's rules: may a node of one kind link to another, and if not, why. */
  links: Record<CanvasNodeKind, Record<CanvasNodeKind, LinkVerdict>>;
  /** The template's own `Properties` per logical id, and per virtual node its event's `Properties`. */
  properties: Record<string, Record<string, unknown>>;
  /** sha256 of the template the state was read from. */
  templateHash: string;
  fileName: string;
  history: { undo: number; redo: number };
}

/** What the canvas asks for; the engine turns these into template edits. */
export type CanvasChange =
  | { kind: 'add-node'; nodeKind: CanvasNodeKind; logicalId: string; properties?: Record<string, unknown> }
  | {
      kind: 'link';
      source: string;
      sourceKind: CanvasNodeKind;
      target: string;
      targetKind: CanvasNodeKind;
      /** The event's properties (a dropped route's Path and Method); defaults when absent. */
      eventProperties?: Record<string, unknown>;
      access?: 'read' | 'write' | 'read-write';
    }
  | { kind: 'set-property'; path: TemplatePath; value: unknown }
  | { kind: 'remove'; path: TemplatePath };

export interface ChangePreview {
  /** Unified diff of the template. */
  diff: string;
  changed: boolean;
  /** Pass back to `canvas:apply`: a file changed since is not overwritten. */
  baseHash: string;
  warnings: string[];
}

export interface SchedulePreview {
  ok: boolean;
  /** `Every 5 minutes`, `At 18:00 UTC, Monday to Friday`. */
  description?: string;
  /** Epoch ms of the next runs. */
  nextRuns: number[];
  error?: string;
  fix?: string;
}

// ---------------------------------------------------------------------------------------------
// The simulator panel. These mirror electron/engine/simulator/ as plain data (contract.test-d.ts
// keeps them in step), so the renderer needs nothing but this file. A scenario is sent in its
// input form: fields left out take AWS's behaviour as the default.
// ---------------------------------------------------------------------------------------------

/** A service-time distribution, in ms. */
export type SimDistribution =
  | { type: 'fixed'; ms: number }
  | { type: 'exponential'; meanMs: number }
  | { type: 'lognormal'; medianMs?: number; meanMs?: number; sigma: number }
  | { type: 'normal'; meanMs: number; stdDevMs: number }
  | { type: 'empirical'; samplesMs: number[] };

/** How requests arrive. Trace files are read by the CLI only; the app sends the times themselves. */
export type SimArrivals =
  | { type: 'poisson'; ratePerSecond: number }
  | { type: 'constant'; ratePerSecond: number }
  | { type: 'piecewise'; segments: Array<{ durationSeconds: number; ratePerSecond: number }>; repeat?: boolean }
  | { type: 'diurnal'; meanRatePerSecond: number; amplitude?: number; periodSeconds?: number; peakAtSeconds?: number }
  | { type: 'bursts'; baseRatePerSecond?: number; burstSize: number; everySeconds: number; spreadMs?: number; firstAtSeconds?: number }
  | { type: 'trace'; timesMs?: number[]; countsPerMinute?: number[]; speedup?: number };

export type SimKeepAlive =
  | { type: 'fixed'; idleSeconds?: number; jitterSeconds?: number; maxLifeHours?: number }
  | { type: 'none' }
  | {
      type: 'hybrid';
      rangeMinutes?: number;
      headPercentile?: number;
      tailPercentile?: number;
      marginPercent?: number;
      minSamples?: number;
      cvThreshold?: number;
      outOfRangeShare?: number;
      forecastMarginPercent?: number;
    };

export interface SimulatorScenario {
  name?: string;
  function?: { memoryMb?: number; architecture?: Architecture; ephemeralMb?: number; timeoutSeconds?: number };
  arrivals: SimArrivals;
  /** `warm` plus exactly one of `cold` (a cold request's whole time) or `init` (added to a warm draw). */
  service: { warm: SimDistribution; cold?: SimDistribution; init?: SimDistribution };
  keepAlive?: SimKeepAlive;
  routing?: 'newest' | 'oldest';
  concurrency?: {
    max?: number;
    onLimit?: 'reject' | 'throttle';
    retry?: { maxRetries?: number; baseDelayMs?: number; maxDelayMs?: number };
    scalingLimit?: boolean | { environments?: number; perSeconds?: number };
  };
  provisioned?: { concurrency?: number; schedule?: Array<{ atSeconds: number; concurrency: number }>; repeatEverySeconds?: number };
  horizonSeconds?: number;
  warmupSeconds?: number;
  seed?: number;
  pricing?: {
    /** `us-east-1`, `us-east-2` or `us-west-2`. */
    region?: string;
    freeTier?: boolean | { requests: boolean; compute: boolean; storage?: boolean };
    granularityMs?: 1 | 100;
    billInit?: boolean;
  };
}

type CostParts<T> = { requestCharge: T; computeCharge: T; ephemeralCharge: T; provisionedCharge: T; total: T };

/** A bill: unrounded numbers, the exact decimals as strings, and cents (half-up) for display. */
export interface SimulatorCost extends CostParts<number> {
  exact: CostParts<string>;
  cents: CostParts<string>;
  usage: {
    requests: number;
    billableRequests: number;
    onDemandGbSeconds: number;
    billableGbSeconds: number;
    ephemeralGbSeconds: number;
    provisionedConfiguredGbSeconds: number;
    provisionedDurationGbSeconds: number;
    tiers: Array<{ gbSeconds: number; pricePerGbSecond: string; charge: number }>;
  };
}

/** Per bin of `binSeconds`, from the start of the run. */
export interface SimulatorTimeSeries {
  binSeconds: number;
  invocations: number[];
  coldStarts: number[];
  rejections: number[];
  avgRunning: number[];
  /** On-demand environments alive (provisioned ones excluded). */
  avgInstances: number[];
  peakRunning: number[];
}

export interface SimulatorResult {
  name?: string;
  seed: number;
  horizonSeconds: number;
  /** Horizon minus warm-up: what the statistics cover. */
  measuredSeconds: number;
  /** Requests that arrived (rejected ones included, as SimFaaS counts them). */
  invocations: number;
  served: number;
  warmStarts: number;
  coldStarts: number;
  /** coldStarts / invocations. */
  coldStartProbability: number;
  provisionedServed: number;
  /** Requests never served: rejected at the limit, or throttled until retries ran out. */
  rejections: number;
  rejectionProbability: number;
  /** 429 answers, retries included (onLimit `throttle`). */
  throttles: number;
  /** throttles / attempts. */
  throttleProbability: number;
  timeouts: number;
  /** Environments loaded ahead of a request by the hybrid policy. */
  prewarms: number;
  /** Time-weighted averages: environments (on-demand + provisioned), running requests, idle ones. */
  avgInstances: number;
  avgRunning: number;
  avgIdle: number;
  avgProvisioned: number;
  /** avgRunning / avgInstances. */
  utilization: number;
  peakRunning: number;
  meanServiceMs: number;
  /** Mean life of on-demand environments that ended within the run. */
  meanLifespanSeconds: number;
  retiredInstances: number;
  /** Memory held by idle environments ("wasted memory time" in Serverless in the Wild). */
  idleGbSeconds: number;
  /** Arrival to response, cold start and throttling waits included. */
  latencyMs: { mean: number; p50: number; p95: number; p99: number; max: number };
  /** Billed ms summed per request (each already rounded up), as the bill is computed from. */
  billedMs: { onDemand: number; provisioned: number };
  /** The simulated window priced as one billing period. */
  cost: SimulatorCost;
  /** The window's usage scaled to a 30-day month. */
  monthlyCost: SimulatorCost;
  timeSeries?: SimulatorTimeSeries;
}

export interface SimulatorSweepRequest {
  scenario: SimulatorScenario;
  /** Default: Power Tuning's 128, 256, 512, 1024, 1536, 3008. */
  memorySizesMb?: number[];
  /** Share of service time that is CPU work and scales with memory (0–1, default 1). */
  cpuBoundShare?: number;
  multiThreaded?: boolean;
}

export interface SimulatorSweepPoint {
  memoryMb: number;
  /** USD per invocation, duration only (Power Tuning's measure). */
  costPerInvocation: number;
  /** Mean service time, ms. */
  durationMs: number;
  durationScale: number;
  p95LatencyMs: number;
  coldStartProbability: number;
  monthlyTotal: number;
}

export interface SimulatorSweep {
  baseMemoryMb: number;
  cpuBoundShare: number;
  points: SimulatorSweepPoint[];
  picks: { cheapest: SimulatorSweepPoint; fastest: SimulatorSweepPoint; balanced: SimulatorSweepPoint };
  /** What each memory size was simulated over (a long horizon is shortened so the sweep answers at once). */
  horizonSeconds: number;
  notes: string[];
}

/** A function's recorded local invocations as service-time distributions. */
export interface SimulatorCalibration {
  functionName: string;
  memoryMb: number;
  /** Records of the function this session kept. */
  records: number;
  /** `warm` from warm durations; `init` from cold starts' init times, absent when none was recorded. */
  service: { warm: SimDistribution; init?: SimDistribution };
  warmSamples: number;
  coldSamples: number;
  warmMedianMs: number;
  initMedianMs?: number;
  /** What was left out and why, and how the records were made. */
  notes: string[];
}

export interface ChannelMap {
  'app:info': { request: Record<string, never>; response: AppInfo };
  'project:open': { request: { dir: string }; response: ProjectState };
  /** Electron only: the folder dialog, then `project:open`. */
  'project:choose': { request: Record<string, never>; response: ProjectState };
  'project:reload': { request: Record<string, never>; response: ProjectState };
  'functions:invoke': { request: FunctionInvokeRequest; response: InvokeReply };
  'activity:get': { request: Record<string, never>; response: ActivitySnapshot };
  'activity:clear': { request: Record<string, never>; response: void };
  'sandboxes:stop': { request: { functionName: string }; response: void };
  'samples:list': { request: Record<string, never>; response: SampleEvent[] };
  'triggers:fire': { request: TriggerAction; response: TriggerReply };
  'docker:check': { request: Record<string, never>; response: DockerStatus };
  'canvas:get': { request: Record<string, never>; response: CanvasState };
  'canvas:preview': { request: { changes: CanvasChange[] }; response: ChangePreview };
  'canvas:apply': { request: { changes: CanvasChange[]; baseHash: string }; response: CanvasState };
  'canvas:undo': { request: Record<string, never>; response: CanvasState };
  'canvas:redo': { request: Record<string, never>; response: CanvasState };
  'canvas:layout': { request: { positions: Record<string, { x: number; y: number }> }; response: void };
  'schedule:describe': { request: { expression: string }; response: SchedulePreview };
  'simulator:run': { request: { scenario: SimulatorScenario }; response: SimulatorResult };
  'simulator:sweep': { request: SimulatorSweepRequest; response: SimulatorSweep };
  'simulator:calibrate': { request: { functionName: string }; response: SimulatorCalibration };
}
export type Channel = keyof ChannelMap;
export type Req<C extends Channel> = ChannelMap[C]['request'];
export type Res<C extends Channel> = ChannelMap[C]['response'];

/** Every channel, as data: the preload and the control API refuse anything else. */
export const CHANNELS: Record<Channel, true> = {
  'app:info': true,
  'project:open': true,
  'project:choose': true,
  'project:reload': true,
  'functions:invoke': true,
  'activity:get': true,
  'activity:clear': true,
  'sandboxes:stop': true,
  'samples:list': true,
  'triggers:fire': true,
  'docker:check': true,
  'canvas:get': true,
  'canvas:preview': true,
  'canvas:apply': true,
  'canvas:undo': true,
  'canvas:redo': true,
  'canvas:layout': true,
  'schedule:describe': true,
  'simulator:run': true,
  'simulator:sweep': true,
  'simulator:calibrate': true,
};

/** The app's events: the engine's, plus the session's own. */
export interface AppEventMap extends EventMap {
  'project:changed': ProjectState;
}
export type AppEvent = { [K in keyof AppEventMap]: { type: K; payload: AppEventMap[K] } }[keyof AppEventMap];

/** The IPC channel main sends every AppEvent on; the preload listens on it alone. */
export const APP_EVENT_CHANNEL = 'app:event';

/** `window.lambdadesk` in Electron; the control API's HTTP + WebSocket client in browser mode. */
export interface LambdaDeskApi {
  call<C extends Channel>(channel: C, request: Req<C>): Promise<Res<C>>;
  onEvent(listener: (event: AppEvent) => void): () => void;
}
