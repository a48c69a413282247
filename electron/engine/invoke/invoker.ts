import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Clock } from '../clock.ts';
import type { FunctionConfig, InvocationOutcome, InvocationRecord, InvokeRequest, InvokeResult, LogLine, ProjectModel, SandboxChange, SandboxInfo } from '../contract.ts';
import { InvalidRequestContentError, RequestTooLargeError, TooManyRequestsError } from '../errors.ts';
import { buildLambdaEnvironment } from '../sandbox/lambda-environment.ts';
import type { ProgressReport, RuntimeImageInfo, SandboxProvider } from '../sandbox/sandbox-provider.ts';
import { ExecutionEnvironment, type EnvironmentLog, type RunResult } from './execution-environment.ts';
import { FunctionPool } from './function-pool.ts';
import { resolveTarget, type InvokeTarget } from './invoke-target.ts';
import { platformErrorBody, exitErrorType, exitErrorMessage } from './platform-errors.ts';
import { computeBilledMs, endLine, reportLine, startLine, timeoutLine } from './platform-log-lines.ts';

/** While a debugger is attached, an invoke may take as long as the person stepping through it. */
const DEBUG_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/** Largest synchronous request payload AWS accepts. */
export const MAX_SYNC_PAYLOAD_BYTES = 6_291_456;

export interface InvokerOptions {
  provider: SandboxProvider;
  clock: Clock;
  model: () => ProjectModel;
  region: string;
  accountId: string;
  /** Idle environments stop after this long; AWS keeps them about 10 minutes. */
  keepAliveMs: number;
  /** Per-function limit when the template reserves none. */
  concurrencyLimit: number;
  /** `AWS_ENDPOINT_URL` given to sandboxes, so SDK calls reach the local services. */
  awsEndpointUrl?: () => string | undefined;
  /** Paths inside the sandbox (the process provider runs on host paths). */
  sandboxPaths: (fn: FunctionConfig) => { taskRoot: string; runtimeDir: string };
  debugPort?: number;
}

export interface InvokeOptions {
  /** Streamed response bytes as they arrive (InvokeWithResponseStream). */
  onChunk?: (chunk: Buffer) => void;
  /** Skip the warm pool: the UI's "force cold start". */
  forceCold?: boolean;
  /** Use this id (an `Event` invoke keeps the id its 202 answered with). */
  requestId?: string;
}

export interface InvokerEvents {
  'invocations:finished': [InvocationRecord];
  'sandboxes:changed': [SandboxChange];
  'logs:appended': [LogLine];
  'images:progress': [ProgressReport];
  'runtime:warning': [{ functionName: string; message: string }];
}

/**
 * Turns an invoke request into an invocation record and its logs: picks the newest idle
 * environment or starts one within the function's concurrency, enforces the timeout, and
 * reports every failure the way AWS does.
 */
export class Invoker {
  readonly events = new EventEmitter<InvokerEvents>();
  private readonly pools = new Map<string, FunctionPool>();
  private readonly prepared = new Map<string, Promise<RuntimeImageInfo>>();
  private stopped = false;

  constructor(private readonly options: InvokerOptions) {}

  async start(): Promise<void> {
    await Promise.all(this.options.model().functions.map((fn) => this.startProvisioned(fn)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.pools.values()].map((pool) => Promise.all(pool.environments().map((env) => pool.retire(env)))));
  }

  /** Resolves a name, ARN or `name:qualifier`, throwing ResourceNotFoundException as AWS does. */
  target(functionName: string, qualifier?: string): InvokeTarget {
    return resolveTarget(this.options.model(), functionName, qualifier, this.options);
  }

  /** Builds the runtime image (or finds the interpreter) ahead of the first invoke. */
  prepare(fn: FunctionConfig): Promise<RuntimeImageInfo> {
    let pending = this.prepared.get(fn.runtime);
    if (!pending) {
      pending = this.options.provider.prepare(fn, (p) => this.events.emit('images:progress', p));
      pending.then(
        (info) => info.mismatchWarning && this.events.emit('runtime:warning', { functionName: fn.functionName, message: info.mismatchWarning }),
        () => this.prepared.delete(fn.runtime),
      );
      this.prepared.set(fn.runtime, pending);
    }
    return pending;
  }

