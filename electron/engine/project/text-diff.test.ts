import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { diffLines, splitLines, unifiedDiff } from './text-diff.ts';

/** Length of a longest common subsequence, by dynamic programming: the minimality oracle. */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const line of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j += 1) {
      const saved = row[j] as number;
      row[j] = line === b[j - 1] ? diagonal + 1 : Math.max(row[j] as number, row[j - 1] as number);
      diagonal = saved;
    }
  }
  return row[b.length] as number;
}

/** A small seeded generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** Applies a unified diff the way `patch` does, hunk by hunk, checking every context and removed line. */
function applyPatch(before: string, diff: string): string {
  const source = splitLines(before);
  const out: string[] = [];
  let cursor = 0;
  const lines = diff.split('\n');
  let i = 2;
  while (i < lines.length && lines[i] !== '') {
    const header = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(lines[i] as string);
    if (!header) throw new Error(`bad hunk header: ${lines[i]}`);
    const oldStart = Number(header[1]);
    const oldCount = header[2] === undefined ? 1 : Number(header[2]);
    const from = oldCount === 0 ? oldStart : oldStart - 1;
    while (cursor < from) out.push(source[cursor++] as string);
    i += 1;
    while (i < lines.length && /^[ +\-\\]/.test(lines[i] as string)) {
      const line = lines[i] as string;
      const noNewline = lines[i + 1] === '\\ No newline at end of file';
      const text = line.slice(1) + (noNewline ? '' : '\n');
      if (line[0] === ' ' || line[0] === '-') {
        if (source[cursor] !== text) throw new Error(`context mismatch at line ${cursor + 1}: ${JSON.stringify(source[cursor])} vs ${JSON.stringify(text)}`);
        if (line[0] === ' ') out.push(text);
        cursor += 1;
      } else if (line[0] === '+') {
        out.push(text);
      }
      i += noNewline ? 2 : 1;
    }
  }
  while (cursor < source.length) out.push(source[cursor++] as string);
  return out.join('');
}

describe('diffLines', () => {
  test('finds a shortest edit script on random inputs', () => {
    const next = random(7);
    for (let round = 0; round < 300; round += 1) {
      const alphabet = ['a\n', 'b\n', 'c\n', 'd\n'];
      const make = (): string[] => Array.from({ length: Math.floor(next() * 14) }, () => alphabet[Math.floor(next() * alphabet.length)] as string);
      const before = make();
      const after = make();
      const script = diffLines(before, after);
      expect(script.filter((line) => line.op !== '+').map((line) => line.text)).toEqual(before);
      expect(script.filter((line) => line.op !== '-').map((line) => line.text)).toEqual(after);
      const edits = script.filter((line) => line.op !== ' ').length;
      expect(edits).toBe(before.length + after.length - 2 * lcsLength(before, after));
    }
  });

  test('diffs two unrelated long texts without running out of memory', () => {
    const before = Array.from({ length: 3_000 }, (_, i) => `old ${i}\n`);
    const after = Array.from({ length: 3_000 }, (_, i) => `new ${i}\n`);
    const script = diffLines(before, after);
    expect(script.filter((line) => line.op === '-')).toHaveLength(3_000);
    expect(script.filter((line) => line.op === '+')).toHaveLength(3_000);
  });
});

describe('unifiedDiff', () => {
  test('equal texts give no diff', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n')).toBe('');
  });

  test('a change in the middle shows three lines of context and diff -u hunk numbers', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((n) => `${n}\n`).join('');
    const after = before.replace('5\n', 'five\n');
    expect(unifiedDiff(before, after, { fromFile: 'a/template.yaml', toFile: 'b/template.yaml' })).toBe(
      ['--- a/template.yaml', '+++ b/template.yaml', '@@ -2,7 +2,7 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8', ''].join('\n'),
    );
  });

  test('changes further apart than six lines get separate hunks; closer ones share one', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}\n`);
    const far = [...lines];
    far[2] = 'changed 3\n';
    far[20] = 'changed 21\n';
    expect(unifiedDiff(lines.join(''), far.join('')).match(/^@@/gm)).toHaveLength(2);
    const near = [...lines];
    near[2] = 'changed 3\n';
    near[9] = 'changed 10\n';
    expect(unifiedDiff(lines.join(''), near.join('')).match(/^@@/gm)).toHaveLength(1);
  });

  test('an added last line and a missing final newline are marked as diff does', () => {
    const diff = unifiedDiff('a\nb', 'a\nb\nc\n');
    expect(diff).toBe(['--- a/file', '+++ b/file', '@@ -1,2 +1,3 @@', ' a', '-b', '\\ No newline at end of file', '+b', '+c', ''].join('\n'));
  });

  test('an insertion into an empty text numbers the empty side 0', () => {
    expect(unifiedDiff('', 'x\n')).toBe(['--- a/file', '+++ b/file', '@@ -0,0 +1 @@', '+x', ''].join('\n'));
  });

  test('random edits round-trip through a patch applier', () => {
    const next = random(11);
    for (let round = 0; round < 200; round += 1) {
      const base = Array.from({ length: 5 + Math.floor(next() * 40) }, (_, i) => `line ${i}`);
      const edited = base.flatMap((line) => {
        const roll = next();
        if (roll < 0.08) return [];
        if (roll < 0.16) return [`${line} changed`];
        if (roll < 0.22) return [line, `inserted after ${line}`];
        return [line];
      });
      const before = `${base.join('\n')}${next() < 0.5 ? '\n' : ''}`;
      const after = `${edited.join('\n')}${next() < 0.5 ? '\n' : ''}`;
      expect(applyPatch(before, unifiedDiff(before, after))).toBe(after);
    }
  });

  test.skipIf(!existsSync('/usr/bin/patch'))('GNU patch applies the diff', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'text-diff-'));
    try {
      const before = 'Resources:\n  A:\n    Type: AWS::SQS::Queue\n  B:\n    Type: AWS::SNS::Topic\n';
      const after = 'Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 60\n  B:\n    Type: AWS::SNS::Topic\n';
      writeFileSync(path.join(dir, 'template.yaml'), before);
      writeFileSync(path.join(dir, 'change.diff'), unifiedDiff(before, after, { fromFile: 'a/template.yaml', toFile: 'b/template.yaml' }));
      execFileSync('/usr/bin/patch', ['-p1', '--quiet', '-i', 'change.diff'], { cwd: dir });
      expect(readFileSync(path.join(dir, 'template.yaml'), 'utf8')).toBe(after);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
