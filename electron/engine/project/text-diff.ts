/** One line of a diff: kept, removed from the old text or added by the new one. */
export interface DiffLine {
  op: ' ' | '-' | '+';
  /** The line with its `\n` if it had one; the last line of a file may have none. */
  text: string;
}

export interface UnifiedDiffOptions {
  /** Name after `--- `; default `a/file`. */
  fromFile?: string;
  /** Name after `+++ `; default `b/file`. */
  toFile?: string;
  /** Unchanged lines shown around each change; default 3, as `diff -u`. */
  context?: number;
}

/**
 * Splits a text into lines that keep their `\n`, so that a last line without one differs from
 * the same line with one, as `diff` sees it.
 */
export function splitLines(text: string): string[] {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g);
  return lines ?? [];
}

/**
 * A shortest edit script between two line lists (Myers' O(ND) algorithm in linear space: the
 * middle snake, divide and conquer), so that even a template rewritten from top to bottom diffs
 * without quadratic memory.
 */
export function diffLines(before: readonly string[], after: readonly string[]): DiffLine[] {
  const out: DiffLine[] = [];
  // Common ends are the usual case of an edit; taking them first keeps the search small.
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start += 1;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore -= 1;
    endAfter -= 1;
  }
  for (let i = 0; i < start; i += 1) out.push({ op: ' ', text: before[i] as string });
  compare(before, start, endBefore, after, start, endAfter, out);
  for (let i = endBefore; i < before.length; i += 1) out.push({ op: ' ', text: before[i] as string });
  return removalsFirst(out);
}

/** Within each run of changed lines, removals come before additions, as `diff` prints them. */
function removalsFirst(lines: DiffLine[]): DiffLine[] {
  const out: DiffLine[] = [];
  let added: DiffLine[] = [];
  for (const line of lines) {
    if (line.op === '+') added.push(line);
    else if (line.op === '-') out.push(line);
    else {
      out.push(...added, line);
      added = [];
    }
  }
  out.push(...added);
  return out;
}

function compare(a: readonly string[], aStart: number, aEnd: number, b: readonly string[], bStart: number, bEnd: number, out: DiffLine[]): void {
  while (aStart < aEnd && bStart < bEnd && a[aStart] === b[bStart]) {
    out.push({ op: ' ', text: a[aStart] as string });
    aStart += 1;
    bStart += 1;
  }
  const tail: DiffLine[] = [];
  while (aEnd > aStart && bEnd > bStart && a[aEnd - 1] === b[bEnd - 1]) {
    tail.push({ op: ' ', text: a[aEnd - 1] as string });
    aEnd -= 1;
    bEnd -= 1;
  }
  if (aStart === aEnd) {
    for (let j = bStart; j < bEnd; j += 1) out.push({ op: '+', text: b[j] as string });
  } else if (bStart === bEnd) {
    for (let i = aStart; i < aEnd; i += 1) out.push({ op: '-', text: a[i] as string });
  } else {
    const [x, y] = middleSnake(a, aStart, aEnd, b, bStart, bEnd);
    compare(a, aStart, x, b, bStart, y, out);
    compare(a, x, aEnd, b, y, bEnd, out);
  }
  for (let k = tail.length - 1; k >= 0; k -= 1) out.push(tail[k] as DiffLine);
}

/**
 * A point on a shortest edit path that splits the problem in two: the forward search from the
 * top-left and the backward one from the bottom-right run until their furthest paths overlap.
 * Both ranges are non-empty and differ in their first and last lines.
 */
