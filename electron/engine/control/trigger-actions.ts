import type { TriggerAction, TriggerReply } from '../contract.ts';
import type { Engine } from '../create-engine.ts';
import { LambdaDeskError } from '../errors.ts';

/** The trigger's service is not running in this engine (not in the template, or not built yet). */
export class TriggerUnavailableError extends LambdaDeskError {
  readonly awsName = 'ResourceNotFoundException';
  readonly status = 409;
}

const SERVICE_OF: Record<TriggerAction['kind'], string> = {
  'queue:send': 'sqs',
  'bucket:put': 's3',
  'schedule:fire': 'schedule',
  'topic:publish': 'sns',
  'bus:put': 'eventbridge',
  'http:request': 'http',
};

/** Exercises a trigger from the UI the way its AWS service would: the function runs through the real path. */
export async function fireTrigger(engine: Engine, action: TriggerAction): Promise<TriggerReply> {
  const serviceName = SERVICE_OF[action.kind];
  const service = engine.services.get(serviceName);
  if (!service) throw new TriggerUnavailableError(`The ${serviceName} emulation is not running, so ${action.kind} cannot be sent.`, `Running services: ${[...engine.services.keys()].join(', ') || 'none'}.`);
  throw new TriggerUnavailableError(`${action.kind} is not wired to the ${serviceName} service yet.`);
}
