import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SystemClock, type Clock } from './clock.ts';
import type { DockerStatus, EngineEvent, EventMap, ProjectModel } from './contract.ts';
import { AwsEndpoint } from './http/aws-endpoint.ts';
import { createLambdaApi } from './http/lambda-api.ts';
import { AsyncInvokeQueue } from './invoke/async-invoke-queue.ts';
import { HotReloader } from './invoke/hot-reload.ts';
import { Invoker } from './invoke/invoker.ts';
import { loadProject } from './project/load-project.ts';
import { connectDocker } from './sandbox/docker-connection.ts';
import { DockerSandboxProvider } from './sandbox/docker-provider.ts';
import { LayerMerger } from './sandbox/layer-merge.ts';
import { PROCESS_FIDELITY_WARNING, ProcessSandboxProvider } from './sandbox/process-provider.ts';
import type { SandboxProvider } from './sandbox/sandbox-provider.ts';
import { createArnTargets, type EngineService } from './engine-context.ts';
import { ENGINE_SERVICES } from './engine-services.ts';

/** The app's own folder: `runtimes/` and `node_modules/` (the AWS SDK given to functions) live here. */
export const APP_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface EngineOptions {
  projectDir: string;
  /** LambdaDesk's own state for this project; default `<project>/.lambdadesk`. */
  stateDir?: string;
  host?: string;
  /** AWS endpoint (Invoke API and every emulated service); 0 picks a free port. */
  port?: number;
  /** API Gateway emulation (HTTP routes and Function URLs); 0 picks a free port. */
  apiPort?: number;
  /** MQTT broker for IoT rules; default 1883 or LAMBDADESK_MQTT_PORT. */
  mqttPort?: number;
  sandbox?: 'auto' | 'docker' | 'process';
  keepAliveMs?: number;
  concurrencyLimit?: number;
  region?: string;
  accountId?: string;
  parameterOverrides?: Record<string, string>;
  clock?: Clock;
  /** Reload code and template on change (default true). */
  watch?: boolean;
  debugPort?: number;
  /** Start the HTTP endpoint (the CLI's `invoke` runs without one). */
  listen?: boolean;
  runtimesDir?: string;
}

export const DEFAULTS = { host: '127.0.0.1', port: 3001, apiPort: 3000, keepAliveMs: 600_000, concurrencyLimit: 50, region: 'us-east-1', accountId: '123456789012' } as const;

export interface Engine {
  readonly events: EventEmitter<{ event: [EngineEvent] }>;
  readonly invoker: Invoker;
  readonly asyncQueue: AsyncInvokeQueue;
  readonly endpoint: AwsEndpoint;
  readonly docker: DockerStatus;
  readonly sandboxKind: SandboxProvider['kind'];
  /** Triggers and emulated services by name (`sqs`, `s3`, `http`, …). */
  readonly services: ReadonlyMap<string, EngineService>;
  model(): ProjectModel;
  reload(): Promise<ProjectModel>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Wires the engine's services by hand; each face (Electron, CLI, browser mode) is a thin layer over it. */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const projectDir = resolve(options.projectDir);
  const stateDir = options.stateDir ?? join(projectDir, '.lambdadesk');
  const clock = options.clock ?? new SystemClock();
  const region = options.region ?? DEFAULTS.region;
  const accountId = options.accountId ?? DEFAULTS.accountId;
  const runtimesDir = options.runtimesDir ?? join(APP_ROOT, 'runtimes');
  const loadOptions = { parameterOverrides: options.parameterOverrides, region, accountId };
  let model = (await loadProject(projectDir, loadOptions)).model;

  const layers = new LayerMerger(stateDir);
  const layerDir = (fn: Parameters<LayerMerger['optDir']>[0]) => layers.optDir(fn);
  const wantsDocker = (options.sandbox ?? 'auto') !== 'process';
  const { docker, status } = wantsDocker ? await connectDocker() : { docker: undefined, status: { available: false, endpoint: 'not used (--sandbox process)' } as DockerStatus };
  if (options.sandbox === 'docker' && !docker) throw new Error(`Docker is not available: ${status.error ?? status.endpoint}`);
  const provider: SandboxProvider = docker
    ? new DockerSandboxProvider({ docker, runtimesDir, sdkRootDir: APP_ROOT, projectDir, layerDir })
    : new ProcessSandboxProvider({ runtimesDir, sdkRootDir: APP_ROOT, layerDir });

