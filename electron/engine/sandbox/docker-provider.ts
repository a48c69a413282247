import { stat } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { cpus } from 'node:os';
import type Docker from 'dockerode';
import type { FunctionConfig } from '../contract.ts';
import { SandboxUnavailableError } from '../errors.ts';
import { debugEnvironment } from './debug-environment.ts';
import { ensureImage } from './image-builder.ts';
import { imageRecipe } from './image-recipe.ts';
import { LABEL_FUNCTION, LABEL_OWNER_PID, LABEL_PROJECT, LABEL_ROOT, LABEL_SANDBOX } from './labels.ts';
import { LineSplitter } from './line-splitter.ts';
import { cgroupPeakPaths, processPeakBytes, readFirstNumber } from './memory-peak.ts';
import { isSupportedRuntime, runtimeTraits } from './runtime-families.ts';
import type { OutputListener, ProgressReport, RuntimeImageInfo, Sandbox, SandboxExit, SandboxProvider, SandboxSpec } from './sandbox-provider.ts';

const MIB = 1024 * 1024;
/** Lambda gives one vCPU at 1,769 MB and scales CPU with memory, up to six. */
const MB_PER_VCPU = 1769;

export interface DockerProviderOptions {
  docker: Docker;
  runtimesDir: string;
  sdkRootDir: string;
  /** Labels containers with the project so `doctor` can say whose they are. */
  projectDir: string;
  /** Folder holding each function's merged layers (`/opt`). */
  layerDir: (fn: FunctionConfig) => Promise<string | undefined>;
}

interface PreparedImage extends RuntimeImageInfo {
  /** The command that starts the runtime client: empty for LambdaDesk's images (ENTRYPOINT). */
  cmd: string[];
}

/** Lambda-like containers: the limits of DESIGN.md, one container per execution environment. */
export class DockerSandboxProvider implements SandboxProvider {
  readonly kind = 'docker' as const;
  private readonly images = new Map<string, Promise<PreparedImage>>();
  constructor(private readonly options: DockerProviderOptions) {}

  prepare(fn: FunctionConfig, onProgress?: (p: ProgressReport) => void): Promise<RuntimeImageInfo> {
    return this.image(fn, onProgress);
  }

  private image(fn: FunctionConfig, onProgress?: (p: ProgressReport) => void): Promise<PreparedImage> {
    if (!isSupportedRuntime(fn.runtime)) throw new SandboxUnavailableError(`Runtime ${fn.runtime} is not supported.`);
    const runtime = fn.runtime;
    let pending = this.images.get(runtime);
    if (!pending) {
      pending = this.resolveImage(fn, onProgress);
      pending.catch(() => this.images.delete(runtime)); // a failed build is retried next time
      this.images.set(runtime, pending);
    }
    return pending;
  }

  private async resolveImage(fn: FunctionConfig, onProgress?: (p: ProgressReport) => void): Promise<PreparedImage> {
    const runtime = fn.runtime as Parameters<typeof runtimeTraits>[0];
    const traits = runtimeTraits(runtime);
    try {
      // AWS's own image wins when the user has it: it is the real thing.
      await this.options.docker.getImage(traits.officialImage).inspect();
      return { image: traits.officialImage, interpreter: `AWS ${traits.officialImage}`, source: 'official', cmd: [] };
    } catch {
      // Offline: build the equivalent from this machine's interpreter.
    }
    const recipe = await imageRecipe({ runtime, runtimesDir: this.options.runtimesDir, sdkRootDir: this.options.sdkRootDir });
    const image = await ensureImage(this.options.docker, recipe, onProgress);
    return { image, interpreter: recipe.interpreter, mismatchWarning: recipe.mismatchWarning, source: 'local', cmd: [] };
  }

