import { matchesEventPattern, parseEventPattern, type EventPattern } from '../shared/event-pattern.ts';

/** One `FilterCriteria.Filters[].Pattern`, compiled. */
export type RecordFilter = EventPattern;

/**
 * Reads `FilterCriteria: { Filters: [{ Pattern }] }`: each pattern is EventBridge's pattern
 * language (JSON text, or a mapping in the template). Throws with the reason a pattern is not usable.
 */
export function parseRecordFilters(criteria: unknown): RecordFilter[] {
  const filters = typeof criteria === 'object' && criteria !== null ? (criteria as Record<string, unknown>).Filters : undefined;
  if (filters === undefined) return [];
  if (!Array.isArray(filters)) throw new Error('FilterCriteria.Filters must be a list of { Pattern } entries.');
  if (filters.length > 10) throw new Error(`FilterCriteria allows at most 10 filters, not ${filters.length}.`);
  return filters.map((filter: unknown, i) => {
    const pattern = typeof filter === 'object' && filter !== null ? (filter as Record<string, unknown>).Pattern : undefined;
    if (pattern === undefined) throw new Error(`FilterCriteria.Filters[${i}] has no Pattern.`);
    try {
      return parseEventPattern(pattern);
    } catch (err) {
      throw new Error(`FilterCriteria.Filters[${i}].Pattern: ${(err as Error).message}`, { cause: err });
    }
  });
}

/** A record is delivered when there are no filters or any filter matches it. */
export function passesFilters(filters: readonly RecordFilter[], view: Record<string, unknown>): boolean {
  return filters.length === 0 || filters.some((filter) => matchesEventPattern(filter, view));
}
