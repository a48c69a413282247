/**
 * The README's example project, exactly as a new user runs it: every runtime, in Docker and
 * in the process sandbox, through the CLI's `invoke` (payload on stdout, logs on stderr).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { dockerAvailable } from './support/docker-required.ts';
import { REPO_ROOT } from './support/engine-fixture.ts';

const hasDocker = await dockerAvailable();

function invoke(fn: string, sandbox: string, event: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [join(REPO_ROOT, 'bin/lambdadesk.js'), 'invoke', fn, '--dir', join(REPO_ROOT, 'examples/hello'), '--sandbox', sandbox, '--event', '-'], { timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(event);
  });
}

const cases = [
  { fn: 'HelloNode', runtime: /^nodejs v20\./ },
  { fn: 'HelloPython', runtime: /^python 3\.\d+\.\d+$/ },
  { fn: 'HelloShell', runtime: /^provided/ },
];

describe.each([
  { sandbox: 'docker', enabled: hasDocker },
  { sandbox: 'process', enabled: true },
])('examples/hello in the $sandbox sandbox', ({ sandbox, enabled }) => {
  test.runIf(enabled).each(cases)('$fn answers with a greeting and AWS log framing', async ({ fn, runtime }) => {
    const { code, stdout, stderr } = await invoke(fn, sandbox, '{"name":"Grace"}');
    expect(code, stderr).toBe(0);
    const body = JSON.parse(stdout) as { message: string; runtime: string };
    expect(body.message).toBe('Hello, Grace!');
    expect(body.runtime).toMatch(runtime);
    expect(stderr).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/m);
    expect(stderr).toMatch(/^REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms\t$/m);
  });
});

test('`lambdadesk invoke` exits 1 on a function error, with the error body on stdout', async () => {
  const result = await new Promise<{ code: number; stdout: string }>((resolve) =>
    execFile(process.execPath, [join(REPO_ROOT, 'bin/lambdadesk.js'), 'invoke', 'Thrower', '--dir', join(REPO_ROOT, 'test/fixtures/runtime/limits'), '--sandbox', 'process'], (err, stdout) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout }),
    ),
  );
  expect(result.code).toBe(1);
  expect(JSON.parse(result.stdout)).toMatchObject({ errorType: 'ValidationError', errorMessage: 'bad input: {}' });
});
