import { targetPayload } from '../eventbridge/input-transform.ts';
import type { ScheduleDefinition } from './schedule-definitions.ts';

/** EventBridge writes `time` to the second, without milliseconds. */
export function eventTime(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The payload a schedule delivers. `Input` replaces the whole event on both services. Without
 * it, an EventBridge rule sends its "Scheduled Event" (lambda-contract.md §6); EventBridge
 * Scheduler sends its own default notification, which differs in `source` (`aws.scheduler`),
 * in `resources` (the schedule's ARN) and in `detail`, which it sends as the string "{}".
 */
export function scheduledPayload(definition: ScheduleDefinition, scheduledMs: number, id: string, identity: { region: string; accountId: string }): string {
  if (definition.input !== undefined) return definition.input;
  const event = {
    version: '0',
    id,
    'detail-type': 'Scheduled Event',
    source: definition.kind === 'Schedule' ? 'aws.events' : 'aws.scheduler',
    account: identity.accountId,
    time: eventTime(scheduledMs),
    region: identity.region,
    resources: [definition.arn],
    detail: definition.kind === 'Schedule' ? {} : '{}',
  };
  // A rule resource's target may reshape the event (Input, InputPath, InputTransformer).
  if (definition.target) return targetPayload(definition.target, event, { ruleArn: definition.arn, ruleName: definition.name, ingestionTime: event.time });
  return JSON.stringify(event);
}
