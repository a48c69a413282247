import type { AwsServiceHandler } from '../../http/aws-endpoint.ts';
import { readBody } from '../../http/aws-request.ts';
import { EventsResourceNotFoundError, EventsValidationError, SerializationError, UnknownOperationError } from './eventbridge-errors.ts';
import type { EventBridgeService } from './eventbridge-service.ts';
import { sendJson, sendJsonError } from './json-protocol.ts';
import type { Rule } from './rule-definitions.ts';

type Body = Record<string, unknown>;

/** PutEvents may carry 256 KB of entries; JSON escaping can double that. */
const MAX_BODY_BYTES = 1024 * 1024;

function ruleSummary(rule: Rule): Record<string, unknown> {
  return { Name: rule.name, Arn: rule.arn, EventPattern: rule.pattern.source, State: rule.enabled ? 'ENABLED' : 'DISABLED', EventBusName: rule.busName };
}

function findRule(service: EventBridgeService, body: Body): Rule {
  const name = body.Name ?? body.Rule;
  if (typeof name !== 'string' || !name) throw new EventsValidationError("1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
  const busName = typeof body.EventBusName === 'string' ? body.EventBusName : 'default';
  const rule = service.rules(busName).find((r) => r.name === name);
  if (!rule) throw new EventsResourceNotFoundError(`Rule ${name} does not exist on EventBus ${busName}.`);
  return rule;
}

/** EventBridge's JSON 1.1 API (`X-Amz-Target: AWSEvents.<Operation>`) on the engine's AWS endpoint. */
export function createEventsApi(service: EventBridgeService): AwsServiceHandler {
  const operations: Record<string, (body: Body) => Promise<unknown>> = {
    PutEvents: (body) => service.putEvents(body.Entries),
    async TestEventPattern(body) {
      if (typeof body.EventPattern !== 'string') throw new EventsValidationError("1 validation error detected: Value null at 'eventPattern' failed to satisfy constraint: Member must not be null");
      if (typeof body.Event !== 'string') throw new EventsValidationError("1 validation error detected: Value null at 'event' failed to satisfy constraint: Member must not be null");
      let event: unknown;
      try {
        event = JSON.parse(body.Event);
      } catch {
        throw new EventsValidationError('Parameter Event is not valid.', 'Event must be JSON text of a whole event: id, account, source, time, region, detail-type, detail.');
      }
      return { Result: service.testEventPattern(body.EventPattern, event) };
    },
    async ListRules(body) {
      const busName = typeof body.EventBusName === 'string' ? body.EventBusName : 'default';
      service.bus(busName);
      const prefix = typeof body.NamePrefix === 'string' ? body.NamePrefix : '';
      return { Rules: service.rules(busName).filter((r) => r.name.startsWith(prefix)).map(ruleSummary) };
    },
    async DescribeRule(body) {
      return { ...ruleSummary(findRule(service, body)), CreatedBy: '' };
    },
    async ListTargetsByRule(body) {
      const rule = findRule(service, body);
      return {
        Targets: rule.targets.map((t) => ({
          Id: t.id,
          Arn: t.arn,
          ...(t.input !== undefined ? { Input: t.input } : {}),
          ...(t.inputPath !== undefined ? { InputPath: t.inputPath } : {}),
          ...(t.inputTransformer ? { InputTransformer: { InputPathsMap: t.inputTransformer.inputPathsMap, InputTemplate: t.inputTransformer.inputTemplate } } : {}),
        })),
      };
    },
    async ListEventBuses(body) {
      const prefix = typeof body.NamePrefix === 'string' ? body.NamePrefix : '';
      return { EventBuses: service.buses().filter((b) => b.name.startsWith(prefix)).map((b) => ({ Name: b.name, Arn: b.arn })) };
    },
    async DescribeEventBus(body) {
      const bus = service.bus(typeof body.Name === 'string' ? body.Name : 'default');
      return { Name: bus.name, Arn: bus.arn };
    },
  };

  return async (req, res, ctx) => {
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('AWSEvents.') ? target.slice('AWSEvents.'.length) : '';
      const run = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
      if (!run) {
        throw new UnknownOperationError(
          operation ? `LambdaDesk's EventBridge does not implement ${operation}.` : 'Missing X-Amz-Target header (AWSEvents.<Operation>).',
          `Implemented: ${Object.keys(operations).join(', ')}.`,
        );
      }
      const text = (await readBody(req, MAX_BODY_BYTES)).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : {};
      } catch (err) {
        throw new SerializationError(`The request body is not JSON: ${(err as Error).message}`);
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new SerializationError('The request body must be a JSON object.');
      sendJson(res, await run(body as Body), ctx.requestId);
    } catch (err) {
      sendJsonError(res, err, ctx.requestId);
    }
  };
}
