import type { FunctionConfig, ProjectModel } from '../contract.ts';
import { InvalidParameterValueError, ResourceNotFoundError } from '../errors.ts';

export interface InvokeTarget {
  fn: FunctionConfig;
  /** As invoked: `$LATEST`, a version or an alias. */
  qualifier: string;
  /** `X-Amz-Executed-Version`: `$LATEST`, or the version an alias points at. */
  executedVersion: string;
  /** The ARN as invoked, with its qualifier: `Lambda-Runtime-Invoked-Function-Arn`. */
  invokedArn: string;
}

/** A locally published version: `AutoPublishAlias` creates version 1 and the alias pointing at it. */
const PUBLISHED_VERSION = '1';

/**
 * Parses what clients put in `FunctionName` (name, `name:qualifier`, full or partial ARN) and
 * the `Qualifier` parameter, and finds the function, as the Invoke API does.
 */
export function resolveTarget(model: ProjectModel, functionName: string, qualifierParam: string | undefined, ctx: { region: string; accountId: string }): InvokeTarget {
  const parsed = parseFunctionName(functionName);
  if (!parsed) throw new InvalidParameterValueError(`1 validation error detected: Value '${functionName}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`);
  if (parsed.qualifier && qualifierParam && parsed.qualifier !== qualifierParam) {
    throw new InvalidParameterValueError('The derived qualifier from the function name does not match the specified qualifier.');
  }
  const qualifier = qualifierParam ?? parsed.qualifier;
  const arnBase = (name: string): string => `arn:aws:lambda:${parsed.region ?? ctx.region}:${parsed.accountId ?? ctx.accountId}:function:${name}`;
  const fn = model.functions.find((f) => f.functionName === parsed.name) ?? model.functions.find((f) => f.logicalId === parsed.name);
  const notFound = (): ResourceNotFoundError => new ResourceNotFoundError(`Function not found: ${arnBase(parsed.name)}${qualifier ? `:${qualifier}` : ''}`);
  if (!fn) throw notFound();
  if ((parsed.accountId && parsed.accountId !== ctx.accountId) || (parsed.region && parsed.region !== ctx.region)) throw notFound();
  let executedVersion = '$LATEST';
  if (qualifier && qualifier !== '$LATEST') {
    const published = fn.autoPublishAlias !== undefined;
    if (published && (qualifier === fn.autoPublishAlias || qualifier === PUBLISHED_VERSION)) executedVersion = PUBLISHED_VERSION;
    else throw notFound();
  }
  return { fn, qualifier: qualifier ?? '$LATEST', executedVersion, invokedArn: `${arnBase(fn.functionName)}${qualifier ? `:${qualifier}` : ''}` };
}

export function parseFunctionName(input: string): { name: string; qualifier?: string; region?: string; accountId?: string } | undefined {
  const match = /^(?:arn:aws[a-zA-Z-]*:lambda:([a-z]{2}(?:-gov)?-[a-z]+-\d):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9\-_.]+)(?::(\$LATEST|[a-zA-Z0-9\-_]+))?$/.exec(input);
  if (!match || input.length > 256) return undefined;
  const [, region, accountId, name, qualifier] = match;
  // `123456789012:function:name` needs the `function:` part; a bare `name:qualifier` must not read as an account.
  return { name: name!, qualifier, region, accountId };
}