  /** Checks a payload as the Invoke API does: size, then JSON. Empty means `{}`. */
  static validatePayload(payload: string | Buffer | undefined): Buffer {
    const bytes = payload === undefined ? Buffer.alloc(0) : Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8');
    if (bytes.length > MAX_SYNC_PAYLOAD_BYTES) throw new RequestTooLargeError(`Request must be smaller than ${MAX_SYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation`);
    if (bytes.length === 0 || bytes.toString('utf8').trim() === '') return Buffer.from('{}');
    try {
      JSON.parse(bytes.toString('utf8'));
    } catch (err) {
      throw new InvalidRequestContentError(`Could not parse request body into json: Could not parse payload into json: ${(err as Error).message}`);
    }
    return bytes;
  }

  /** A synchronous (`RequestResponse`) invoke. */
  async invoke(request: InvokeRequest, options: InvokeOptions = {}): Promise<InvokeResult> {
    const target = this.target(request.functionName, request.qualifier);
    const payload = Invoker.validatePayload(request.payload);
    const { fn } = target;
    const pool = this.pool(fn);
    const requestId = options.requestId ?? randomUUID();
    const acceptedAt = this.options.clock.now();
    let env = options.forceCold ? undefined : pool.take();
    let initMs: number | undefined;
    const lines: string[] = [];
    const collect = (log: EnvironmentLog): void => {
      if (log.requestId === requestId) lines.push(log.line);
    };

    if (!env) {
      if (!pool.reserve()) {
        throw new TooManyRequestsError(fn.reservedConcurrency !== undefined ? 'ReservedFunctionConcurrentInvocationLimitExceeded' : 'ConcurrentInvocationLimitExceeded');
      }
      let fresh: ExecutionEnvironment | undefined;
      // What the runtime printed while it initialized: shown when the init fails.
      const initLines: string[] = [];
      const collectInit = (log: EnvironmentLog): void => void (log.requestId === undefined && initLines.push(log.line));
      try {
        await this.prepare(fn);
        fresh = this.createEnvironment(fn, 'on-demand');
        fresh.events.on('log', collectInit);
        const started = await fresh.start().finally(() => fresh?.events.off('log', collectInit));
        initMs = started.initMs;
        if (started.kind !== 'ready') {
          pool.settle(undefined);
          await fresh.stop();
          lines.push(...initLines);
          const failure = started.kind === 'init-error'
            ? { payload: started.report.payload, errorType: started.report.errorType, outcome: 'init-error' as const }
            : { payload: platformErrorBody(exitErrorType(started.exit), exitErrorMessage(requestId, started.exit)), errorType: exitErrorType(started.exit), outcome: started.exit.oomKilled ? ('oom' as const) : ('crash' as const) };
          return this.finish({ target, requestId, acceptedAt, env: fresh, cold: true, initMs, durationMs: 0, lines, payload: failure.payload, contentType: 'application/json', outcome: failure.outcome, errorType: failure.errorType, trigger: request.trigger });
        }
      } catch (err) {
        pool.settle(undefined);
        await fresh?.stop();
        throw err;
      }
      pool.settle(fresh);
      env = fresh;
    }

    const cold = !env.used && env.initializationType === 'on-demand' && initMs !== undefined;
    env.events.on('log', collect);
    const runStartedAt = this.options.clock.now();
    this.emitPlatformLine(fn, env.id, requestId, startLine(requestId, target.executedVersion));
    let result: RunResult;
    try {
      result = await env.run(
        {
          requestId,
          payload,
          deadlineMs: Math.round(runStartedAt + fn.timeoutSeconds * 1000),
          invokedFunctionArn: target.invokedArn,
          clientContext: decodeClientContext(request.clientContext),
          contentType: 'application/json',
        },
        // A paused debugger must not trip the timeout; SAM's `--debug-port` does the same.
        this.options.debugPort ? DEBUG_TIMEOUT_MS : fn.timeoutSeconds * 1000,
        options.onChunk,
      );
    } finally {
      env.events.off('log', collect);
    }
    const durationMs = this.options.clock.now() - runStartedAt;
    const shared = { target, requestId, acceptedAt, env, cold, initMs: cold ? initMs : undefined, durationMs, lines, trigger: request.trigger };

    if (result.kind === 'outcome') {
      pool.give(env);
      const o = result.outcome;
      const peakMemoryBytes = result.peakMemoryBytes;
      if (o.kind === 'response') return this.finish({ ...shared, peakMemoryBytes, payload: o.payload, contentType: o.contentType, outcome: 'success' });
      const errorType = o.kind === 'error' ? o.errorType : o.kind === 'too-large' ? 'Function.ResponseSizeTooLarge' : 'Runtime.InvalidResponseModeHeader';
      return this.finish({ ...shared, peakMemoryBytes, payload: o.payload, contentType: o.contentType, outcome: 'error', errorType });
    }
    await pool.retire(env);
    if (result.kind === 'timeout') {
      const line = timeoutLine(new Date(this.options.clock.now()), requestId, fn.timeoutSeconds);
      lines.push(line);
      this.emitPlatformLine(fn, env.id, requestId, line);
      const message = `RequestId: ${requestId} Error: Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`;
      return this.finish({ ...shared, durationMs: fn.timeoutSeconds * 1000, payload: platformErrorBody('Sandbox.Timedout', message), contentType: 'application/json', outcome: 'timeout', errorType: 'Sandbox.Timedout' });
    }
    const errorType = exitErrorType(result.exit);
    return this.finish({ ...shared, payload: platformErrorBody(errorType, exitErrorMessage(requestId, result.exit)), contentType: 'application/json', outcome: result.exit.oomKilled ? 'oom' : 'crash', errorType });
  }

