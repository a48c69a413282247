import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { RuntimeId } from '../contract.ts';
import { SandboxUnavailableError } from '../errors.ts';
import { hostNode, hostPython, sharedLibraries } from './host-interpreters.ts';
import { packageClosure } from './node-package-closure.ts';
import { runtimeTraits, type RuntimeFamily } from './runtime-families.ts';

const run = promisify(execFile);

/** One thing copied into the image: a host file or folder and where it goes. */
export interface RecipeEntry {
  src: string;
  dest: string;
  /** Skip these names anywhere below a copied folder (tests, caches). */
  exclude?: string[];
}

/**
 * Everything an offline-built runtime image is made of. It is data, so its content hash names
 * the image and a rebuild happens only when an input changed.
 */
export interface ImageRecipe {
  family: RuntimeFamily;
  /** Family and interpreter version: runtimes that resolve to the same interpreter share the image. */
  name: string;
  interpreter: string;
  mismatchWarning?: string;
  entries: RecipeEntry[];
  /** Symlinks to create: path inside the image → target. */
  links: Record<string, string>;
  env: Record<string, string>;
  entrypoint: string[];
}

export interface RecipeContext {
  runtime: RuntimeId;
  /** `runtimes/` of this checkout or of the installed app. */
  runtimesDir: string;
  /** Where the AWS SDK packages given to Node.js functions are installed (the app's root). */
  sdkRootDir: string;
}

const BUSYBOX = '/bin/busybox';

/** Every applet the host's busybox offers, linked into /bin: custom runtimes' shell scripts expect a userland. */
async function busyboxApplets(): Promise<string[]> {
  try {
    const { stdout } = await run(BUSYBOX, ['--list'], { timeout: 10_000 });
    return stdout.split('\n').filter((n) => /^[\w.[-]+$/.test(n) && n !== 'busybox');
  } catch {
    throw new SandboxUnavailableError('busybox is not installed, so runtime images cannot get a shell.', 'Install it: apt-get install busybox-static (Debian/Ubuntu), or apk add busybox-static.');
  }
}

interface RuntimeImageSettings {
  /** AWS SDK packages the Node.js image provides to function code, as AWS's images do. */
  sdkPackages?: string[];
}

function readSettings(runtimesDir: string, family: RuntimeFamily): RuntimeImageSettings {
  try {
    return JSON.parse(readFileSync(join(runtimesDir, family, 'image.json'), 'utf8')) as RuntimeImageSettings;
  } catch {
    return {};
  }
}

function runtimeClientEntries(runtimesDir: string, family: RuntimeFamily): RecipeEntry[] {
  const dir = join(runtimesDir, family);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => !/^(README\.md|image\.json)$/.test(n))
    .map((n) => ({ src: join(dir, n), dest: `/var/runtime/${n}`, exclude: ['__pycache__', 'node_modules'] }));
}

