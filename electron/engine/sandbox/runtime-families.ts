import type { RuntimeId } from '../contract.ts';
import { SUPPORTED_RUNTIMES } from '../contract.ts';

export type RuntimeFamily = 'nodejs' | 'python' | 'provided';

export interface RuntimeTraits {
  family: RuntimeFamily;
  /** The interpreter version the runtime promises, e.g. `20` or `3.12`; none for custom runtimes. */
  languageVersion?: string;
  /** `AWS_EXECUTION_ENV`; AWS leaves it unset for custom runtimes. */
  executionEnv?: string;
  /** Name of AWS's own base image, used when it is already present locally. */
  officialImage: string;
}

export function isSupportedRuntime(runtime: string): runtime is RuntimeId {
  return (SUPPORTED_RUNTIMES as readonly string[]).includes(runtime);
}

export function runtimeTraits(runtime: RuntimeId): RuntimeTraits {
  const node = /^nodejs(\d+)\.x$/.exec(runtime);
  if (node) {
    return { family: 'nodejs', languageVersion: node[1], executionEnv: `AWS_Lambda_${runtime}`, officialImage: `public.ecr.aws/lambda/nodejs:${node[1]}` };
  }
  const python = /^python(\d+\.\d+)$/.exec(runtime);
  if (python) {
    return { family: 'python', languageVersion: python[1], executionEnv: `AWS_Lambda_${runtime}`, officialImage: `public.ecr.aws/lambda/python:${python[1]}` };
  }
  const provided = /^provided\.(al2023|al2)$/.exec(runtime);
  return { family: 'provided', officialImage: `public.ecr.aws/lambda/provided:${provided?.[1] ?? 'al2023'}` };
}