  async start(spec: SandboxSpec): Promise<Sandbox> {
    const { fn } = spec;
    const prepared = await this.image(fn);
    await assertReadableByOthers(fn.codeDir, `${fn.logicalId} CodeUri`);
    const binds = [`${fn.codeDir}:/var/task:ro`];
    const optDir = await this.options.layerDir(fn);
    if (optDir) binds.push(`${optDir}:/opt:ro`);
    const env = { ...spec.env };
    Object.assign(env, debugEnvironment(fn, spec.debugPort, env));
    const hostCpus = cpus().length;
    const nanoCpus = Math.round(Math.min(6, hostCpus, Math.max(0.01, fn.memoryMb / MB_PER_VCPU)) * 1e9);
    const container = await this.options.docker.createContainer({
      Image: prepared.image,
      Cmd: prepared.source === 'official' ? [fn.handler] : undefined,
      Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      User: prepared.source === 'official' ? '993:990' : undefined,
      Labels: {
        [LABEL_ROOT]: 'true',
        [LABEL_FUNCTION]: fn.functionName,
        [LABEL_SANDBOX]: spec.sandboxId,
        [LABEL_OWNER_PID]: String(process.pid),
        [LABEL_PROJECT]: this.options.projectDir,
      },
      AttachStdout: true,
      AttachStderr: true,
      HostConfig: {
        // Linux: host networking, so the runtime reaches its Runtime API on 127.0.0.1 and no
        // private address range is used.
        NetworkMode: 'host',
        ReadonlyRootfs: true,
        Tmpfs: { '/tmp': `rw,exec,nosuid,size=${fn.ephemeralStorageMb}m,mode=1777` },
        Binds: binds,
        Memory: fn.memoryMb * MIB,
        MemorySwap: fn.memoryMb * MIB,
        NanoCpus: nanoCpus,
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        PidsLimit: 1024,
        Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 1024 }],
        Init: false,
      },
    });
    return DockerSandbox.start(this.options.docker, container, spec.sandboxId);
  }

  async removeLeftovers(): Promise<number> {
    const containers = await this.options.docker.listContainers({ all: true, filters: { label: [LABEL_ROOT] } });
    let removed = 0;
    for (const info of containers) {
      const owner = Number(info.Labels[LABEL_OWNER_PID]);
      if (owner && owner !== process.pid && isAlive(owner)) continue; // another LambdaDesk's sandbox
      try {
        await this.options.docker.getContainer(info.Id).remove({ force: true });
        removed++;
      } catch {
        // Already gone.
      }
    }
    return removed;
  }

  /** Removes this process's containers; used at exit. */
  async removeOwn(): Promise<void> {
    const containers = await this.options.docker.listContainers({ all: true, filters: { label: [`${LABEL_OWNER_PID}=${process.pid}`] } });
    await Promise.all(containers.map((c) => this.options.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  }
}

/** Lambda runs code as sbx_user1051, not as its owner: a private folder would fail as ImportModuleError. */
async function assertReadableByOthers(dir: string, what: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (info && (info.mode & 0o005) !== 0o005) {
    throw new SandboxUnavailableError(
      `${what} ${dir} is not readable by other users (mode ${(info.mode & 0o777).toString(8)}), and functions run as sbx_user1051 as on AWS.`,
      `Make it readable: chmod -R a+rX ${dir}`,
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

class DockerSandbox implements Sandbox {
  readonly kind = 'docker' as const;
  private readonly listeners: OutputListener[] = [];
  private removed?: Promise<void>;
  exited!: Promise<SandboxExit>;
  /** Found on first use, so a cold start does not wait for an extra Docker API call. */
  private hostPid?: Promise<number | undefined>;

  private constructor(
    private readonly docker: Docker,
    private readonly container: Docker.Container,
    readonly id: string,
  ) {}

  static async start(docker: Docker, container: Docker.Container, id: string): Promise<DockerSandbox> {
    const sandbox = new DockerSandbox(docker, container, id);
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    docker.modem.demuxStream(stream, stdout, stderr);
    const out = new LineSplitter((line) => sandbox.listeners.forEach((l) => l('stdout', line)));
    const err = new LineSplitter((line) => sandbox.listeners.forEach((l) => l('stderr', line)));
    stdout.on('data', (c: Buffer) => out.push(c));
    stderr.on('data', (c: Buffer) => err.push(c));
    stream.on('end', () => {
      out.flush();
      err.flush();
    });
    // `next-exit`: the default condition answers at once for a container not started yet.
    sandbox.exited = container
      .wait({ condition: 'next-exit' })
      .then(async (result: { StatusCode: number }) => {
        const state = await container.inspect().then((i) => i.State, () => undefined);
        return { code: result.StatusCode, oomKilled: Boolean(state?.OOMKilled), signal: result.StatusCode === 137 ? 'SIGKILL' : undefined };
      })
      .catch(() => ({ code: null, oomKilled: false }));
    try {
      await container.start();
    } catch (e) {
      await container.remove({ force: true }).catch(() => undefined);
      throw new SandboxUnavailableError(`Starting the sandbox container failed: ${(e as Error).message}`);
    }
    return sandbox;
  }

  onOutput(listener: OutputListener): void {
    this.listeners.push(listener);
  }

  async peakMemoryBytes(): Promise<number | undefined> {
    // The runtime's resident set includes the interpreter's mapped pages, which the cgroup
    // charges to whoever read them first (often another container): take the larger.
    this.hostPid ??= this.container.inspect().then((i) => i.State.Pid || undefined, () => undefined);
    const pid = await this.hostPid;
    const [fromCgroup, fromProcess] = await Promise.all([readFirstNumber(cgroupPeakPaths(this.container.id)), pid ? processPeakBytes(pid) : undefined]);
    if (fromCgroup !== undefined || fromProcess !== undefined) return Math.max(fromCgroup ?? 0, fromProcess ?? 0);
    // Docker Desktop keeps cgroups inside its VM: ask the engine instead.
    const stats = (await this.container.stats({ stream: false }).catch(() => undefined)) as { memory_stats?: { max_usage?: number; usage?: number } } | undefined;
    return stats?.memory_stats?.max_usage ?? stats?.memory_stats?.usage;
  }

  kill(): Promise<void> {
    this.removed ??= this.container.remove({ force: true }).then(
      () => undefined,
      () => undefined,
    );
    return this.removed;
  }
}