function middleSnake(a: readonly string[], aStart: number, aEnd: number, b: readonly string[], bStart: number, bEnd: number): [number, number] {
  const n = aEnd - aStart;
  const m = bEnd - bStart;
  const delta = n - m;
  const odd = (delta & 1) !== 0;
  const max = Math.ceil((n + m) / 2);
  const offset = max + 1;
  // forward[k]: furthest x on diagonal k (x - y = k) going down; backward[k]: furthest x going up, on diagonal k + delta.
  const forward = new Int32Array(2 * offset + 1);
  const backward = new Int32Array(2 * offset + 1);
  forward[offset + 1] = 0;
  backward[offset + 1] = 0;
  for (let d = 0; d <= max; d += 1) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (forward[offset + k - 1] as number) < (forward[offset + k + 1] as number))
        ? (forward[offset + k + 1] as number)
        : (forward[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[aStart + x] === b[bStart + y]) {
        x += 1;
        y += 1;
      }
      forward[offset + k] = x;
      const reverseK = delta - k;
      if (odd && reverseK >= -(d - 1) && reverseK <= d - 1 && x + (backward[offset + reverseK] as number) >= n) {
        return [aStart + x, bStart + y];
      }
    }
    for (let k = -d; k <= d; k += 2) {
      // Backward path measured from the end: u counts lines taken from the end of `a`.
      let u = k === -d || (k !== d && (backward[offset + k - 1] as number) < (backward[offset + k + 1] as number))
        ? (backward[offset + k + 1] as number)
        : (backward[offset + k - 1] as number) + 1;
      let v = u - k;
      while (u < n && v < m && a[aEnd - 1 - u] === b[bEnd - 1 - v]) {
        u += 1;
        v += 1;
      }
      backward[offset + k] = u;
      const forwardK = delta - k;
      if (!odd && forwardK >= -d && forwardK <= d && u + (forward[offset + forwardK] as number) >= n) {
        return [aEnd - u, bEnd - v];
      }
    }
  }
  // Unreachable: a path of length n + m always exists.
  return [aEnd, bEnd];
}

/**
 * The difference of two texts as a unified diff (`diff -u` format, which `patch` and `git apply`
 * read): `---`/`+++` headers, `@@ -start,count +start,count @@` hunks with `context` unchanged
 * lines around each change, and `\ No newline at end of file` where a text ends without one.
 * Equal texts give an empty string.
 */
export function unifiedDiff(before: string, after: string, options: UnifiedDiffOptions = {}): string {
  if (before === after) return '';
  const context = options.context ?? 3;
  const lines = diffLines(splitLines(before), splitLines(after));
  const out = [`--- ${options.fromFile ?? 'a/file'}\n`, `+++ ${options.toFile ?? 'b/file'}\n`];
  for (const hunk of hunks(lines, context)) {
    out.push(`@@ -${range(hunk.oldStart, hunk.oldCount)} +${range(hunk.newStart, hunk.newCount)} @@\n`);
    for (const line of hunk.lines) {
      out.push(line.op + line.text);
      if (!line.text.endsWith('\n')) out.push('\n\\ No newline at end of file\n');
    }
  }
  return out.join('');
}

interface Hunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  lines: DiffLine[];
}

function hunks(lines: readonly DiffLine[], context: number): Hunk[] {
  const changed = lines.map((line, index) => (line.op === ' ' ? -1 : index)).filter((index) => index >= 0);
  const result: Hunk[] = [];
  let i = 0;
  while (i < changed.length) {
    // Changes closer than two contexts share a hunk, as in `diff -u`.
    let last = changed[i] as number;
    let j = i + 1;
    while (j < changed.length && (changed[j] as number) - last - 1 <= 2 * context) {
      last = changed[j] as number;
      j += 1;
    }
    const from = Math.max(0, (changed[i] as number) - context);
    const to = Math.min(lines.length, last + context + 1);
    let oldLine = 1;
    let newLine = 1;
    for (let k = 0; k < from; k += 1) {
      const op = (lines[k] as DiffLine).op;
      if (op !== '+') oldLine += 1;
      if (op !== '-') newLine += 1;
    }
    const body = lines.slice(from, to);
    const oldCount = body.filter((line) => line.op !== '+').length;
    const newCount = body.filter((line) => line.op !== '-').length;
    result.push({
      // An empty side is numbered by the line before it, as `diff -u` does.
      oldStart: oldCount === 0 ? oldLine - 1 : oldLine,
      oldCount,
      newStart: newCount === 0 ? newLine - 1 : newLine,
      newCount,
      lines: body,
    });
    i = j;
  }
  return result;
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}