export async function imageRecipe(ctx: RecipeContext): Promise<ImageRecipe> {
  const traits = runtimeTraits(ctx.runtime);
  const settings = readSettings(ctx.runtimesDir, traits.family);
  const base: RecipeEntry[] = [{ src: BUSYBOX, dest: '/bin/busybox' }];
  const links: Record<string, string> = Object.fromEntries((await busyboxApplets()).map((n) => [`/bin/${n}`, 'busybox']));
  links['/usr/bin/env'] = '/bin/busybox'; // for `#!/usr/bin/env` shebangs
  const commonEnv = {
    PATH: '/var/lang/bin:/usr/local/bin:/usr/bin:/bin:/opt/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    LAMBDA_TASK_ROOT: '/var/task',
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    LD_LIBRARY_PATH: '/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib',
  };

  if (traits.family === 'nodejs') {
    const node = hostNode();
    const libs = await sharedLibraries([node.executable]);
    const sdk = packageClosure(ctx.sdkRootDir, settings.sdkPackages ?? []).map((rel) => ({
      src: join(ctx.sdkRootDir, 'node_modules', rel),
      dest: `/var/runtime/node_modules/${rel}`,
    }));
    const major = node.version.split('.')[0];
    return {
      family: 'nodejs',
      name: `nodejs${node.version}`,
      interpreter: `node ${node.version}`,
      mismatchWarning:
        major === traits.languageVersion
          ? undefined
          : `${ctx.runtime} declares Node.js ${traits.languageVersion}, but this machine's Node.js is ${node.version}; functions run on ${node.version}. Install Node.js ${traits.languageVersion} and start LambdaDesk with it, or load AWS's image ${traits.officialImage} into Docker.`,
      entries: [...base, { src: node.executable, dest: '/var/lang/bin/node' }, ...libs.map((l) => ({ src: l, dest: l })), ...runtimeClientEntries(ctx.runtimesDir, 'nodejs'), ...sdk],
      links,
      env: {
        ...commonEnv,
        NODE_PATH: '/opt/nodejs/node20/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task',
      },
      entrypoint: ['/var/lang/bin/node', '/var/runtime/bootstrap'],
    };
  }

  if (traits.family === 'python') {
    const wanted = traits.languageVersion!;
    const python = await hostPython(wanted);
    if (!python) {
      throw new SandboxUnavailableError(
        `${ctx.runtime}: no Python 3 interpreter was found on this machine to build the runtime image from.`,
        `Install Python ${wanted} (Debian: apt-get install python3 python3-boto3), or load AWS's image ${traits.officialImage} into Docker.`,
      );
    }
    const dynload = join(python.platstdlib, 'lib-dynload');
    let extensions: string[] = [];
    try {
      extensions = readdirSync(dynload).filter((n) => n.endsWith('.so')).map((n) => join(dynload, n));
    } catch {
      // Statically linked builds have no lib-dynload.
    }
    const libs = await sharedLibraries([python.executable, ...extensions]);
    const botoPackages = ['boto3', 'botocore', 's3transfer', 'jmespath', 'dateutil', 'urllib3', 'six.py'];
    const boto = python.boto3Dir ? botoPackages.map((p) => ({ src: join(python.boto3Dir!, p), dest: `/var/runtime/${p}`, exclude: ['__pycache__'] })) : [];
    const minor = python.version.split('.').slice(0, 2).join('.');
    const warnings: string[] = [];
    if (minor !== wanted) warnings.push(`${ctx.runtime} declares Python ${wanted}, but the closest Python on this machine is ${python.version}; functions run on ${python.version}. Install python${wanted}, or load AWS's image ${traits.officialImage} into Docker.`);
    if (!python.boto3Dir) warnings.push(`boto3 is not installed for ${python.executable}, so functions cannot import it (Debian: apt-get install python3-boto3).`);
    const entries: RecipeEntry[] = [
      ...base,
      { src: python.executable, dest: python.executable },
      { src: python.stdlib, dest: python.stdlib, exclude: ['test', 'tests', 'idlelib', 'tkinter', 'turtledemo', 'ensurepip', '__pycache__', 'site-packages', 'dist-packages'] },
      ...libs.map((l) => ({ src: l, dest: l })),
      ...runtimeClientEntries(ctx.runtimesDir, 'python'),
      ...boto,
      ...(python.debugpyModules ?? []).map((m) => ({ src: join(python.debugpyDir!, m), dest: `/var/runtime/${m}`, exclude: ['__pycache__'] })),
    ];
    if (python.platstdlib !== python.stdlib) entries.push({ src: python.platstdlib, dest: python.platstdlib, exclude: ['test', '__pycache__'] });
    return {
      family: 'python',
      name: `python${python.version}`,
      interpreter: `python ${python.version}`,
      mismatchWarning: warnings.length ? warnings.join(' ') : undefined,
      entries,
      links: { ...links, '/var/lang/bin/python3': python.executable, '/var/lang/bin/python': python.executable },
      env: { ...commonEnv, PYTHONPATH: '/var/runtime', PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
      entrypoint: ['/var/lang/bin/python3', '/var/runtime/bootstrap'],
    };
  }

  // Custom runtimes bring their own `bootstrap`; give them a shell and the C libraries that
  // dynamically linked binaries expect, as Amazon Linux would.
  const libs = await sharedLibraries([hostNode().executable]);
  return {
    family: 'provided',
    name: 'provided',
    interpreter: 'custom runtime (bootstrap)',
    entries: [...base, ...libs.map((l) => ({ src: l, dest: l }))],
    links,
    env: commonEnv,
    entrypoint: ['/bin/sh', '-c', 'for b in /var/task/bootstrap /opt/bootstrap; do if [ -x "$b" ]; then exec "$b"; fi; done; echo "Couldn\'t find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]" >&2; exit 127'],
  };
}
