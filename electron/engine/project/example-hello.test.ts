import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, onTestFinished, test } from 'vitest';
import type { FunctionConfig } from '../contract.ts';
import { loadProject } from './load-project.ts';

/**
 * examples/hello is what a new user runs first, so its three functions are checked here as the
 * loader sees them, by running each handler directly (no sandbox): Node.js with its layer on
 * NODE_PATH as Lambda sets it, Python, and the shell bootstrap against a small Runtime API.
 */
const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const example = path.join(repoRoot, 'examples/hello');
const BUSYBOX = '/bin/busybox';

async function exampleFunction(logicalId: string): Promise<FunctionConfig> {
  const { model } = await loadProject(example);
  const fn = model.functions.find((candidate) => candidate.logicalId === logicalId);
  if (!fn) throw new Error(`examples/hello has no ${logicalId}`);
  return fn;
}

async function hasCommand(command: string, args: string[]): Promise<boolean> {
  return run(command, args).then(
    () => true,
    () => false,
  );
}

describe('examples/hello functions', () => {
  test('the Node.js handler greets by name through the layer module', async () => {
    const fn = await exampleFunction('HelloNode');
    const [layer] = fn.layers;
    const script = `
      const { handler } = require(process.argv[1]);
      handler({ name: 'Ada' }, { functionName: 'hello-node' }).then((out) => console.log(JSON.stringify(out)));`;
    const { stdout } = await run(process.execPath, ['-e', script, path.join(fn.codeDir, 'index.js')], {
      env: { ...process.env, ...fn.environment, NODE_PATH: path.join(layer?.contentDir ?? '', 'nodejs/node_modules') },
    });
    const [logLine, result] = stdout.trim().split('\n');
    expect(logLine).toBe('node: greeting Ada');
    expect(JSON.parse(result ?? '')).toMatchObject({ message: 'Hello, Ada!', functionName: 'hello-node' });
  });

  test('the Python handler greets by name from an HTTP API event', async (context) => {
    if (!(await hasCommand('python3', ['--version']))) context.skip('python3 is not installed');
    const fn = await exampleFunction('HelloPython');
    const script = `
import json, sys
sys.path.insert(0, sys.argv[1])
import app
class Context: function_name = 'HelloPython'
print(json.dumps(app.handler({'queryStringParameters': {'name': 'Grace'}}, Context())))`;
    const { stdout } = await run('python3', ['-c', script, fn.codeDir], { env: { ...process.env, ...fn.environment, PYTHONDONTWRITEBYTECODE: '1' } });
    const [logLine, result] = stdout.trim().split('\n');
    expect(logLine).toBe('python: greeting Grace');
    expect(JSON.parse(result ?? '')).toMatchObject({ message: 'Hello, Grace!', functionName: 'HelloPython' });
  });

  test.skipIf(!existsSync(BUSYBOX))('the shell bootstrap serves the Runtime API loop with busybox alone', async () => {
    const fn = await exampleFunction('HelloShell');
    // A PATH of busybox applets only, as in a minimal image.
    const bin = await mkdtemp(path.join(os.tmpdir(), 'lambdadesk-busybox-'));
    onTestFinished(() => rm(bin, { recursive: true, force: true }));
    for (const applet of ['sh', 'wget', 'sed', 'tr', 'grep', 'head', 'cat', 'mktemp', 'rm', 'sleep', 'printf', 'echo']) {
      await symlink(BUSYBOX, path.join(bin, applet));
    }

    const events = [JSON.stringify({ name: 'Ken' }), JSON.stringify({ queryStringParameters: { name: 'Dennis "dmr"' } }), '{}'];
    const posts: Array<{ url: string; contentType: string | undefined; body: string }> = [];
    let served = 0;
    let allAnswered: () => void = () => {};
    const answered = new Promise<void>((resolve) => (allAnswered = resolve));
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (req.method === 'GET' && req.url === '/2018-06-01/runtime/invocation/next') {
          const event = events[served];
          if (event === undefined) return; // Long poll: the bootstrap waits here until it is stopped.
          served += 1;
          res.writeHead(200, {
            'Content-Type': 'application/json',
            'Lambda-Runtime-Aws-Request-Id': `request-${served}`,
            'Lambda-Runtime-Deadline-Ms': String(Date.now() + 10_000),
            'Lambda-Runtime-Invoked-Function-Arn': 'arn:aws:lambda:us-east-1:123456789012:function:HelloShell',
          });
          res.end(event);
          return;
        }
        posts.push({ url: req.url ?? '', contentType: req.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(202, { 'Content-Type': 'application/json' });
        res.end('{"status":"OK"}\n');
        if (posts.length === events.length) allAnswered();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => {
      server.closeAllConnections();
      server.close();
    });

    const { port } = server.address() as AddressInfo;
    const child = spawn(path.join(bin, 'sh'), [path.join(fn.codeDir, 'bootstrap')], {
      env: { PATH: bin, AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`, AWS_LAMBDA_FUNCTION_NAME: fn.functionName, ...fn.environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onTestFinished(() => {
      child.kill('SIGKILL');
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<never>((_, reject) => child.on('exit', (code) => reject(new Error(`bootstrap exited (${code}): ${output}`))));
    await Promise.race([answered, exited]);

    expect(posts.map((post) => [post.url, post.contentType])).toEqual([
      ['/2018-06-01/runtime/invocation/request-1/response', 'application/json'],
      ['/2018-06-01/runtime/invocation/request-2/response', 'application/json'],
      ['/2018-06-01/runtime/invocation/request-3/response', 'application/json'],
    ]);
    expect(posts.map((post) => (JSON.parse(post.body) as { message: string }).message)).toEqual([
      'Hello, Ken!',
      'Hello, Dennis "dmr"!',
      'Hello, world!',
    ]);
    expect(JSON.parse(posts[0]?.body ?? '')).toMatchObject({ functionName: 'HelloShell' });
    expect(output).toContain('shell: greeting Ken');
  });
});
