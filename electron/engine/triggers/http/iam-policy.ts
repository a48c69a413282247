import { isPlainObject } from './response-fields.ts';

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** IAM's wildcards: `*` any run of characters, `?` one character; case-sensitive as for ARNs. */
function wildcardMatch(pattern: string, text: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(text);
}

function actionMatches(action: unknown): boolean {
  // Action names are case-insensitive: `execute-api:Invoke`, `execute-api:*` and `*` all cover the call.
  return typeof action === 'string' && wildcardMatch(action.toLowerCase(), 'execute-api:invoke');
}

/**
 * Evaluates an authorizer's policy document for one `execute-api:Invoke` on a method ARN as IAM
 * does: an explicit Deny wins, then any Allow, and nothing at all is a deny. A document that is
 * not a policy is reported as such (API Gateway answers 500).
 */
export function evaluatePolicy(document: unknown, resourceArn: string): 'allow' | 'deny' | { problem: string } {
  if (!isPlainObject(document)) return { problem: 'policyDocument is missing or not an object' };
  const statements = asList(document.Statement);
  if (statements.length === 0) return { problem: 'policyDocument has no Statement' };
  let allowed = false;
  for (const statement of statements) {
    if (!isPlainObject(statement)) return { problem: 'a Statement is not an object' };
    const effect = statement.Effect;
    if (effect !== 'Allow' && effect !== 'Deny') return { problem: `Effect ${JSON.stringify(effect)} is not Allow or Deny` };
    if (!asList(statement.Action).some(actionMatches)) continue;
    if (!asList(statement.Resource).some((resource) => typeof resource === 'string' && wildcardMatch(resource, resourceArn))) continue;
    if (effect === 'Deny') return 'deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'deny';
}
