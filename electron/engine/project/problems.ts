import type { ProjectWarning, SourceLocation } from '../contract.ts';
import { TemplateError } from '../errors.ts';
import type { PathSegment } from './template-document.ts';
import { formatPath } from './template-node.ts';

/** Something in the template a message can point at: a node, or a parent plus the missing field. */
export interface Spot {
  at: SourceLocation;
  path: readonly PathSegment[];
}

/**
 * Collects every error and warning of one template, so the user sees them all at once instead
 * of fixing one, reloading and meeting the next.
 */
export class Problems {
  readonly errors: TemplateError[] = [];
  readonly warnings: ProjectWarning[] = [];
  private readonly seenWarnings = new Set<string>();

  error(spot: Spot, problem: string, fix?: string): void {
    const field = formatPath(spot.path);
    this.errors.push(new TemplateError({ ...spot.at, field }, problem, fix));
  }

  /** The same warning reached twice (a Globals value read for each function) is kept once. */
  warn(spot: Spot, message: string): void {
    const field = formatPath(spot.path);
    const key = `${spot.at.line}:${spot.at.column}:${field}:${message}`;
    if (this.seenWarnings.has(key)) return;
    this.seenWarnings.add(key);
    this.warnings.push({ at: spot.at, field, message });
  }
}
