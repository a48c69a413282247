import { EventEmitter } from 'node:events';
import type { FunctionConfig, SandboxInfo, SandboxKind, SandboxState } from '../contract.ts';
import type { Clock } from '../clock.ts';
import { RuntimeApiServer, type InitErrorReport, type InvokeOutcome, type InvokeWork } from '../runtime-api/runtime-api-server.ts';
import type { Sandbox, SandboxExit, SandboxProvider } from '../sandbox/sandbox-provider.ts';

export interface EnvironmentDeps {
  fn: FunctionConfig;
  provider: SandboxProvider;
  clock: Clock;
  sandboxId: string;
  initializationType: 'on-demand' | 'provisioned-concurrency';
  /** Builds the Lambda environment once the Runtime API address is known. */
  environment: (runtimeApiAddress: string) => Record<string, string>;
  debugPort?: number;
}

export type StartResult =
  | { kind: 'ready'; initMs: number }
  | { kind: 'init-error'; initMs: number; report: InitErrorReport }
  | { kind: 'exited'; initMs: number; exit: SandboxExit };

export type RunResult =
  | { kind: 'outcome'; outcome: Exclude<InvokeOutcome, { kind: 'aborted' }>; peakMemoryBytes?: number }
  | { kind: 'timeout' }
  | { kind: 'exited'; exit: SandboxExit };

/** Log lines of the runtime, tagged with the request they belong to when one is running. */
export type EnvironmentLog = { stream: 'stdout' | 'stderr'; line: string; requestId?: string };

/**
 * One execution environment: a sandbox, its Runtime API server and the lifecycle
 * `initializing → idle ⇄ busy → stopped`. It runs one invoke at a time, as Lambda does.
 */
export class ExecutionEnvironment {
  readonly events = new EventEmitter<{ state: [SandboxInfo]; log: [EnvironmentLog] }>();
  private readonly server: RuntimeApiServer;
  private sandbox?: Sandbox;
  private current?: string;
  private lastRequestId?: string;
  private stateValue: SandboxState = 'initializing';
  readonly createdAt: number;
  lastUsedAt: number;
  /** Set once the first invoke ran: later invokes are warm. */
  used = false;
  /** Hot reload marks environments whose code changed; they are stopped instead of reused. */
  stale = false;

  constructor(private readonly deps: EnvironmentDeps) {
    this.server = new RuntimeApiServer({ clock: deps.clock });
    this.createdAt = deps.clock.now();
    this.lastUsedAt = this.createdAt;
  }

  get id(): string {
    return this.deps.sandboxId;
  }
  get kind(): SandboxKind {
    return this.deps.provider.kind;
  }
  get state(): SandboxState {
    return this.stateValue;
  }
  get initializationType(): 'on-demand' | 'provisioned-concurrency' {
    return this.deps.initializationType;
  }

  info(): SandboxInfo {
    return { id: this.id, functionName: this.deps.fn.functionName, kind: this.kind, state: this.stateValue, createdAt: this.createdAt, initializationType: this.deps.initializationType };
  }

  private setState(state: SandboxState): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    this.events.emit('state', this.info());
  }

  /** Starts the sandbox and waits until the runtime asks for work (or fails trying). */
  async start(): Promise<StartResult> {
    const { clock } = this.deps;
    const address = await this.server.listen();
    const startedAt = clock.now();
    try {
      this.sandbox = await this.deps.provider.start({
        sandboxId: this.id,
        fn: this.deps.fn,
        runtimeApiAddress: `${address.host}:${address.port}`,
        env: this.deps.environment(`${address.host}:${address.port}`),
        debugPort: this.deps.debugPort,
      });
    } catch (err) {
      await this.server.close();
      this.setState('stopped');
      throw err;
    }
    this.sandbox.onOutput((stream, line) => this.events.emit('log', { stream, line, requestId: this.current ?? this.lastRequestId }));
    void this.sandbox.exited.then(() => {
      if (this.stateValue === 'idle') void this.stop(); // died between invokes: never hand it out again
    });
    const ready = await Promise.race([this.server.whenReady(), this.sandbox.exited.then((exit) => ({ kind: 'exited' as const, exit }))]);
    const initMs = (ready.kind === 'ready' ? ready.at : clock.now()) - startedAt;
    if (ready.kind === 'ready') {
      this.setState('idle');
      return { kind: 'ready', initMs };
    }
    if (ready.kind === 'init-error') return { kind: 'init-error', initMs, report: ready.report };
    return { kind: 'exited', initMs, exit: ready.exit };
  }

  /** Runs one invoke under the function's timeout; the caller decides what happens to the environment after. */
  async run(work: InvokeWork, timeoutMs: number, onChunk?: (chunk: Buffer) => void): Promise<RunResult> {
    const sandbox = this.sandbox;
    if (!sandbox) throw new Error('run() before start()');
    this.current = work.requestId;
    this.setState('busy');
    const { clock } = this.deps;
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    const timedOut = new Promise<RunResult>((resolve) => {
      timer = clock.setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs);
    });
    const exited = sandbox.exited.then((exit): RunResult => ({ kind: 'exited', exit }));
    const answered = this.server.invoke(work, onChunk).then((outcome): RunResult | undefined => (outcome.kind === 'aborted' ? undefined : { kind: 'outcome', outcome }));
    const result = await Promise.race([answered.then((r) => r ?? exited), timedOut, exited]);
    if (timer) clock.clearTimeout(timer);
    if (result.kind !== 'outcome') this.server.abort(work.requestId, result.kind);
    else {
      // Both wait on the runtime or the kernel; overlapping them keeps the warm path short.
      const [, peak] = await Promise.all([this.settleOutput(), sandbox.peakMemoryBytes().catch(() => undefined)]);
      result.peakMemoryBytes = peak;
    }
    this.lastRequestId = work.requestId;
    this.current = undefined;
    this.used = true;
    this.lastUsedAt = clock.now();
    return result;
  }

  /**
   * Output written just before the response may still be on its way through the container's
   * stream; the runtime polling for its next event means it is done writing.
   */
  private async settleOutput(): Promise<void> {
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(cap);
        this.server.events.off('next-polled', done);
        setImmediate(resolve);
      };
      const cap = setTimeout(done, 50);
      this.server.events.once('next-polled', done);
    });
  }

  /** Back to the pool after an invoke. */
  release(): void {
    if (this.stateValue === 'busy') this.setState('idle');
  }

  async peakMemoryBytes(): Promise<number | undefined> {
    return this.sandbox?.peakMemoryBytes();
  }

  async stop(): Promise<void> {
    if (this.stateValue === 'stopped') return;
    this.setState('stopped');
    await Promise.all([this.sandbox?.kill(), this.server.close()]);
  }
}
