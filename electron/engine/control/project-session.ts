import { EventEmitter } from 'node:events';
import type { Clock, ClockTimer } from '../clock.ts';
import type { ActivitySnapshot, AppEvent, AppInfo, SampleEvent, TriggerAction, TriggerReply, AppMode, DockerStatus, FunctionInvokeRequest, InvokeReply, ProjectModel, ProjectSnapshot, ProjectState } from '../contract.ts';
import type { Engine } from '../create-engine.ts';
import { ActivityLog } from './activity-log.ts';
import { CanvasService } from './canvas-service.ts';
import { NoProjectError, toErrorReply } from './control-errors.ts';
import type { DockerWatcher } from './docker-watcher.ts';
import { listSampleEvents } from './sample-events.ts';
import { SimulatorService } from './simulator-service.ts';
import { fireTrigger } from './trigger-actions.ts';

export type SandboxPreference = 'auto' | 'docker' | 'process';

export interface ProjectSessionOptions {
  mode: AppMode;
  version: string;
  /** `createEngine` with the face's ports and state folder; tests pass a fake. */
  createEngine: (dir: string, sandbox: SandboxPreference) => Promise<Engine>;
  sandbox: SandboxPreference;
  docker: DockerWatcher;
  clock: Clock;
  /** How often to look for a model the engine reloaded after an outside edit of the template. */
  modelPollMs?: number;
  recentProjects?: () => string[];
  /** Told after a project opened, e.g. to remember it in the recent list. */
  onOpened?: (dir: string) => void;
  apiUrl?: (engine: Engine) => string;
  /** The `--debug-port` runtimes were started with, shown as attach info. */
  debugPort?: number;
}

/**
 * The open project behind every face: owns the engine's lifecycle (open, reopen when Docker
 * comes back, stop), keeps the recent activity, and fans engine events out as AppEvents.
 */
export class ProjectSession {
  readonly events = new EventEmitter<{ event: [AppEvent] }>();
  readonly activity = new ActivityLog();
  /** Needs no running engine: only calibration reads the records kept above. */
  readonly simulator = new SimulatorService((functionName) => this.activity.recordsOf(functionName));
  private current?: Engine;
  private currentCanvas?: CanvasService;
  private state: ProjectState = { status: 'none' };
  private lastModel?: ProjectModel;
  private modelTimer?: ClockTimer;
  private opening: Promise<ProjectState> = Promise.resolve(this.state);
  private closed = false;

  constructor(private readonly options: ProjectSessionOptions) {
    options.docker.events.on('docker:changed', (status) => {
      this.emit({ type: 'docker:changed', payload: status });
      void this.onDockerChanged(status);
    });
  }

  info(): AppInfo {
    return { mode: this.options.mode, version: this.options.version, recentProjects: this.options.recentProjects?.() ?? [], project: this.projectState() };
  }

  projectState(): ProjectState {
    if (this.state.status !== 'open' || !this.current) return this.state;
    return { status: 'open', dir: this.state.dir, snapshot: this.snapshot(this.current) };
  }

  /** The running engine; throws NoProjectError when none is open. */
  engine(): Engine {
    if (!this.current) throw new NoProjectError();
    return this.current;
  }

  /** Opens DIR, replacing the open project; a failure is a state the UI shows, not a throw. */
  open(dir: string): Promise<ProjectState> {
    this.opening = this.opening.then(() => this.replace(dir), () => this.replace(dir));
    return this.opening;
  }

  async reload(): Promise<ProjectState> {
    if (this.current) {
      await this.current.reload();
      this.modelChanged();
      return this.projectState();
    }
    return this.state.status === 'none' || this.state.status === 'opening' ? this.state : this.open(this.state.dir);
  }

  async invoke(request: FunctionInvokeRequest): Promise<InvokeReply> {
    const result = await this.engine().invoker.invoke({ functionName: request.functionName, payload: request.payload, trigger: 'console' }, { forceCold: request.forceCold });
    const reply: InvokeReply = { record: result.record, payload: result.payload.toString('utf8'), contentType: result.contentType, logs: result.logs };
    if (result.functionError) reply.functionError = result.functionError;
    return reply;
  }

  activitySnapshot(): ActivitySnapshot {
    return this.activity.snapshot(this.engine().invoker.sandboxes());
  }

  /** The canvas of the open project: graph, layout and template edits. */
  canvas(): CanvasService {
    if (!this.current || !this.currentCanvas) throw new NoProjectError();
    return this.currentCanvas;
  }

