import type { FunctionConfig, SandboxKind } from '../contract.ts';

/** What a provider needs to start one execution environment. */
export interface SandboxSpec {
  sandboxId: string;
  fn: FunctionConfig;
  /** `host:port` of this sandbox's Runtime API server, as `AWS_LAMBDA_RUNTIME_API`. */
  runtimeApiAddress: string;
  /** The full Lambda environment (reserved variables plus the function's own). */
  env: Record<string, string>;
  /** Node.js `--inspect` / Python debugpy port on 127.0.0.1, when debugging. */
  debugPort?: number;
}

export interface SandboxExit {
  code: number | null;
  signal?: string;
  /** Killed by the memory limit (Docker's OOMKilled, or a process past its cap). */
  oomKilled: boolean;
}

export type OutputListener = (stream: 'stdout' | 'stderr', line: string) => void;

/** One running execution environment: a container or a host process. */
export interface Sandbox {
  readonly id: string;
  readonly kind: SandboxKind;
  /** Settles when the runtime process is gone, for whatever reason. */
  readonly exited: Promise<SandboxExit>;
  /** Each complete output line of the runtime, as it arrives. */
  onOutput(listener: OutputListener): void;
  /** Peak memory of the environment so far, in bytes, from the kernel's accounting. */
  peakMemoryBytes(): Promise<number | undefined>;
  /** Ends the environment at once (SIGKILL) and removes what it left behind. */
  kill(): Promise<void>;
}

export interface RuntimeImageInfo {
  /** Docker image reference, or `host` for the process provider. */
  image: string;
  /** The interpreter version really used, e.g. `node 20.20.2`, `python 3.11.2`. */
  interpreter: string;
  /** Set when the interpreter does not match the declared runtime. */
  mismatchWarning?: string;
  /** `official` when AWS's own image is used, `local` when LambdaDesk built it. */
  source: 'official' | 'local' | 'host';
}

export interface ProgressReport {
  image: string;
  step: string;
  done: boolean;
}

export interface SandboxProvider {
  readonly kind: SandboxKind;
  /** Makes sure the runtime's image (or host interpreter) is ready; cached by content. */
  prepare(fn: FunctionConfig, onProgress?: (p: ProgressReport) => void): Promise<RuntimeImageInfo>;
  start(spec: SandboxSpec): Promise<Sandbox>;
  /** Removes environments a previous run left behind (after a crash or `kill -9`). */
  removeLeftovers(): Promise<number>;
}
