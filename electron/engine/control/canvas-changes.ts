import type { CanvasChange } from '../contract.ts';
import { LambdaDeskError } from '../errors.ts';
import { accessModesFor, canLink, defaultEventFor, PALETTE } from '../project/link-rules.ts';
import type { TemplateEdit } from '../project/template-edits.ts';

/** A canvas change the engine's rules do not allow (a link between kinds that cannot connect). */
export class InvalidCanvasChangeError extends LambdaDeskError {
  readonly awsName = 'InvalidParameterValueException';
  readonly status = 400;
}

/**
 * Turns what the user did on the canvas into template edits: a dropped resource becomes an
 * `add-resource`, a link a function `Events` entry (trigger) or a policy and variable (access).
 * Dropped routes and schedules are virtual: they reach the template only through their link.
 */
export function toTemplateEdits(changes: readonly CanvasChange[]): TemplateEdit[] {
  return changes.flatMap((change): TemplateEdit[] => {
    switch (change.kind) {
      case 'add-node': {
        const entry = PALETTE.find((p) => p.kind === change.nodeKind);
        if (!entry) throw new InvalidCanvasChangeError(`The palette has no ${change.nodeKind}.`);
        if (entry.virtual || !entry.resourceType) return [];
        return [{ kind: 'add-resource', logicalId: change.logicalId, resourceType: entry.resourceType, ...(change.properties ? { properties: change.properties } : {}) }];
      }
      case 'link': {
        const verdict = canLink(change.sourceKind, change.targetKind);
        if (!verdict.ok) throw new InvalidCanvasChangeError(verdict.reason);
        if (verdict.relation === 'access') {
          const access = change.access ?? accessModesFor(change.targetKind)[0] ?? 'read';
          return [{ kind: 'add-access', functionId: change.source, targetId: change.target, access }];
        }
        const event = defaultEventFor(change.sourceKind, change.source);
        return [{ kind: 'add-event', functionId: change.target, eventType: event.eventType, properties: { ...event.properties, ...(change.eventProperties ?? {}) } }];
      }
      case 'set-property':
        return [{ kind: 'set-property', path: change.path, value: change.value }];
      case 'remove':
        return [{ kind: 'remove', path: change.path }];
    }
  });
}
