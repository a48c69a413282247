/** `image/png; charset=x` → `image/png`, lowercased; undefined when there is none. */
export function mediaType(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type ? type : undefined;
}

/**
 * SAM writes `BinaryMediaTypes` with OpenAPI's escape, `image~1png` for `image/png`; both
 * spellings are accepted.
 */
export function unescapeMediaType(type: string): string {
  return type.replace(/~1/g, '/').trim().toLowerCase();
}

/** Whether a media type is one of `binaryMediaTypes`, where `*` stands for any type or subtype. */
export function isBinaryType(type: string | undefined, binaryMediaTypes: readonly string[]): boolean {
  if (!type) return false;
  const [main, sub] = type.split('/');
  return binaryMediaTypes.some((candidate) => {
    const [cMain, cSub] = candidate.split('/');
    return (cMain === '*' || cMain === main) && (cSub === '*' || cSub === sub);
  });
}

const TEXT_APPLICATION_TYPES = new Set(['application/json', 'application/javascript', 'application/xml', 'application/yaml', 'application/x-yaml', 'application/graphql']);

/**
 * HTTP APIs and Function URLs have no `binaryMediaTypes`: a body is passed as text only when its
 * type is textual, and base64-encoded otherwise, including a form post or a body without a
 * Content-Type (both surprise people who move from REST APIs).
 */
export function isTextType(type: string | undefined): boolean {
  if (!type) return false;
  if (type.startsWith('text/')) return true;
  if (TEXT_APPLICATION_TYPES.has(type)) return true;
  return /^application\/[^/]+\+(json|xml)$/.test(type);
}
