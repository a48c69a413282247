/**
 * Instant feedback while typing in the inspector; the engine checks again (with the template's
 * context) when the change is previewed, and its word is final.
 */
export function checkWholeNumber(text: string, min: number, max: number, unit: string): string | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n)) return `Enter a whole number of ${unit}.`;
  if (n < min || n > max) return `Must be from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')} ${unit}.`;
  return undefined;
}

export const checkMemory = (text: string) => checkWholeNumber(text, 128, 10_240, 'MB');
export const checkTimeout = (text: string) => checkWholeNumber(text, 1, 900, 'seconds');
export const checkBatchSize = (text: string, max = 10_000) => checkWholeNumber(text, 1, max, 'records');

/** Lambda's rule for environment variable names: a letter first, then letters, digits and underscores. */
export function checkVariableName(name: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) return 'Start with a letter; use letters, digits and _ only.';
  if (/^AWS_/.test(name) && name !== 'AWS_NODEJS_CONNECTION_REUSE_ENABLED') return 'Names starting with AWS_ are reserved by Lambda.';
  return undefined;
}

export function checkRoutePath(path: string): string | undefined {
  if (!path.startsWith('/')) return 'A route path starts with /, e.g. /orders/{id}.';
  if (/\s/.test(path)) return 'A route path has no spaces.';
  return undefined;
}

export const HTTP_METHODS = ['ANY', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
