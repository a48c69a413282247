import type { EventSourceConfig, FunctionConfig, ProjectWarning } from '../../contract.ts';
import { parseEventPattern, type EventPattern } from '../shared/event-pattern.ts';
import { queueNameOf } from './queue-registry.ts';

/** One `SQS` event of a function, checked: what its poller needs. */
export interface SqsEventSourceConfig {
  functionName: string;
  eventName: string;
  queueArn: string;
  queueName: string;
  batchSize: number;
  batchingWindowMs: number;
  reportBatchItemFailures: boolean;
  /** `ScalingConfig.MaximumConcurrency`: concurrent batches; unset lets it grow to the default. */
  maximumConcurrency?: number;
  enabled: boolean;
  /** `FilterCriteria.Filters[].Pattern`: a message matching none is deleted without an invoke. */
  filters: EventPattern[];
}

/** Concurrent batches when `MaximumConcurrency` is not set: Lambda's pollers start with five. */
export const DEFAULT_POLLERS = 5;

/**
 * Reads an `SQS` event's properties with AWS's rules (BatchSize, the batching window, FIFO limits,
 * FunctionResponseTypes, ScalingConfig, Enabled). Problems are warnings naming the property, what
 * is allowed and the fix; an event with problems is not polled.
 */
export function readSqsEvent(fn: FunctionConfig, event: EventSourceConfig): { config?: SqsEventSourceConfig; warnings: ProjectWarning[] } {
  const warnings: ProjectWarning[] = [];
  const field = (name: string): string => `Resources.${fn.logicalId}.Properties.Events.${event.name}.Properties${name ? `.${name}` : ''}`;
  const warn = (name: string, message: string): void => void warnings.push({ at: event.location, field: field(name), message });
  const p = event.properties;

  const queue = p.Queue;
  if (typeof queue !== 'string' || !/^arn:[^:]+:sqs:[^:]*:[^:]*:[A-Za-z0-9_.-]+$/.test(queue)) {
    warn('Queue', `Queue must be the queue's ARN (e.g. !GetAtt MyQueue.Arn), not ${JSON.stringify(queue)}. The event is not polled until it is.`);
    return { warnings };
  }
  const queueName = queueNameOf(queue);
  const fifo = queueName.endsWith('.fifo');
  const whole = (name: string, value: unknown, min: number, max: number, fallback: number | undefined): number | undefined => {
    if (value === undefined || value === null) return fallback;
    const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      warn(name, `${JSON.stringify(value)} is not allowed: use a whole number from ${min} to ${max}.`);
      return undefined;
    }
    return n;
  };

  const batchSize = whole('BatchSize', p.BatchSize, 1, fifo ? 10 : 10_000, 10);
  const window = p.MaximumBatchingWindowInSeconds;
  if (fifo && window !== undefined) warn('MaximumBatchingWindowInSeconds', 'A batching window is not supported for FIFO queues: remove MaximumBatchingWindowInSeconds.');
  const windowSeconds = fifo ? 0 : whole('MaximumBatchingWindowInSeconds', window, 0, 300, 0);
  if (batchSize !== undefined && windowSeconds !== undefined && batchSize > 10 && windowSeconds < 1) {
    warn('MaximumBatchingWindowInSeconds', `Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10 (BatchSize is ${batchSize}). Set MaximumBatchingWindowInSeconds to 1 or more.`);
  }

  const types = p.FunctionResponseTypes;
  let reportBatchItemFailures = false;
  if (types !== undefined) {
    if (!Array.isArray(types) || types.some((t) => t !== 'ReportBatchItemFailures')) warn('FunctionResponseTypes', `FunctionResponseTypes may only list ReportBatchItemFailures, not ${JSON.stringify(types)}.`);
    else reportBatchItemFailures = types.length > 0;
  }

  let maximumConcurrency: number | undefined;
  if (p.ScalingConfig !== undefined) {
    const scaling = p.ScalingConfig as { MaximumConcurrency?: unknown } | null;
    maximumConcurrency = whole('ScalingConfig.MaximumConcurrency', scaling?.MaximumConcurrency, 2, 1000, undefined);
  }

  let enabled = true;
  if (p.Enabled !== undefined) {
    if (p.Enabled === false || p.Enabled === 'false') enabled = false;
    else if (p.Enabled !== true && p.Enabled !== 'true') warn('Enabled', `Enabled must be true or false, not ${JSON.stringify(p.Enabled)}.`);
  }

  const filters: EventPattern[] = [];
  if (p.FilterCriteria !== undefined) {
    const list = (p.FilterCriteria as { Filters?: unknown } | null)?.Filters;
    if (!Array.isArray(list) || list.length > 5) warn('FilterCriteria', 'FilterCriteria must be { Filters: [{ Pattern: … }] } with at most 5 filters.');
    else {
      for (const [index, filter] of list.entries()) {
        try {
          filters.push(parseEventPattern((filter as { Pattern?: unknown } | null)?.Pattern));
        } catch (err) {
          warn(`FilterCriteria.Filters[${index}].Pattern`, `${(err as Error).message} Write the pattern as JSON, e.g. '{"body": {"status": ["new"]}}'.`);
        }
      }
    }
  }

  if (warnings.length || batchSize === undefined || windowSeconds === undefined) return { warnings };
  return {
    config: {
      functionName: fn.functionName,
      eventName: event.name,
      queueArn: queue,
      queueName,
      batchSize,
      batchingWindowMs: windowSeconds * 1000,
      reportBatchItemFailures,
      maximumConcurrency,
      enabled,
      filters,
    },
    warnings,
  };
}
