import type { SourceLocation } from '../contract.ts';
import { InvalidParameterValueError } from '../errors.ts';

/** The function or layer a package is built for, as errors name it. */
export interface PackageTarget {
  kind: 'function' | 'layer';
  logicalId: string;
  location: SourceLocation;
}

export function describeTarget(target: PackageTarget): string {
  return `${target.location.file}:${target.location.line} Resources.${target.logicalId}`;
}

/** A package cannot be built from what is on disk: missing dependencies, a bundler error, … */
export class PackageBuildError extends InvalidParameterValueError {
  constructor(
    readonly target: PackageTarget,
    problem: string,
    fix?: string,
  ) {
    super(`${describeTarget(target)}: ${problem}`, fix);
  }
}

export interface LimitProblem {
  target: PackageTarget;
  limit: 'zipped-size' | 'unzipped-size' | 'layer-count' | 'environment-size';
  /** What was measured and what AWS allows, in bytes or a count. */
  actual: number;
  allowed: number;
  message: string;
  /** The biggest contributors, largest first: files (`[layer X] path` for a layer's) or variables. */
  largest: { name: string; bytes: number }[];
}

/** One or more packages would be refused by AWS; lists every problem, not just the first. */
export class ExportLimitError extends InvalidParameterValueError {
  constructor(readonly problems: LimitProblem[]) {
    super(
      problems.map(formatProblem).join('\n'),
      'Nothing was written. Leave out what the function does not need, move shared code into a layer, or load big data from S3 at run time.',
    );
  }
}

function formatProblem(problem: LimitProblem): string {
  const head = `${describeTarget(problem.target)}: ${problem.message}`;
  if (problem.largest.length === 0) return head;
  const what = problem.limit === 'environment-size' ? 'Largest variables' : 'Largest files';
  const width = Math.max(...problem.largest.map((item) => formatBytes(item.bytes).length));
  return `${head}\n  ${what}:\n${problem.largest.map((item) => `    ${formatBytes(item.bytes).padStart(width)}  ${item.name}`).join('\n')}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The output folder cannot be used or replaced safely. */
export class OutputFolderError extends InvalidParameterValueError {}
