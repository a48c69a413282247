import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FunctionConfig, RuntimeId } from '../contract.ts';
import { debugEnvironment } from './debug-environment.ts';
import { SandboxUnavailableError } from '../errors.ts';
import { hostNode, hostPython } from './host-interpreters.ts';
import { LineSplitter } from './line-splitter.ts';
import { processPeakBytes } from './memory-peak.ts';
import { isSupportedRuntime, runtimeTraits } from './runtime-families.ts';
import type { OutputListener, RuntimeImageInfo, Sandbox, SandboxExit, SandboxProvider, SandboxSpec } from './sandbox-provider.ts';

export const PROCESS_FIDELITY_WARNING =
  'Process sandbox: lower fidelity. Functions run as host processes with no file-system, memory or CPU isolation; start Docker for Lambda-like containers.';

export interface ProcessProviderOptions {
  runtimesDir: string;
  sdkRootDir: string;
  layerDir: (fn: FunctionConfig) => Promise<string | undefined>;
}

/**
 * Runs the runtime client as a child process of LambdaDesk, for machines without Docker. The
 * memory limit is enforced by watching the process's peak RSS, which is all a process can do.
 */
export class ProcessSandboxProvider implements SandboxProvider {
  readonly kind = 'process' as const;
  constructor(private readonly options: ProcessProviderOptions) {}

  async prepare(fn: FunctionConfig): Promise<RuntimeImageInfo> {
    const command = await this.command(fn);
    return { image: 'host', interpreter: command.interpreter, mismatchWarning: command.warning, source: 'host' };
  }

  private async command(fn: FunctionConfig): Promise<{ argv: string[]; interpreter: string; warning?: string }> {
    if (!isSupportedRuntime(fn.runtime)) throw new SandboxUnavailableError(`Runtime ${fn.runtime} is not supported.`);
    const traits = runtimeTraits(fn.runtime);
    if (traits.family === 'nodejs') {
      const node = hostNode();
      const warning = node.version.split('.')[0] === traits.languageVersion ? undefined : `${fn.runtime} declares Node.js ${traits.languageVersion}; this process sandbox runs Node.js ${node.version}.`;
      return { argv: [node.executable, join(this.options.runtimesDir, 'nodejs/bootstrap')], interpreter: `node ${node.version}`, warning };
    }
    if (traits.family === 'python') {
      const python = await hostPython(traits.languageVersion!);
      if (!python) throw new SandboxUnavailableError(`${fn.runtime}: no Python 3 on this machine.`, `Install Python ${traits.languageVersion}.`);
      const warning = python.version.startsWith(`${traits.languageVersion}.`) ? undefined : `${fn.runtime} declares Python ${traits.languageVersion}; this process sandbox runs Python ${python.version}.`;
      return { argv: [python.executable, join(this.options.runtimesDir, 'python/bootstrap')], interpreter: `python ${python.version}`, warning };
    }
    const bootstrap = join(fn.codeDir, 'bootstrap');
    if (!existsSync(bootstrap)) throw new SandboxUnavailableError(`${fn.logicalId}: no bootstrap in ${fn.codeDir}.`, 'A custom runtime needs an executable file named bootstrap at the root of CodeUri.');
    return { argv: [bootstrap], interpreter: 'custom runtime (bootstrap)' };
  }

  async start(spec: SandboxSpec): Promise<Sandbox> {
    const { argv } = await this.command(spec.fn);
    const optDir = await this.options.layerDir(spec.fn);
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...spec.env };
    if (spec.fn.runtime.startsWith('nodejs')) {
      env.NODE_PATH = [optDir && join(optDir, 'nodejs/node_modules'), join(this.options.sdkRootDir, 'node_modules'), spec.fn.codeDir].filter(Boolean).join(':');
    }
    if (spec.fn.runtime.startsWith('python')) {
      const python = await hostPython(runtimeTraits(spec.fn.runtime as RuntimeId).languageVersion!);
      const debugpy = spec.debugPort ? python?.debugpyDir : undefined;
      env.PYTHONPATH = [optDir && join(optDir, 'python'), join(this.options.runtimesDir, 'python'), debugpy].filter(Boolean).join(':');
      env.PYTHONUNBUFFERED = '1';
    }
    Object.assign(env, debugEnvironment(spec.fn, spec.debugPort, env));
    const child = spawn(argv[0]!, argv.slice(1), { cwd: spec.fn.codeDir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
    return new ProcessSandbox(spec.sandboxId, child, spec.fn.memoryMb);
  }

  async removeLeftovers(): Promise<number> {
    return 0; // child processes die with LambdaDesk
  }
}

class ProcessSandbox implements Sandbox {
  readonly kind = 'process' as const;
  readonly exited: Promise<SandboxExit>;
  private readonly listeners: OutputListener[] = [];
  private overLimit = false;
  private peak = 0;
  private readonly watch: NodeJS.Timeout;

  constructor(
    readonly id: string,
    private readonly child: ChildProcess,
    memoryMb: number,
  ) {
    const out = new LineSplitter((line) => this.listeners.forEach((l) => l('stdout', line)));
    const err = new LineSplitter((line) => this.listeners.forEach((l) => l('stderr', line)));
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    // Without a cgroup, the closest to a memory limit is killing the process once its RSS passes it.
    this.watch = setInterval(() => {
      void this.peakMemoryBytes().then((bytes) => {
        if (bytes !== undefined && bytes > memoryMb * 1024 * 1024 && !this.overLimit) {
          this.overLimit = true;
          child.kill('SIGKILL');
        }
      });
    }, 50);
    this.watch.unref();
    this.exited = new Promise((resolve) => {
      child.once('error', () => resolve({ code: null, oomKilled: false }));
      child.once('close', (code, signal) => {
        clearInterval(this.watch);
        out.flush();
        err.flush();
        resolve({ code, signal: signal ?? undefined, oomKilled: this.overLimit });
      });
    });
  }

  onOutput(listener: OutputListener): void {
    this.listeners.push(listener);
  }

  async peakMemoryBytes(): Promise<number | undefined> {
    if (this.child.pid === undefined) return undefined;
    const now = await processPeakBytes(this.child.pid);
    if (now !== undefined) this.peak = Math.max(this.peak, now);
    return this.peak || undefined;
  }

  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}
