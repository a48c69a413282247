/**
 * Environments over time, in real Docker: keep-alive, hot reload, and cleanup of containers
 * after a normal stop and after `kill -9`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import Docker from 'dockerode';
import { afterEach, describe, expect, test } from 'vitest';
import { ManualClock } from '../../electron/engine/clock.ts';
import { LABEL_ROOT } from '../../electron/engine/sandbox/labels.ts';
import { lambdaClient } from './support/aws-clients.ts';
import { dockerAvailable } from './support/docker-required.ts';
import { copyProject, fixture, REPO_ROOT, startEngine } from './support/engine-fixture.ts';

const hasDocker = await dockerAvailable();
const docker = new Docker();
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function containersOf(pid: number): Promise<number> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${LABEL_ROOT}.owner-pid=${pid}`] } });
  return list.length;
}

/** Starts `lambdadesk serve` as a real process and waits until it prints its endpoint. */
async function serve(dir: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/lambdadesk.js'), 'serve', dir, '--port', '0', '--sandbox', 'docker'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (c: Buffer) => {
      output += c.toString();
      const match = /AWS endpoint: (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
  return { child, url, output: () => output };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

describe.runIf(hasDocker)('sandbox lifecycle in Docker', () => {
  test('keep-alive: warm within it, cold again after it', async () => {
    const clock = new ManualClock(Date.now());
    const engine = await startEngine(fixture('limits'), { sandbox: 'docker', clock, keepAliveMs: 60_000 });
    cleanups.push(() => engine.stop());
    const first = await engine.invoker.invoke({ functionName: 'Echo' });
    const second = await engine.invoker.invoke({ functionName: 'Echo' });
    expect([first.record.cold, second.record.cold]).toEqual([true, false]);
    expect(second.record.sandboxId).toBe(first.record.sandboxId);
    await clock.advance(61_000); // past the keep-alive
    const third = await engine.invoker.invoke({ functionName: 'Echo' });
    expect(third.record.cold).toBe(true);
    expect(third.record.sandboxId).not.toBe(first.record.sandboxId);
  });

  test('hot reload: after a code change the next invoke runs the new code, without a restart', async () => {
    const dir = copyProject(fixture('limits'));
    const engine = await startEngine(dir, { sandbox: 'docker', watch: true });
    cleanups.push(() => engine.stop());
    const before = JSON.parse((await engine.invoker.invoke({ functionName: 'Echo' })).payload.toString()) as { greeting: string };
    expect(before.greeting).toBe('hello');
    const file = join(dir, 'src/echo.js');
    writeFileSync(file, readFileSync(file, 'utf8').replace("greeting: process.env.GREETING ?? null", "greeting: 'reloaded'"));
    let greeting = before.greeting;
    for (let attempt = 0; attempt < 50 && greeting !== 'reloaded'; attempt++) {
      await new Promise((r) => setTimeout(r, 100));
      greeting = (JSON.parse((await engine.invoker.invoke({ functionName: 'Echo' })).payload.toString()) as { greeting: string }).greeting;
    }
    expect(greeting).toBe('reloaded');
  });

  test('template changes apply too: a new environment variable reaches the next invoke', async () => {
    const dir = copyProject(fixture('limits'));
    const engine = await startEngine(dir, { sandbox: 'docker', watch: true });
    cleanups.push(() => engine.stop());
    await engine.invoker.invoke({ functionName: 'Echo' });
    const template = join(dir, 'template.yaml');
    writeFileSync(template, readFileSync(template, 'utf8').replace('GREETING: hello', 'GREETING: bonjour'));
    let greeting = 'hello';
    for (let attempt = 0; attempt < 50 && greeting !== 'bonjour'; attempt++) {
      await new Promise((r) => setTimeout(r, 100));
      greeting = (JSON.parse((await engine.invoker.invoke({ functionName: 'Echo' })).payload.toString()) as { greeting: string }).greeting;
    }
    expect(greeting).toBe('bonjour');
  });

  test('no container is left after serve stops on SIGTERM', async () => {
    const { child, url } = await serve(fixture('limits'));
    cleanups.push(async () => child.exitCode === null && child.kill('SIGKILL'));
    const out = await lambdaClient(url).send(new InvokeCommand({ FunctionName: 'Echo' }));
    expect(out.StatusCode).toBe(200);
    expect(await containersOf(child.pid!)).toBe(1);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(await containersOf(child.pid!)).toBe(0);
  });

  test('after kill -9, the next start removes what the dead process left', async () => {
    const first = await serve(fixture('limits'));
    await lambdaClient(first.url).send(new InvokeCommand({ FunctionName: 'Echo' }));
    expect(await containersOf(first.child.pid!)).toBe(1);
    first.child.kill('SIGKILL');
    await exited(first.child);
    expect(await containersOf(first.child.pid!)).toBe(1); // nothing could clean up

    const second = await serve(fixture('limits'));
    cleanups.push(async () => {
      second.child.kill('SIGTERM');
      await exited(second.child);
    });
    expect(await containersOf(first.child.pid!)).toBe(0);
  });
});

