import { LambdaDeskError } from '../errors.ts';

export interface ScenarioProblem {
  /** Dotted field path, e.g. `arrivals.ratePerSecond` or `service.warm.samplesMs[3]`. */
  field: string;
  /** What is wrong and what is allowed, in plain words. */
  message: string;
}

/** A scenario (or a trace it names) that cannot be simulated as written. */
export class ScenarioError extends LambdaDeskError {
  readonly awsName = 'InvalidParameterValueException';
  readonly status = 400;
  constructor(
    readonly source: string,
    readonly problems: ScenarioProblem[],
    fix = 'Fix the fields named above; examples/scenarios/ holds complete scenarios to start from.',
  ) {
    super(ScenarioError.describe(source, problems), fix);
  }

  private static describe(source: string, problems: ScenarioProblem[]): string {
    const line = (p: ScenarioProblem) => (p.field ? `${p.field}: ${p.message}` : p.message);
    if (problems.length === 1 && problems[0]) return `${source}: ${line(problems[0])}`;
    return `${source}: ${problems.length} problems:\n${problems.map((p) => `  ${line(p)}`).join('\n')}`;
  }
}
