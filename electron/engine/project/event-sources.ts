import type { EventSourceConfig } from '../contract.ts';
import { NO_VALUE } from './intrinsics.ts';
import type { ValueReader } from './read-values.ts';
import { entryOf } from './template-node.ts';
import type { TemplateNode } from './template-node.ts';

/**
 * A function's `Events`, kept close to the template: type and properties with intrinsics resolved
 * where they could be. Interpreting them is the triggers' job; only the shape SAM requires of
 * every event (a mapping with a `Type`) is checked here.
 */
export function readEvents(reader: ValueReader, eventsNode: TemplateNode | undefined): EventSourceConfig[] {
  if (!eventsNode) return [];
  const { problems, resolver } = reader;
  const chosen = resolver.select(eventsNode);
  if (chosen.kind !== 'map') {
    problems.error(eventsNode, 'Events must be a mapping of event names to { Type, Properties }.', 'Write each event as `Name:` with `Type:` and `Properties:` under it.');
    return [];
  }
  const events: EventSourceConfig[] = [];
  for (const [name, event] of chosen.entries) {
    const declaration = resolver.select(event);
    if (declaration.kind !== 'map') {
      problems.error(event, `Event ${name} must be a mapping with a Type and Properties.`);
      continue;
    }
    const typeNode = entryOf(declaration, 'Type');
    const type = typeNode ? resolver.resolve(typeNode) : undefined;
    if (typeof type !== 'string' || type === '') {
      problems.error(typeNode ?? event, `Event ${name} has no Type.`, 'Add a Type such as Api, HttpApi, Schedule, SQS or S3.');
      continue;
    }
    const propertiesNode = entryOf(declaration, 'Properties');
    const value = propertiesNode ? resolver.resolve(propertiesNode) : {};
    // An empty `Properties:` is read as no properties, not as a mistake.
    const properties = value === null || value === NO_VALUE ? {} : value;
    if (typeof properties !== 'object' || Array.isArray(properties)) {
      problems.error(propertiesNode ?? event, `Properties of event ${name} must be a mapping.`);
      continue;
    }
    events.push({
      name,
      type,
      properties: properties as Record<string, unknown>,
      location: event.at,
    });
  }
  return events;
}