  private async finish(f: {
    target: InvokeTarget;
    requestId: string;
    acceptedAt: number;
    env: ExecutionEnvironment;
    cold: boolean;
    initMs?: number;
    durationMs: number;
    lines: string[];
    payload: Buffer;
    contentType: string;
    outcome: InvocationOutcome;
    errorType?: string;
    trigger?: string;
    /** Already read alongside the end of the invoke; read now otherwise. */
    peakMemoryBytes?: number;
  }): Promise<InvokeResult> {
    const { fn } = f.target;
    const peak = f.peakMemoryBytes ?? (await f.env.peakMemoryBytes().catch(() => undefined));
    const usedMb = f.outcome === 'oom' ? fn.memoryMb : Math.min(fn.memoryMb, Math.ceil((peak ?? 0) / (1024 * 1024)));
    const billsInit = f.env.initializationType === 'on-demand';
    const billedMs = computeBilledMs(f.durationMs, f.initMs, billsInit);
    const failed = f.outcome !== 'success';
    const start = startLine(f.requestId, f.target.executedVersion);
    const end = endLine(f.requestId);
    const report = reportLine({
      requestId: f.requestId,
      durationMs: f.durationMs,
      billedMs,
      memorySizeMb: fn.memoryMb,
      maxMemoryUsedMb: usedMb,
      initMs: f.initMs,
      status: f.outcome === 'timeout' ? 'timeout' : failed && f.outcome !== 'error' ? 'error' : undefined,
      errorType: failed && f.outcome !== 'error' && f.outcome !== 'timeout' ? f.errorType : undefined,
    });
    this.emitPlatformLine(fn, f.env.id, f.requestId, end);
    this.emitPlatformLine(fn, f.env.id, f.requestId, report);
    const record: InvocationRecord = {
      requestId: f.requestId,
      functionName: fn.functionName,
      qualifier: f.target.qualifier,
      sandboxId: f.env.id,
      cold: f.cold,
      initMs: f.initMs,
      durationMs: f.durationMs,
      billedMs,
      memorySizeMb: fn.memoryMb,
      maxMemoryUsedMb: usedMb,
      outcome: f.outcome,
      errorType: failed ? f.errorType : undefined,
      trigger: f.trigger ?? 'api',
      startedAt: f.acceptedAt,
      endedAt: this.options.clock.now(),
      sandboxKind: f.env.kind,
    };
    this.events.emit('invocations:finished', record);
    return {
      record,
      payload: f.payload,
      contentType: f.contentType,
      functionError: failed ? 'Unhandled' : undefined,
      logs: [start, ...f.lines, end, report].join('\n') + '\n',
      executedVersion: f.target.executedVersion,
    };
  }

