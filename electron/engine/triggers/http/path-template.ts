/** One segment of a route path: `items`, `{id}` or the greedy `{proxy+}`. */
export type PathSegment = { kind: 'literal'; text: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

export interface PathTemplate {
  /** As written in the template, e.g. `/items/{id}`. */
  text: string;
  segments: PathSegment[];
}

export interface PathMatch {
  pathParameters: Record<string, string>;
  /** Per segment: 0 literal, 1 parameter, 2 greedy. Lower is more specific, as API Gateway ranks routes. */
  rank: number[];
}

/**
 * Reads `/items/{id}/{proxy+}` as API Gateway does: a parameter fills a whole segment, and a
 * greedy parameter may only come last. Returns a problem text instead of a template when the
 * path cannot be a resource path.
 */
export function parsePathTemplate(text: string): PathTemplate | string {
  if (!text.startsWith('/')) return `"${text}" does not start with "/".`;
  const parts = text === '/' ? [] : text.replace(/\/$/, '').slice(1).split('/');
  const segments: PathSegment[] = [];
  for (const [index, part] of parts.entries()) {
    if (part === '') return `"${text}" has an empty segment.`;
    const param = /^\{([A-Za-z0-9._-]+)(\+?)\}$/.exec(part);
    if (param) {
      const greedy = param[2] === '+';
      if (greedy && index !== parts.length - 1) return `"${text}": a greedy {${param[1]}+} must be the last segment.`;
      segments.push(greedy ? { kind: 'greedy', name: param[1]! } : { kind: 'param', name: param[1]! });
      continue;
    }
    if (/[{}]/.test(part)) return `"${text}": a path parameter must fill a whole segment, like /items/{id}.`;
    segments.push({ kind: 'literal', text: part });
  }
  return { text, segments };
}

/** Decodes a percent-encoded segment; a malformed escape is kept as sent rather than rejected. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Splits a raw (percent-encoded) request path into decoded segments; one trailing slash is ignored. */
export function requestSegments(rawPath: string): string[] {
  const trimmed = rawPath.length > 1 ? rawPath.replace(/\/$/, '') : rawPath;
  if (trimmed === '/' || trimmed === '') return [];
  return trimmed.slice(1).split('/').map(decodeSegment);
}

/** Matches decoded request segments against a template; a greedy parameter takes one segment or more. */
export function matchPath(template: PathTemplate, segments: readonly string[]): PathMatch | undefined {
  const pathParameters: Record<string, string> = {};
  const rank: number[] = [];
  for (const [index, segment] of template.segments.entries()) {
    if (segment.kind === 'greedy') {
      const rest = segments.slice(index);
      if (rest.length === 0) return undefined;
      pathParameters[segment.name] = rest.join('/');
      rank.push(2);
      return { pathParameters, rank };
    }
    const value = segments[index];
    if (value === undefined || value === '') return undefined;
    if (segment.kind === 'literal') {
      if (segment.text !== value) return undefined;
      rank.push(0);
    } else {
      pathParameters[segment.name] = value;
      rank.push(1);
    }
  }
  return segments.length === template.segments.length ? { pathParameters, rank } : undefined;
}

/** Negative when `a` is the more specific match: literals beat parameters beat greedy, segment by segment. */
export function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    // A longer literal path is more specific than a shorter one that ran out first into a greedy.
    const left = a[i] ?? 3;
    const right = b[i] ?? 3;
    if (left !== right) return left - right;
  }
  return 0;
}
