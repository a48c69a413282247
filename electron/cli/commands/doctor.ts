import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { SUPPORTED_RUNTIMES } from '../../engine/contract.ts';
import { APP_ROOT } from '../../engine/create-engine.ts';
import { connectDocker } from '../../engine/sandbox/docker-connection.ts';
import { imageTag } from '../../engine/sandbox/image-builder.ts';
import { imageRecipe } from '../../engine/sandbox/image-recipe.ts';
import { hostNode, hostPython } from '../../engine/sandbox/host-interpreters.ts';
import { runtimeTraits } from '../../engine/sandbox/runtime-families.ts';
import { type CliCommand, writeLine } from '../cli-io.ts';
import { join } from 'node:path';

const run = promisify(execFile);

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

async function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** What works on this machine, what does not, and how to fix it. */
async function diagnose(): Promise<Check[]> {
  const checks: Check[] = [];
  // One image serves a whole runtime family; hashing its inputs once is enough.
  const tags = new Map<string, Promise<string>>();
  const { docker, status } = await connectDocker();
  checks.push(
    status.available
      ? { name: 'Docker engine', ok: true, detail: `${status.endpoint}, version ${status.version}` }
      : { name: 'Docker engine', ok: false, detail: status.error ?? 'not found', fix: 'Start Docker (Linux: sudo dockerd, or systemctl start docker; macOS/Windows: Docker Desktop), or set DOCKER_HOST. Without it, functions run as host processes (lower fidelity).' },
  );
  const node = hostNode();
  checks.push({ name: 'Node.js (runs nodejs*.x functions offline)', ok: true, detail: `${node.version} at ${node.executable}` });
  for (const runtime of SUPPORTED_RUNTIMES) {
    const traits = runtimeTraits(runtime);
    if (traits.family === 'python') {
      const python = await hostPython(traits.languageVersion!);
      checks.push(
        python
          ? { name: `${runtime} interpreter`, ok: python.version.startsWith(`${traits.languageVersion}.`), detail: `Python ${python.version} at ${python.executable}${python.boto3Dir ? ', boto3 available' : ', no boto3'}`, fix: python.version.startsWith(`${traits.languageVersion}.`) ? undefined : `Functions declaring ${runtime} will run on Python ${python.version} (a warning is shown). Install python${traits.languageVersion} for an exact match.` }
          : { name: `${runtime} interpreter`, ok: false, detail: 'no Python 3 found', fix: 'Install Python 3 (Debian: apt-get install python3 python3-boto3).' },
      );
    }
    if (docker) {
      let detail: string;
      let ok = true;
      try {
        await docker.getImage(traits.officialImage).inspect();
        detail = `AWS image ${traits.officialImage} present`;
      } catch {
        try {
          const recipe = await imageRecipe({ runtime, runtimesDir: join(APP_ROOT, 'runtimes'), sdkRootDir: APP_ROOT });
          if (!tags.has(recipe.name)) tags.set(recipe.name, Promise.resolve(imageTag(recipe)));
          const tag = await tags.get(recipe.name)!;
          const built = await docker.getImage(tag).inspect().then(() => true, () => false);
          detail = built ? `${tag} built (${recipe.interpreter})` : `${tag} will be built on first use (${recipe.interpreter})`;
          if (recipe.mismatchWarning) {
            ok = false;
            detail += ` — ${recipe.mismatchWarning}`;
          }
        } catch (err) {
          ok = false;
          detail = (err as Error).message;
        }
      }
      checks.push({ name: `${runtime} image`, ok, detail });
    }
  }
  for (const [port, what] of [[3001, 'AWS endpoint'], [3000, 'API Gateway emulation']] as const) {
    const free = await portFree(port, '127.0.0.1');
    checks.push({ name: `port ${port} (${what})`, ok: free, detail: free ? 'free' : 'in use', fix: free ? undefined : `Stop what uses it, or pass --port to lambdadesk serve.` });
  }
  // Debian's v2 lives at /usr/bin/aws; a pip-installed v1 often comes first on PATH.
  const clis: string[] = [];
  for (const aws of ['aws', '/usr/bin/aws', '/usr/local/bin/aws']) {
    const version = await run(aws, ['--version'], { timeout: 10_000 }).then((r) => `${r.stdout}${r.stderr}`.trim(), () => undefined);
    if (version && !clis.some((c) => c.endsWith(version))) clis.push(`${aws}: ${version}`);
  }
  const v2 = clis.find((c) => c.includes('aws-cli/2'));
  checks.push(
    v2
      ? { name: 'AWS CLI v2', ok: true, detail: clis.join('; ') }
      : { name: 'AWS CLI v2', ok: false, detail: clis.length ? clis.join('; ') : 'not found (optional)', fix: 'Install AWS CLI v2 to call LambdaDesk with `aws … --endpoint-url` (Debian: apt-get install awscli, which installs /usr/bin/aws).' },
  );
  return checks;
}

export const doctorCommand: CliCommand = {
  summary: 'Check Docker, runtime images, interpreters and ports, and say how to fix what is missing',
  usage: `Usage: lambdadesk doctor [--json]

Exits 0 when functions can run (in Docker or, failing that, as host processes).`,
  async run(args, io) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
    const checks = await diagnose();
    if (values.json) writeLine(io.stdout, JSON.stringify({ checks }, null, 2));
    else {
      for (const check of checks) {
        writeLine(io.stdout, `${check.ok ? '✓' : '✗'} ${check.name}: ${check.detail}`);
        if (!check.ok && check.fix) writeLine(io.stdout, `    fix: ${check.fix}`);
      }
    }
    return 0;
  },
};
