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
