import type { FunctionConfig, ProjectModel } from '../contract.ts';

export interface FunctionMatch {
  function: FunctionConfig;
  /** `$LATEST`, a version or an alias, when the name carried one. */
  qualifier: string | undefined;
}

/**
 * Finds a function the ways the Lambda API accepts it: the name (`FunctionName`, or the logical id
 * that `sam local` also accepts), `name:qualifier`, a full ARN with or without a qualifier, and
 * the partial ARN `123456789012:function:name`. Region and account in an ARN are not checked:
 * locally they are whatever the client happened to be configured with.
 */
export function findFunction(model: ProjectModel, nameOrArn: string): FunctionMatch | undefined {
  const parts = nameOrArn.split(':');
  let name: string | undefined;
  let qualifier: string | undefined;
  if (parts[0] === 'arn') {
    // arn:partition:lambda:region:account:function:name[:qualifier]
    if (parts.length < 7 || parts.length > 8 || parts[2] !== 'lambda' || parts[5] !== 'function') return undefined;
    [name, qualifier] = [parts[6], parts[7]];
  } else if (parts.length >= 3 && /^\d{12}$/.test(parts[0] ?? '') && parts[1] === 'function') {
    if (parts.length > 4) return undefined;
    [name, qualifier] = [parts[2], parts[3]];
  } else {
    if (parts.length > 2) return undefined;
    [name, qualifier] = [parts[0], parts[1]];
  }
  if (!name || qualifier === '') return undefined;
  const found = model.functions.find((fn) => fn.functionName === name) ?? model.functions.find((fn) => fn.logicalId === name);
  return found ? { function: found, qualifier } : undefined;
}
