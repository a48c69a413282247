import type { FunctionConfig } from '../../../electron/engine/contract.ts';
import type { OutputListener, RuntimeImageInfo, Sandbox, SandboxExit, SandboxProvider, SandboxSpec } from '../../../electron/engine/sandbox/sandbox-provider.ts';

/**
 * A sandbox provider whose "runtime" is a loop in this process speaking the real Runtime API
 * over loopback. The handler is chosen by the function's Handler:
 * `echo` answers the event, `fail` posts an error, `hang` never answers, `exit` dies mid-invoke,
 * `init-error` fails its init, `gate` waits until the test calls `release()`.
 */
export class FakeSandboxProvider implements SandboxProvider {
  readonly kind = 'process' as const;
  readonly started: string[] = [];
  readonly removed: string[] = [];
  private gates: Array<() => void> = [];

  async prepare(): Promise<RuntimeImageInfo> {
    return { image: 'fake', interpreter: 'fake 1.0', source: 'host' };
  }

  release(): void {
    const gates = this.gates;
    this.gates = [];
    gates.forEach((open) => open());
  }

  waiting(): number {
    return this.gates.length;
  }

  async start(spec: SandboxSpec): Promise<Sandbox> {
    this.started.push(spec.sandboxId);
    return new FakeSandbox(spec, this, (open) => this.gates.push(open));
  }

  async removeLeftovers(): Promise<number> {
    return 0;
  }
}

class FakeSandbox implements Sandbox {
  readonly kind = 'process' as const;
  readonly exited: Promise<SandboxExit>;
  private exit!: (e: SandboxExit) => void;
  private readonly abort = new AbortController();
  private readonly listeners: OutputListener[] = [];

  constructor(
    private readonly spec: SandboxSpec,
    private readonly provider: FakeSandboxProvider,
    private readonly gate: (open: () => void) => void,
  ) {
    this.exited = new Promise((resolve) => (this.exit = resolve));
    void this.loop();
  }

  get id(): string {
    return this.spec.sandboxId;
  }

  private get fn(): FunctionConfig {
    return this.spec.fn;
  }

  private async loop(): Promise<void> {
    const base = `http://${this.spec.runtimeApiAddress}/2018-06-01/runtime`;
    const signal = this.abort.signal;
    try {
      if (this.fn.handler === 'init-error') {
        await fetch(`${base}/init/error`, { method: 'POST', signal, headers: { 'lambda-runtime-function-error-type': 'Runtime.ImportModuleError' }, body: JSON.stringify({ errorType: 'Runtime.ImportModuleError', errorMessage: 'boom' }) });
        return this.exit({ code: 1, oomKilled: false });
      }
      for (;;) {
        const next = await fetch(`${base}/invocation/next`, { signal });
        const id = next.headers.get('lambda-runtime-aws-request-id')!;
        const event = await next.text();
        this.listeners.forEach((l) => l('stdout', `handling ${id}`));
        if (this.fn.handler === 'hang') await new Promise(() => undefined);
        if (this.fn.handler === 'exit') return this.exit({ code: 3, oomKilled: false });
        if (this.fn.handler === 'gate') await new Promise<void>((open) => this.gate(open));
        if (this.fn.handler === 'fail') {
          await fetch(`${base}/invocation/${id}/error`, { method: 'POST', signal, body: JSON.stringify({ errorType: 'Error', errorMessage: 'nope', trace: [] }) });
        } else {
          await fetch(`${base}/invocation/${id}/response`, { method: 'POST', signal, body: JSON.stringify({ event: JSON.parse(event), sandbox: this.id }) });
        }
      }
    } catch {
      // Killed: the fetch was aborted.
    }
  }

  onOutput(listener: OutputListener): void {
    this.listeners.push(listener);
  }

  async peakMemoryBytes(): Promise<number | undefined> {
    return 42 * 1024 * 1024;
  }

  async kill(): Promise<void> {
    this.provider.removed.push(this.id);
    this.abort.abort();
    this.exit({ code: null, signal: 'SIGKILL', oomKilled: false });
  }
}
