/**
 * MQTT topic filter matching: `+` is one level, `#` (last) is any number of levels including
 * none, and a filter starting with a wildcard does not match topics starting with `$`.
 */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  if ((f[0] === '+' || f[0] === '#') && topic.startsWith('$')) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return i === f.length - 1;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** Why a FROM topic filter is not valid MQTT, or undefined when it is. */
export function topicFilterProblem(filter: string): string | undefined {
  if (filter === '') return 'The topic filter is empty.';
  const levels = filter.split('/');
  for (const [i, level] of levels.entries()) {
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) return `'#' must be a whole level and the last one (e.g. 'sensors/#').`;
    if (level.includes('+') && level !== '+') return `'+' must be a whole level (e.g. 'sensors/+/data').`;
  }
  return undefined;
}