  const endpoint = new AwsEndpoint({ host: options.host ?? DEFAULTS.host, port: options.port ?? DEFAULTS.port, region });
  const listening = options.listen ?? true;
  const invoker = new Invoker({
    provider,
    clock,
    model: () => model,
    region,
    accountId,
    keepAliveMs: options.keepAliveMs ?? DEFAULTS.keepAliveMs,
    concurrencyLimit: options.concurrencyLimit ?? DEFAULTS.concurrencyLimit,
    awsEndpointUrl: () => (listening ? endpoint.url : undefined),
    sandboxPaths: (fn) => (provider.kind === 'docker' ? { taskRoot: '/var/task', runtimeDir: '/var/runtime' } : { taskRoot: fn.codeDir, runtimeDir: runtimesDir }),
    debugPort: options.debugPort,
  });
  const asyncQueue = new AsyncInvokeQueue({
    dir: join(stateDir, 'async-events'),
    clock,
    invoke: (event) => invoker.invoke({ functionName: event.functionName, qualifier: event.qualifier, payload: event.payload, trigger: event.trigger }, { requestId: event.requestId }),
  });
  endpoint.register('lambda', createLambdaApi({ invoker, asyncQueue, model: () => model, accountId }));

  const events = new EventEmitter<{ event: [EngineEvent] }>();
  const forward = <K extends keyof EventMap>(type: K) => (payload: EventMap[K]) => events.emit('event', { type, payload } as EngineEvent);
  invoker.events.on('invocations:finished', forward('invocations:finished'));
  invoker.events.on('sandboxes:changed', forward('sandboxes:changed'));
  invoker.events.on('logs:appended', forward('logs:appended'));
  invoker.events.on('images:progress', forward('images:progress'));

  const services = new Map<string, EngineService>();
  const context = {
    model: () => model,
    invoker,
    asyncQueue,
    endpoint,
    arnTargets: createArnTargets(),
    clock,
    stateDir,
    region,
    accountId,
    events,
    apiHost: options.host ?? DEFAULTS.host,
    apiPort: options.apiPort ?? DEFAULTS.apiPort,
    mqttPort: options.mqttPort,
  };
  // A function as a target (destinations, SNS subscriptions, EventBridge rules) is an async invoke.
  context.arnTargets.register('lambda', async (arn, message) => {
    const target = invoker.target(arn);
    await asyncQueue.enqueue({ requestId: randomUUID(), functionName: target.fn.functionName, qualifier: target.qualifier, payload: message, trigger: 'destination' });
  });
  for (const { name, load } of ENGINE_SERVICES) services.set(name, (await load())(context));

  const reload = async (): Promise<ProjectModel> => {
    const next = (await loadProject(projectDir, loadOptions)).model;
    const before = new Map(model.functions.map((fn) => [fn.functionName, JSON.stringify(fn)]));
    model = next;
    layers.invalidate();
    await Promise.all(next.functions.filter((fn) => before.get(fn.functionName) !== JSON.stringify(fn)).map((fn) => invoker.retireFunction(fn.functionName)));
    await invoker.refreshProvisioned();
    for (const service of services.values()) await service.reload?.(model);
    reloader?.watch(model);
    return model;
  };
  const reloader = options.watch === false ? undefined : new HotReloader({
    templatePath: model.templatePath,
    onCodeChanged: (name) => {
      layers.invalidate();
      void invoker.retireFunction(name);
    },
    // A template mid-edit may not parse; keep running the last good model until it does.
    onTemplateChanged: () => void reload().catch(() => undefined),
  });

  return {
    events,
    invoker,
    asyncQueue,
    endpoint,
    docker: status,
    sandboxKind: provider.kind,
    services,
    model: () => model,
    reload,
    async start() {
      await provider.removeLeftovers();
      if (listening) await endpoint.listen();
      await invoker.start();
      for (const service of services.values()) await service.start();
      await asyncQueue.start();
      reloader?.watch(model);
    },
    async stop() {
      reloader?.close();
      await asyncQueue.stop();
      for (const service of [...services.values()].reverse()) await service.stop();
      await endpoint.close();
      await invoker.stop();
      if (provider instanceof DockerSandboxProvider) await provider.removeOwn();
    },
  };
}

export { PROCESS_FIDELITY_WARNING };
