#!/usr/bin/env node
/**
 * Runs @doyensec/electronegativity over the shell's sources (main, preload, renderer) and fails
 * on any finding above LOW. The tool always exits 0, so this reads its CSV report instead.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const bin = join(dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist/index.js');

/**
 * Checks that only say "review this": PRELOAD_JS_CHECK fires for any preload at all. Ours was
 * reviewed: it exposes `call` and `onEvent` only, refuses channels outside the ChannelMap, and
 * electron/preload/index.test.ts pins that.
 */
const REVIEWED = new Set(['PRELOAD_JS_CHECK']);
const FAIL_AT = new Set(['MEDIUM', 'HIGH', 'CRITICAL']);

const work = mkdtempSync(join(tmpdir(), 'electronegativity-'));
try {
  // A copy of just our sources: the tool would otherwise walk node_modules and the build output.
  for (const dir of ['electron/main', 'electron/preload', 'renderer']) {
    cpSync(join(root, dir), join(work, 'src', dir), { recursive: true, filter: (src) => !src.endsWith('.test.ts') && !src.includes('test-support') });
  }
  cpSync(join(root, 'package.json'), join(work, 'package.json'));
  const report = join(work, 'report.csv');
  await promisify(execFile)(process.execPath, [bin, '-i', work, '-o', report, '-r', '-v', 'false'], { timeout: 240_000, maxBuffer: 16 * 1024 * 1024 });
  const rows = parseCsv(readFileSync(report, 'utf8')).slice(1);
  const findings = rows.map(([issue, severity, confidence, file, location, , description]) => ({ issue, severity, confidence, file, location, description }));
  const failing = findings.filter((f) => FAIL_AT.has(f.severity ?? '') && !REVIEWED.has(f.issue ?? ''));
  for (const f of findings) console.log(`${FAIL_AT.has(f.severity ?? '') && !REVIEWED.has(f.issue ?? '') ? 'FAIL' : 'ok  '} ${f.severity} ${f.issue} ${f.file}:${f.location} ${f.description}`);
  console.log(`electronegativity: ${findings.length} finding(s), ${failing.length} above LOW${REVIEWED.size ? ` (reviewed and allowed: ${[...REVIEWED].join(', ')})` : ''}`);
  process.exitCode = failing.length > 0 ? 1 : 0;
} finally {
  rmSync(work, { recursive: true, force: true });
}

function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field.trim());
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      endField();
    } else if (!quoted && c === '\n') {
      endField();
      rows.push(row);
      row = [];
    } else if (c !== '\r') {
      field += c;
    }
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows.filter((r) => r.some(Boolean));
}
