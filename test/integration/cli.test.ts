/** The `lambdadesk` command as scripts use it: exit codes, usage errors, JSON output. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { REPO_ROOT } from './support/engine-fixture.ts';

function lambdadesk(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [join(REPO_ROOT, 'bin/lambdadesk.js'), ...args], { timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

test('--help lists every command; an unknown command exits 2 and names the known ones', async () => {
  const help = await lambdadesk('--help');
  expect(help.code).toBe(0);
  for (const name of ['serve', 'invoke', 'doctor']) expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  const unknown = await lambdadesk('frobnicate');
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain("unknown command 'frobnicate'");
});

test('usage mistakes exit 2 with what is allowed and the usage', async () => {
  const noName = await lambdadesk('invoke', '--dir', 'examples/hello');
  expect(noName.code).toBe(2);
  expect(noName.stderr).toContain('Name the function to invoke.');
  expect(noName.stderr).toContain('Usage: lambdadesk invoke FUNCTION');
  const badPort = await lambdadesk('serve', 'examples/hello', '--port', 'http');
  expect(badPort.code).toBe(2);
  expect(badPort.stderr).toContain("--port must be a whole number from 0 to 65535, not 'http'.");
  const badFlag = await lambdadesk('invoke', 'HelloNode', '--no-such-flag');
  expect(badFlag.code).toBe(2);
});

test('a broken template fails with file, line, column and property', async () => {
  const out = await lambdadesk('invoke', 'Anything', '--dir', join(REPO_ROOT, 'test/fixtures/projects/broken-properties'), '--sandbox', 'process');
  expect(out.code).toBe(1);
  expect(out.stderr).toMatch(/template\.yaml:\d+:\d+ Resources\.\w+\.Properties\.\w+/);
});

test('an unknown function name is ResourceNotFoundException with the ARN, exit 1', async () => {
  const out = await lambdadesk('invoke', 'Nope', '--dir', join(REPO_ROOT, 'examples/hello'), '--sandbox', 'process');
  expect(out.code).toBe(1);
  expect(out.stderr).toContain('Function not found: arn:aws:lambda:us-east-1:123456789012:function:Nope');
});

test('doctor --json reports the checks it made', async () => {
  const out = await lambdadesk('doctor', '--json');
  expect(out.code).toBe(0);
  const { checks } = JSON.parse(out.stdout) as { checks: Array<{ name: string; ok: boolean; detail: string }> };
  const names = checks.map((c) => c.name);
  expect(names).toContain('Docker engine');
  expect(names).toContain('port 3001 (AWS endpoint)');
  expect(names.some((n) => n.startsWith('python3.11'))).toBe(true);
});
