import { EventEmitter } from 'node:events';
import type { Clock, ClockTimer } from '../clock.ts';
import type { DockerStatus } from '../contract.ts';

export interface DockerWatcherOptions {
  /** Asks Docker once: `connectDocker().status` in the app, a fake in tests. */
  probe: () => Promise<DockerStatus>;
  clock: Clock;
  /** How often to ask; the "Docker is not running" banner clears within this. */
  intervalMs: number;
}

/**
 * Polls Docker so the UI can say "Docker is not running" and recover by itself when it comes
 * back: emits `docker:changed` only when availability (or the endpoint) changes.
 */
export class DockerWatcher {
  readonly events = new EventEmitter<{ 'docker:changed': [DockerStatus] }>();
  private current?: DockerStatus;
  private timer?: ClockTimer;
  private running = false;

  constructor(private readonly options: DockerWatcherOptions) {}

  get status(): DockerStatus | undefined {
    return this.current;
  }

  /** Seeds the state (e.g. with what the engine found) without emitting. */
  seed(status: DockerStatus): void {
    this.current = status;
  }

  start(): void {
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
  }

  /** Asks now (the UI's "Check again"); emits if the answer changed. */
  async check(): Promise<DockerStatus> {
    const next = await this.options.probe().catch((err: unknown): DockerStatus => ({ available: false, endpoint: 'unknown', error: String(err) }));
    const before = this.current;
    this.current = next;
    if (!before || before.available !== next.available || before.endpoint !== next.endpoint) this.events.emit('docker:changed', next);
    return next;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = this.options.clock.setTimeout(() => {
      void this.check().finally(() => this.schedule());
    }, this.options.intervalMs);
  }
}
