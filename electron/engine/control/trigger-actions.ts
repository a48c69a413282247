import type { TriggerAction, TriggerReply } from '../contract.ts';
import type { Engine } from '../create-engine.ts';
import type { EngineService } from '../engine-context.ts';
import { LambdaDeskError } from '../errors.ts';

/** The trigger's service is not running in this engine, or the named queue, topic… is not in it. */
export class TriggerUnavailableError extends LambdaDeskError {
  readonly awsName = 'ResourceNotFoundException';
  readonly status = 404;
}

// The few methods of each emulated service the UI uses, so this file does not pull the services in.
interface QueueService extends EngineService {
  queues(): Array<{ name: string; url: string }>;
  send(reference: string, body: string): Promise<{ messageId: string }>;
}
interface TopicService extends EngineService {
  topics(): Array<{ arn: string; name: string; logicalId?: string }>;
  publish(input: { topicArn: string; message: string }): Promise<{ messageId: string }>;
}
interface ScheduleFirer extends EngineService {
  fire(functionName: string, eventName: string): Promise<{ requestId: string }>;
}
interface BucketService extends EngineService {
  buckets(): Promise<Array<{ name: string }>>;
  put(bucket: string, key: string, body: Buffer | string): Promise<unknown>;
}
interface BusService extends EngineService {
  buses(): Array<{ name: string; arn: string }>;
  putEvents(entries: unknown): Promise<{ FailedEntryCount: number; Entries: Array<{ EventId?: string; ErrorCode?: string; ErrorMessage?: string }> }>;
}
interface HttpGateway extends EngineService {
  readonly url: string;
  readonly listening: boolean;
}

function service<T extends EngineService>(engine: Engine, name: string, method: keyof T & string): T {
  const found = engine.services.get(name) as (EngineService & Partial<Record<string, unknown>>) | undefined;
  if (!found || typeof found[method] !== 'function' && method !== 'url') {
    throw new TriggerUnavailableError(`The ${name} emulation is not running in this LambdaDesk, so this trigger cannot be fired from the UI.`, `Running services: ${[...engine.services.keys()].join(', ') || 'none'}.`);
  }
  return found as unknown as T;
}

/** Finds a queue by name, URL or the logical id it was generated from (`Orders` → `hello-Orders-1A2B`). */
export function pickByName<T extends { name: string }>(items: readonly T[], reference: string, what: string, logicalIdOf?: (item: T) => string | undefined): T {
  const exact = items.find((item) => item.name === reference || logicalIdOf?.(item) === reference);
  if (exact) return exact;
  // Generated names lowercase the logical id for buckets: compare without case.
  const generated = items.filter((item) => item.name.toLowerCase().split('-').includes(reference.toLowerCase()));
  if (generated.length === 1) return generated[0]!;
  throw new TriggerUnavailableError(`There is no ${what} '${reference}' in this project.`, items.length ? `${what[0]!.toUpperCase()}${what.slice(1)}s: ${items.map((i) => i.name).join(', ')}.` : `The template declares no ${what}.`);
}

/** Exercises a trigger from the UI the way its AWS service would: the function runs through the real path. */
export async function fireTrigger(engine: Engine, action: TriggerAction): Promise<TriggerReply> {
  switch (action.kind) {
    case 'queue:send': {
      const sqs = service<QueueService>(engine, 'sqs', 'send');
      const queue = pickByName(sqs.queues(), action.queue, 'queue');
      const sent = await sqs.send(queue.url, action.body);
      return { summary: `Sent message ${sent.messageId} to ${queue.name}` };
    }
    case 'topic:publish': {
      const sns = service<TopicService>(engine, 'sns', 'publish');
      const topic = pickByName(sns.topics(), action.topic, 'topic', (t) => t.logicalId);
      const published = await sns.publish({ topicArn: topic.arn, message: action.message });
      return { summary: `Published message ${published.messageId} to ${topic.name}` };
    }
    case 'schedule:fire': {
      const schedule = service<ScheduleFirer>(engine, 'schedule', 'fire');
      const firing = await schedule.fire(action.functionName, action.eventName);
      return { summary: `Fired ${action.eventName} of ${action.functionName} (request ${firing.requestId})` };
    }
    case 'bucket:put': {
      const s3 = service<BucketService>(engine, 's3', 'put');
      const bucket = pickByName(await s3.buckets(), action.bucket, 'bucket');
      await s3.put(bucket.name, action.key, Buffer.from(action.body, 'utf8'));
      return { summary: `Put s3://${bucket.name}/${action.key}` };
    }
    case 'bus:put': {
      const events = service<BusService>(engine, 'eventbridge', 'putEvents');
      const bus = action.bus === 'default' ? { name: 'default' } : pickByName(events.buses(), action.bus, 'event bus');
      const result = await events.putEvents([{ EventBusName: bus.name, Source: action.source, DetailType: action.detailType, Detail: action.detail }]);
      const [entry] = result.Entries;
      if (result.FailedEntryCount > 0) throw new TriggerUnavailableError(`EventBridge refused the event: ${entry?.ErrorCode ?? ''} ${entry?.ErrorMessage ?? ''}`.trim());
      return { summary: `Put event ${entry?.EventId ?? ''} from ${action.source} on ${bus.name}` };
    }
    case 'http:request': {
      const http = service<HttpGateway>(engine, 'http', 'url');
      if (!http.listening) throw new TriggerUnavailableError('The API Gateway emulation is not listening: the template declares no route.');
      const response = await fetch(new URL(action.path, http.url), { method: action.method, body: action.body, headers: action.body ? { 'content-type': 'application/json' } : {} });
      return { summary: `${action.method} ${action.path} → ${response.status} ${response.statusText}` };
    }
  }
}