  private emitPlatformLine(fn: FunctionConfig, sandboxId: string, requestId: string, line: string): void {
    this.events.emit('logs:appended', { functionName: fn.functionName, requestId, sandboxId, stream: 'platform', line, at: this.options.clock.now() });
  }

  private createEnvironment(fn: FunctionConfig, initializationType: 'on-demand' | 'provisioned-concurrency'): ExecutionEnvironment {
    const { clock, region } = this.options;
    const paths = this.options.sandboxPaths(fn);
    const env = new ExecutionEnvironment({
      fn,
      provider: this.options.provider,
      clock,
      sandboxId: randomUUID(),
      initializationType,
      debugPort: this.options.debugPort,
      environment: (runtimeApiAddress) =>
        buildLambdaEnvironment({ fn, runtimeApiAddress, region, initializationType, awsEndpointUrl: this.options.awsEndpointUrl?.(), ...paths, now: new Date(clock.now()) }),
    });
    env.events.on('state', (sandbox: SandboxInfo) => this.events.emit('sandboxes:changed', { sandbox, at: clock.now() }));
    env.events.on('log', (log) => this.events.emit('logs:appended', { functionName: fn.functionName, requestId: log.requestId, sandboxId: env.id, stream: log.stream, line: log.line, at: clock.now() }));
    return env;
  }

  private pool(fn: FunctionConfig): FunctionPool {
    // One debug port means one environment at a time.
    const limit = this.options.debugPort ? 1 : (fn.reservedConcurrency ?? this.options.concurrencyLimit);
    let pool = this.pools.get(fn.functionName);
    if (!pool) {
      pool = new FunctionPool(limit, { clock: this.options.clock, keepAliveMs: this.options.keepAliveMs });
      this.pools.set(fn.functionName, pool);
    }
    pool.limit = limit;
    return pool;
  }

  /** Provisioned concurrency: environments initialized ahead of traffic, never reclaimed by keep-alive. */
  private async startProvisioned(fn: FunctionConfig): Promise<void> {
    const count = fn.provisionedConcurrency ?? 0;
    if (count === 0) return;
    await this.prepare(fn);
    const pool = this.pool(fn);
    await Promise.all(
      Array.from({ length: count }, async () => {
        if (!pool.reserve()) return;
        const env = this.createEnvironment(fn, 'provisioned-concurrency');
        const started = await env.start().catch(() => undefined);
        if (started?.kind !== 'ready') {
          pool.settle(undefined);
          await env.stop();
          return;
        }
        pool.settle(env);
        pool.give(env);
      }),
    );
  }

  /** Hot reload: the function's code or configuration changed, so no environment of it is reused. */
  async retireFunction(functionName: string): Promise<void> {
    this.prepared.clear();
    await this.pools.get(functionName)?.retireAll();
  }

  /** Re-creates provisioned environments after a reload changed the model. */
  async refreshProvisioned(): Promise<void> {
    await Promise.all(this.options.model().functions.map(async (fn) => {
      const pool = this.pools.get(fn.functionName);
      if (!pool || pool.environments().every((e) => e.initializationType !== 'provisioned-concurrency')) await this.startProvisioned(fn);
    }));
  }

  sandboxes(): SandboxInfo[] {
    return [...this.pools.values()].flatMap((pool) => pool.environments().map((env) => env.info()));
  }
}

function decodeClientContext(base64?: string): string | undefined {
  if (!base64) return undefined;
  return Buffer.from(base64, 'base64').toString('utf8');
}
