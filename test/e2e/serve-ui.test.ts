import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { main } from '../../electron/cli/main.ts';
import { copyProject, REPO_ROOT } from '../integration/support/engine-fixture.ts';

test('`lambdadesk serve DIR --ui` prints a loopback URL with a token that opens the UI and the API', async () => {
  const project = copyProject(join(REPO_ROOT, 'examples/hello'));
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  let stop!: (signal: string) => void;
  const io = { stdout: new PassThrough(), stderr, stdin: new PassThrough(), env: process.env, cwd: REPO_ROOT, stopSignal: new Promise<string>((resolve) => (stop = resolve)) };
  const exit = main(['serve', project, '--ui', '--sandbox', 'process', '--port', '0', '--api-port', '0'], io);
  let url: URL | undefined;
  for (let i = 0; i < 300 && !url; i++) {
    const match = /UI: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(text);
    if (match) url = new URL(match[1]!);
    else await new Promise((r) => setTimeout(r, 100));
  }
  try {
    expect(url, text).toBeDefined();
    const token = url!.searchParams.get('token')!;
    const page = await fetch(new URL('/', url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');
    const info = await fetch(new URL('/api/app:info', url), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{}' });
    const reply = (await info.json()) as { result: { mode: string; project: { status: string } } };
    expect(reply.result.mode).toBe('browser');
    expect(reply.result.project.status).toBe('open');
    const refused = await fetch(new URL('/api/app:info', url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(401);
  } finally {
    stop('SIGTERM');
    expect(await exit, text).toBe(0);
  }
});
