import type { ProjectWarning } from '../../contract.ts';
import { isPlaceholder } from '../../project/intrinsics.ts';
import type { TemplateResourceView } from '../../project/template-resources.ts';

export type DestinationType = 'SQS' | 'SNS' | 'Lambda' | 'EventBridge' | 'S3';

export interface Destination {
  type: DestinationType;
  arn: string;
}

/** A function's asynchronous-invocation settings: `EventInvokeConfig` and `DeadLetterQueue`. */
export interface AsyncInvokeConfig {
  functionName: string;
  /** 0–2; AWS's default is 2. */
  maximumRetryAttempts?: number;
  /** 60–21600; AWS's default is 21600 (6 hours). */
  maximumEventAgeSeconds?: number;
  onSuccess?: Destination;
  onFailure?: Destination;
  deadLetterQueue?: { type: 'SQS' | 'SNS'; arn: string };
}

const ARN_SERVICE: Record<DestinationType, string> = { SQS: 'sqs', SNS: 'sns', Lambda: 'lambda', EventBridge: 'events', S3: 's3' };

/**
 * Reads one function's `EventInvokeConfig` (MaximumEventAgeInSeconds, MaximumRetryAttempts,
 * DestinationConfig.OnSuccess/OnFailure) and `DeadLetterQueue` with AWS's and SAM's rules. As SAM
 * does, an SQS or SNS destination without `Destination` gets a queue or topic of its own.
 */
export function readAsyncInvokeConfig(resource: TemplateResourceView, stackName: string): { config: AsyncInvokeConfig; warnings: ProjectWarning[] } {
  const warnings: ProjectWarning[] = [];
  const base = `Resources.${resource.logicalId}.Properties`;
  const warn = (field: string, message: string): void => void warnings.push({ at: resource.location, field: `${base}.${field}`, message });
  const config: AsyncInvokeConfig = { functionName: resource.ref };
  const [, , , region = 'us-east-1', account = '123456789012'] = (resource.attributes.Arn ?? '').split(':');

  const eic = resource.properties.EventInvokeConfig as Record<string, unknown> | undefined;
  if (eic !== undefined && (typeof eic !== 'object' || eic === null)) warn('EventInvokeConfig', 'EventInvokeConfig must be a mapping.');
  else if (eic) {
    const whole = (name: string, min: number, max: number): number | undefined => {
      const value = eic[name];
      if (value === undefined) return undefined;
      const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
        warn(`EventInvokeConfig.${name}`, `${JSON.stringify(value)} is not allowed: use a whole number from ${min} to ${max}. AWS's default is used.`);
        return undefined;
      }
      return n;
    };
    config.maximumRetryAttempts = whole('MaximumRetryAttempts', 0, 2);
    config.maximumEventAgeSeconds = whole('MaximumEventAgeInSeconds', 60, 21_600);
    const destinations = eic.DestinationConfig as Record<string, unknown> | undefined;
    for (const condition of ['OnSuccess', 'OnFailure'] as const) {
      const entry = destinations?.[condition] as { Type?: unknown; Destination?: unknown } | undefined;
      if (!entry) continue;
      const field = `EventInvokeConfig.DestinationConfig.${condition}`;
      const type = entry.Type;
      if (typeof type !== 'string' || !(type in ARN_SERVICE)) {
        warn(`${field}.Type`, `Type must be SQS, SNS, Lambda, EventBridge or S3, not ${JSON.stringify(type)}. The destination is not used.`);
        continue;
      }
      let arn = entry.Destination;
      if (arn === undefined && (type === 'SQS' || type === 'SNS')) {
        // SAM creates the queue or topic when Destination is left out; locally it is created on first delivery.
        const name = `${stackName}-${resource.logicalId}EventInvokeConfig${condition}${type === 'SQS' ? 'Queue' : 'Topic'}`.slice(0, type === 'SQS' ? 80 : 256);
        arn = `arn:aws:${ARN_SERVICE[type]}:${region}:${account}:${name}`;
      }
      if (typeof arn !== 'string' || isPlaceholder(arn) || arn.split(':')[2] !== ARN_SERVICE[type as DestinationType]) {
        warn(`${field}.Destination`, `Destination must be the ARN of the ${type} target (e.g. !GetAtt Target.Arn), not ${JSON.stringify(arn)}. The destination is not used.`);
        continue;
      }
      if (type === 'S3') warn(`${field}.Type`, 'Asynchronous invocations cannot send records to S3 on AWS (S3 destinations are for event source mappings); LambdaDesk writes them to the bucket anyway.');
      config[condition === 'OnSuccess' ? 'onSuccess' : 'onFailure'] = { type: type as DestinationType, arn };
    }
  }

  const dlq = resource.properties.DeadLetterQueue as { Type?: unknown; TargetArn?: unknown } | undefined;
  if (dlq !== undefined) {
    const type = dlq?.Type;
    const arn = dlq?.TargetArn;
    if (type !== 'SQS' && type !== 'SNS') warn('DeadLetterQueue.Type', `Type must be SQS or SNS, not ${JSON.stringify(type)}. The dead-letter queue is not used.`);
    else if (typeof arn !== 'string' || isPlaceholder(arn) || arn.split(':')[2] !== ARN_SERVICE[type]) warn('DeadLetterQueue.TargetArn', `TargetArn must be the ${type} ARN (e.g. !GetAtt DeadLetters.Arn), not ${JSON.stringify(arn)}. The dead-letter queue is not used.`);
    else config.deadLetterQueue = { type, arn };
  }
  return { config, warnings };
}
