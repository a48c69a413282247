import { EventEmitter } from 'node:events';
import type { ProjectModel, ProjectWarning } from '../../contract.ts';
import type { EngineContext, EngineService, EngineServiceFactory } from '../../engine-context.ts';
import type { AsyncDisposition } from '../../invoke/async-invoke-queue.ts';
import { readTemplateResources } from '../../project/template-resources.ts';
import { conditionOf, deadLetterMessage, destinationRecord, type DestinationCondition } from './destination-record.ts';
import { readAsyncInvokeConfig, type AsyncInvokeConfig, type Destination } from './event-invoke-config.ts';

export interface DestinationDelivered {
  requestId: string;
  functionName: string;
  condition: DestinationCondition;
  /** `on-success`, `on-failure` or `dead-letter-queue`. */
  kind: 'on-success' | 'on-failure' | 'dead-letter-queue';
  arn: string;
  /** Set when delivery failed. */
  error?: string;
}

/**
 * Asynchronous invocations' destinations and dead-letter queues: reads each function's
 * `EventInvokeConfig` and `DeadLetterQueue` from the template, and when an async event is done
 * with (it succeeded, exhausted its retries or grew too old) delivers Lambda's invocation record to
 * the OnSuccess/OnFailure destination and the original event to the dead-letter queue, through the
 * engine's ARN targets (queues, topics, buses, functions).
 */
export class AsyncDestinationsService implements EngineService {
  readonly name = 'async-destinations';
  readonly events = new EventEmitter<{ 'destinations:delivered': [DestinationDelivered] }>();
  private configs = new Map<string, AsyncInvokeConfig>();
  private templateWarnings: ProjectWarning[] = [];
  private loaded?: Promise<void>;

  constructor(private readonly ctx: EngineContext) {
    // Awaited before the queue removes the event's file, so a crash cannot lose a destination record.
    ctx.asyncQueue.onSettled((disposition) => this.deliver(disposition));
    ctx.asyncQueue.setLimits((functionName) => {
      const config = this.configs.get(functionName);
      return config && { maximumRetryAttempts: config.maximumRetryAttempts, maximumEventAgeSeconds: config.maximumEventAgeSeconds };
    });
  }

  async start(): Promise<void> {
    this.loaded = this.load(this.ctx.model());
    await this.loaded;
  }

  async reload(model: ProjectModel): Promise<void> {
    this.loaded = this.load(model);
    await this.loaded;
  }

  async stop(): Promise<void> {}

  /** A function's EventInvokeConfig and DeadLetterQueue, as the async queue should apply them. */
  eventInvokeConfig(functionName: string): AsyncInvokeConfig | undefined {
    return this.configs.get(functionName);
  }

  warnings(): ProjectWarning[] {
    return [...this.templateWarnings];
  }

  /** Sends the record (and the dead letter) for one settled async event; never throws. */
  async deliver(disposition: AsyncDisposition): Promise<void> {
    await this.loaded;
    const config = this.configs.get(disposition.event.functionName);
    const condition = conditionOf(disposition);
    if (!config || !condition) return;
    const record = destinationRecord(disposition, { region: this.ctx.region, accountId: this.ctx.accountId }, this.ctx.clock.now());
    const destination = condition === 'Success' ? config.onSuccess : config.onFailure;
    const sends: Array<Promise<void>> = [];
    if (destination && record) sends.push(this.send(disposition, condition, condition === 'Success' ? 'on-success' : 'on-failure', destination, JSON.stringify(record)));
    const dead = condition === 'Success' ? undefined : deadLetterMessage(disposition);
    if (dead && config.deadLetterQueue) sends.push(this.send(disposition, condition, 'dead-letter-queue', config.deadLetterQueue, dead.body, dead.attributes));
    await Promise.all(sends);
  }

  private async send(disposition: AsyncDisposition, condition: DestinationCondition, kind: DestinationDelivered['kind'], target: Destination | { type: string; arn: string }, message: string, attributes?: Record<string, string>): Promise<void> {
    const delivered: DestinationDelivered = { requestId: disposition.event.requestId, functionName: disposition.event.functionName, condition, kind, arn: target.arn };
    try {
      const eventBridge = target.type === 'EventBridge' ? { source: 'lambda', 'detail-type': `Lambda Function Invocation Result - ${condition === 'Success' ? 'Success' : 'Failure'}` } : undefined;
      await this.ctx.arnTargets.deliver(target.arn, message, attributes ?? eventBridge);
    } catch (err) {
      delivered.error = (err as Error).message;
    }
    this.events.emit('destinations:delivered', delivered);
  }

  private async load(model: ProjectModel): Promise<void> {
    const template = await readTemplateResources(model, { region: this.ctx.region, accountId: this.ctx.accountId });
    const stackName = template.stack.stackName;
    const configs = new Map<string, AsyncInvokeConfig>();
    const warnings: ProjectWarning[] = [];
    for (const resource of template.ofType('AWS::Serverless::Function')) {
      const { config, warnings: found } = readAsyncInvokeConfig(resource, stackName);
      warnings.push(...found);
      if (config.onSuccess || config.onFailure || config.deadLetterQueue || config.maximumRetryAttempts !== undefined || config.maximumEventAgeSeconds !== undefined) configs.set(config.functionName, config);
    }
    this.configs = configs;
    this.templateWarnings = warnings;
  }
}

export const createAsyncDestinationsService: EngineServiceFactory = (ctx) => new AsyncDestinationsService(ctx);
