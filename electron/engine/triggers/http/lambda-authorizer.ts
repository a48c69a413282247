import type { Clock } from '../../clock.ts';
import type { Invoker } from '../../invoke/invoker.ts';
import type { RequestAuthorizer, TokenAuthorizer } from './authorizer-config.ts';
import { evaluatePolicy } from './iam-policy.ts';
import { isPlainObject, parseOutput } from './response-fields.ts';

export type AuthorizerDecision =
  | { kind: 'allow'; context: Record<string, unknown>; principalId?: string; latencyMs: number }
  | { kind: 'deny' }
  | { kind: 'unauthorized' }
  | { kind: 'failure'; reason: string };

export interface AuthorizerCall {
  event: unknown;
  /** The identity values; undefined turns caching off for this call. */
  cacheKey?: string;
  /** The method (REST) or route (HTTP) ARN the policy is evaluated for. */
  resourceArn: string;
}

/**
 * Runs Lambda authorizers and reads their answers as API Gateway does: an IAM policy (REST, and
 * HTTP APIs without simple responses) or `{ isAuthorized, context }`. A thrown `Unauthorized`
 * is a 401. Answers are cached per identity for the authorizer's TTL, and a cached policy is
 * evaluated again for each request's ARN, so a policy naming one method denies the others.
 */
export class LambdaAuthorizers {
  private readonly cache = new Map<string, { output: Record<string, unknown>; expiresAt: number }>();

  constructor(private readonly deps: { invoker: Invoker; clock: Clock }) {}

  clear(): void {
    this.cache.clear();
  }

  async decide(config: TokenAuthorizer | RequestAuthorizer, call: AuthorizerCall): Promise<AuthorizerDecision> {
    const key = call.cacheKey !== undefined && config.ttlSeconds > 0 ? `${config.name}\n${call.cacheKey}` : undefined;
    const now = this.deps.clock.now();
    const cached = key ? this.cache.get(key) : undefined;
    if (cached && cached.expiresAt > now) return this.interpret(config, cached.output, call.resourceArn, 0);
    const started = now;
    let result;
    try {
      result = await this.deps.invoker.invoke({ functionName: config.functionArn, payload: JSON.stringify(call.event), trigger: `http:authorizer ${config.name}` });
    } catch (err) {
      return { kind: 'failure', reason: `authorizer ${config.name} could not be invoked: ${(err as Error).message}` };
    }
    const latencyMs = Math.round(this.deps.clock.now() - started);
    if (result.functionError) {
      const body = parseOutput(result.payload);
      const message = 'value' in body && isPlainObject(body.value) ? body.value.errorMessage : undefined;
      if (message === 'Unauthorized') return { kind: 'unauthorized' };
      return { kind: 'failure', reason: `authorizer ${config.name} failed: ${result.payload.toString('utf8').slice(0, 200)}` };
    }
    const parsed = parseOutput(result.payload);
    if ('problem' in parsed || !isPlainObject(parsed.value)) return { kind: 'failure', reason: `authorizer ${config.name} answered ${result.payload.toString('utf8').slice(0, 200)}, not an object` };
    const decision = this.interpret(config, parsed.value, call.resourceArn, latencyMs);
    if (key && decision.kind !== 'failure') this.cache.set(key, { output: parsed.value, expiresAt: now + config.ttlSeconds * 1000 });
    return decision;
  }

  private interpret(config: TokenAuthorizer | RequestAuthorizer, output: Record<string, unknown>, resourceArn: string, latencyMs: number): AuthorizerDecision {
    const http = config.kind === 'request' && config.api === 'http';
    const context = output.context ?? {};
    if (!isPlainObject(context)) return { kind: 'failure', reason: `authorizer ${config.name}: context must be an object` };
    if (config.kind === 'request' && config.simpleResponses) {
      if (typeof output.isAuthorized !== 'boolean') return { kind: 'failure', reason: `authorizer ${config.name}: a simple response needs isAuthorized true or false` };
      return output.isAuthorized ? { kind: 'allow', context, latencyMs } : { kind: 'deny' };
    }
    if (typeof output.principalId !== 'string' && typeof output.principalId !== 'number') {
      return { kind: 'failure', reason: `authorizer ${config.name}: the policy response has no principalId` };
    }
    const verdict = evaluatePolicy(output.policyDocument, resourceArn);
    if (typeof verdict === 'object') return { kind: 'failure', reason: `authorizer ${config.name}: ${verdict.problem}` };
    if (verdict === 'deny') return { kind: 'deny' };
    if (http) return { kind: 'allow', context, principalId: String(output.principalId), latencyMs };
    // REST passes context values on as text, and refuses nested values.
    const flat: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(context)) {
      if (typeof value === 'object' && value !== null) return { kind: 'failure', reason: `authorizer ${config.name}: context.${name} is ${Array.isArray(value) ? 'a list' : 'an object'}; REST APIs take only text, numbers and booleans` };
      flat[name] = value === null ? null : String(value);
    }
    return { kind: 'allow', context: flat, principalId: String(output.principalId), latencyMs };
  }
}