  /** Stops the function's sandboxes, so the next invoke starts cold. */
  stopSandboxes(functionName: string): Promise<void> {
    return this.engine().invoker.retireFunction(functionName);
  }

  samples(): Promise<SampleEvent[]> {
    return listSampleEvents(this.engine().model().dir);
  }

  fireTrigger(action: TriggerAction): Promise<TriggerReply> {
    return fireTrigger(this.engine(), action);
  }

  /** Asks Docker now instead of waiting for the next poll. */
  checkDocker(): Promise<DockerStatus> {
    return this.options.docker.check();
  }

  /** The template changed through the app: reload now instead of waiting for the file watcher. */
  async modelEdited(): Promise<void> {
    await this.current?.reload();
    this.modelChanged();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.modelTimer) this.options.clock.clearTimeout(this.modelTimer);
    await this.opening.catch(() => undefined);
    await this.stopEngine();
  }

  private async replace(dir: string): Promise<ProjectState> {
    await this.stopEngine();
    if (this.closed) return this.state;
    this.setState({ status: 'opening', dir });
    try {
      const engine = await this.options.createEngine(dir, this.options.sandbox);
      this.listenTo(engine);
      await engine.start();
      this.attach(dir, engine);
    } catch (err) {
      this.setState({ status: 'failed', dir, error: toErrorReply(err) });
    }
    return this.projectState();
  }

  /** Takes over an engine that is already started (`lambdadesk serve --ui` made it first). */
  adopt(dir: string, engine: Engine): ProjectState {
    this.listenTo(engine);
    this.attach(dir, engine);
    return this.projectState();
  }

  private listenTo(engine: Engine): void {
    engine.events.on('event', (event) => {
      if (event.type === 'invocations:finished') this.activity.addRecord(event.payload);
      if (event.type === 'logs:appended') this.activity.addLog(event.payload);
      if (event.type === 'sandboxes:changed') this.activity.addSandboxChange(event.payload);
      this.emit(event);
    });
  }

  private attach(dir: string, engine: Engine): void {
    this.current = engine;
    this.currentCanvas = new CanvasService(() => engine.model(), () => this.modelEdited());
    this.lastModel = engine.model();
    if (engine.docker.available || !this.options.docker.status) this.options.docker.seed(engine.docker);
    this.activity.clear();
    this.setState({ status: 'open', dir, snapshot: this.snapshot(engine) });
    this.options.onOpened?.(dir);
    this.watchModel();
  }

  private async stopEngine(): Promise<void> {
    const engine = this.current;
    this.current = undefined;
    this.currentCanvas = undefined;
    if (engine) await engine.stop();
  }

  /** Docker came back while functions ran as host processes: reopen so they run in containers. */
  private async onDockerChanged(status: DockerStatus): Promise<void> {
    const engine = this.current;
    if (status.available && engine && engine.sandboxKind === 'process' && this.options.sandbox === 'auto' && this.state.status === 'open') {
      await this.open(this.state.dir);
    } else if (this.state.status === 'open') {
      this.emit({ type: 'project:changed', payload: this.projectState() });
    }
  }

  private watchModel(): void {
    if (this.modelTimer) this.options.clock.clearTimeout(this.modelTimer);
    const tick = (): void => {
      if (this.closed) return;
      if (this.current && this.current.model() !== this.lastModel) this.modelChanged();
      this.modelTimer = this.options.clock.setTimeout(tick, this.options.modelPollMs ?? 1000);
    };
    this.modelTimer = this.options.clock.setTimeout(tick, this.options.modelPollMs ?? 1000);
  }

  private modelChanged(): void {
    if (!this.current) return;
    this.lastModel = this.current.model();
    this.emit({ type: 'project:changed', payload: this.projectState() });
  }

  private snapshot(engine: Engine): ProjectSnapshot {
    const snapshot: ProjectSnapshot = {
      model: engine.model(),
      docker: this.options.docker.status ?? engine.docker,
      sandboxKind: engine.sandboxKind,
      endpointUrl: engine.endpoint.url,
      apiUrl: this.options.apiUrl?.(engine) ?? '',
      services: [...engine.services.keys()],
    };
    if (this.options.debugPort !== undefined) snapshot.debugPort = this.options.debugPort;
    return snapshot;
  }

  private setState(state: ProjectState): void {
    this.state = state;
    this.emit({ type: 'project:changed', payload: this.projectState() });
  }

  private emit(event: AppEvent): void {
    this.events.emit('event', event);
  }
}
