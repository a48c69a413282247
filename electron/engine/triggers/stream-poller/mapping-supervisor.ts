import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { EngineContext } from '../../engine-context.ts';
import { readStreamMappings, type StreamMapping } from './mapping-config.ts';
import type { BatchReport } from './shard-consumer.ts';
import { StreamPoller, type StreamPollerStatus } from './stream-poller.ts';
import type { StreamSource } from './stream-source.ts';

/** What the faces show for one `Kinesis` or `DynamoDB` event of a function. */
export interface MappingInfo extends Partial<StreamPollerStatus> {
  id: string;
  uuid: string;
  functionName: string;
  eventName: string;
  streamArn: string;
  state: 'Enabled' | 'Disabled' | 'Invalid';
  /** file:line:column field: problem, when the template's event cannot run. */
  error?: string;
  fix?: string;
  notes: string[];
}

/**
 * Runs the event source mappings of one kind (`Kinesis` or `DynamoDB`) from the model: a
 * StreamPoller per valid, enabled event; a reload restarts only the mappings that changed, each
 * from its own checkpoint.
 */
export class MappingSupervisor {
  readonly events = new EventEmitter<{ 'stream:batch': [BatchReport] }>();
  private mappings: StreamMapping[] = [];
  private readonly pollers = new Map<string, { poller: StreamPoller; fingerprint: string }>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly kind: 'Kinesis' | 'DynamoDB',
    /** The stream a mapping reads (a mapping may add its own fields to records, e.g. Kinesis' invokeIdentityArn). */
    private readonly sourceFor: (mapping: StreamMapping) => StreamSource,
    /** Recorded on each invocation, e.g. `kinesis:orders`. */
    private readonly triggerFor: (mapping: StreamMapping) => string,
  ) {}

  async sync(): Promise<void> {
    this.mappings = readStreamMappings(this.ctx.model().functions, this.kind);
    const wanted = new Map(this.mappings.filter((m) => !m.error && m.enabled).map((m) => [m.id, m]));
    for (const [id, running] of [...this.pollers]) {
      const mapping = wanted.get(id);
      if (mapping && fingerprint(mapping) === running.fingerprint) continue;
      this.pollers.delete(id);
      await running.poller.stop();
    }
    for (const mapping of wanted.values()) {
      if (this.pollers.has(mapping.id)) continue;
      const poller = this.pollerFor(mapping);
      this.pollers.set(mapping.id, { poller, fingerprint: fingerprint(mapping) });
      await poller.start();
    }
  }

  async stop(): Promise<void> {
    const running = [...this.pollers.values()];
    this.pollers.clear();
    await Promise.all(running.map((r) => r.poller.stop()));
  }

  /** Resolves once every poller waits for records or for the clock: lets tests step a ManualClock. */
  async idle(): Promise<void> {
    await Promise.all([...this.pollers.values()].map((r) => r.poller.idle()));
  }

  list(): MappingInfo[] {
    return this.mappings.map((m) => {
      const status = this.pollers.get(m.id)?.poller.status();
      return {
        ...status,
        id: m.id,
        uuid: m.uuid,
        functionName: m.functionName,
        eventName: m.eventName,
        streamArn: m.streamArn,
        state: m.error ? 'Invalid' : m.enabled ? 'Enabled' : 'Disabled',
        error: m.error?.message,
        fix: m.error?.fix,
        notes: m.notes,
      };
    });
  }

  /**
   * What `serve` and the UI show for these mappings: their own errors and notes, plus what the
   * service says about each valid one's stream (`unknownStream`, e.g. "no such table stream").
   */
  problems(unknownStream: (m: MappingInfo) => { message: string; fix?: string } | undefined): Array<{ message: string; fix?: string }> {
    return this.list().flatMap((m) => {
      if (m.error) return [{ message: m.error, fix: m.fix }];
      const notes: Array<{ message: string; fix?: string }> = m.notes.map((note) => ({ message: `${m.functionName} ${m.eventName}: ${note}` }));
      const missing = unknownStream(m);
      if (missing) notes.push({ ...missing, message: `${m.functionName} ${m.eventName}: ${missing.message}` });
      return notes;
    });
  }

  private pollerFor(mapping: StreamMapping): StreamPoller {
    const { ctx } = this;
    return new StreamPoller({
      mapping,
      source: this.sourceFor(mapping),
      clock: ctx.clock,
      checkpointDir: join(ctx.stateDir, 'stream-mappings'),
      functionArn: `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${mapping.functionName}`,
      invoke: (payload) => ctx.invoker.invoke({ functionName: mapping.functionName, payload, trigger: this.triggerFor(mapping) }),
      deliver: (arn, message) => ctx.arnTargets.deliver(arn, message),
      report: (report) => this.events.emit('stream:batch', report),
    });
  }
}

function fingerprint(mapping: StreamMapping): string {
  const { location: _location, filters, ...rest } = mapping;
  return JSON.stringify({ ...rest, filters: filters.map((f) => f.source) });
}
