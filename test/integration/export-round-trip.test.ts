/** What `lambdadesk export` writes runs under LambdaDesk with the same results as the source. */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { dockerAvailable } from './support/docker-required.ts';
import { copyProject, REPO_ROOT, startEngine } from './support/engine-fixture.ts';

const run = promisify(execFile);
const hasDocker = await dockerAvailable();

test.runIf(hasDocker)('the exported examples/hello answers like the source project, zips and all', async () => {
  const source = copyProject(join(REPO_ROOT, 'examples/hello'));
  const out = join(mkdtempSync(join(tmpdir(), 'lambdadesk-export-')), 'out');
  await run(process.execPath, [join(REPO_ROOT, 'bin/lambdadesk.js'), 'export', source, '--out', out]);
  const engines = [await startEngine(source, { sandbox: 'docker' }), await startEngine(out, { sandbox: 'docker' })];
  try {
    for (const fn of ['HelloNode', 'HelloPython', 'HelloShell']) {
      const [before, after] = await Promise.all(engines.map((e) => e.invoker.invoke({ functionName: fn, payload: '{"name":"Round Trip"}' })));
      const strip = (payload: Buffer): unknown => ({ ...(JSON.parse(payload.toString()) as object), functionName: undefined });
      expect(after!.functionError).toBeUndefined();
      expect(strip(after!.payload)).toEqual(strip(before!.payload));
      expect(engines[1]!.model().functions.find((f) => f.logicalId === fn)!.codeDir).toContain(join(out, '.lambdadesk', 'unzipped'));
    }
  } finally {
    await Promise.all(engines.map((e) => e.stop()));
  }
});
