import { httpAuthorizerEventV1, httpAuthorizerEventV2, requestAuthorizerEvent, tokenAuthorizerEvent } from './authorizer-events.ts';
import type { RouteAuth } from './authorizer-config.ts';
import type { GatewayFailure } from './gateway-errors.ts';
import { header, queryPairs, type GatewayRequest } from './gateway-request.ts';
import type { HttpApiEvent, HttpAuthorizerContext } from './http-api-event.ts';
import { identityValue, identityValues } from './identity-sources.ts';
import { checkJwt } from './jwt-check.ts';
import type { AuthorizerDecision, LambdaAuthorizers } from './lambda-authorizer.ts';
import type { RestIdentity, RestProxyEvent } from './rest-event.ts';

export type AuthResult =
  | {
      kind: 'pass';
      /** REST (and payload 1.0) `requestContext.authorizer`. */
      restAuthorizer?: Record<string, unknown>;
      /** HTTP API / Function URL `requestContext.authorizer`. */
      httpAuthorizer?: HttpAuthorizerContext;
      /** REST `requestContext.identity` fields an IAM-signed call fills. */
      identity?: Partial<RestIdentity>;
    }
  | { kind: 'fail'; failure: GatewayFailure; reason?: string };

export interface AuthRequest {
  auth: RouteAuth;
  api: 'rest' | 'http' | 'function-url';
  apiKeyRequired: boolean;
  request: GatewayRequest;
  stageVariables: Record<string, string> | null;
  /** The integration's events, made on demand: an authorizer may want the other payload format. */
  restEvent: () => RestProxyEvent;
  httpEvent: () => HttpApiEvent;
  /** Method ARN (REST) or route ARN (HTTP APIs). */
  resourceArn: string;
  nowMs: number;
  accountId: string;
}

/** The access key of a SigV4-signed request (header or presigned query), if it is signed at all. */
export function signingAccessKey(request: GatewayRequest): string | undefined {
  const fromHeader = /Credential=([^/,\s]+)\//.exec(header(request, 'authorization') ?? '');
  if (fromHeader) return fromHeader[1];
  const credential = queryPairs(request.rawQuery).find(([key]) => key === 'X-Amz-Credential')?.[1];
  return credential?.split('/')[0] || undefined;
}

/**
 * AWS_IAM: the request must be SigV4-signed. The signature itself is not checked, as the local
 * endpoint accepts any credentials; the caller is taken to be the account's root.
 */
export function authorizeIam(request: GatewayRequest, api: AuthRequest['api'], accountId: string): AuthResult {
  const accessKey = signingAccessKey(request);
  if (!accessKey) return { kind: 'fail', failure: 'missing-signature', reason: 'AWS_IAM authorization needs a SigV4-signed request' };
  const userArn = `arn:aws:iam::${accountId}:root`;
  if (api === 'rest') return { kind: 'pass', identity: { accessKey, accountId, caller: accountId, user: accountId, userArn } };
  // AWS sends null for a caller outside an organization, though the type says string.
  const principalOrgId = null as unknown as string;
  return { kind: 'pass', httpAuthorizer: { iam: { accessKey, accountId, callerId: accountId, cognitoIdentity: null, principalOrgId, userArn, userId: accountId } } };
}

function fromDecision(decision: AuthorizerDecision, api: AuthRequest['api']): AuthResult {
  switch (decision.kind) {
    case 'deny':
      return { kind: 'fail', failure: 'denied' };
    case 'unauthorized':
      return { kind: 'fail', failure: 'unauthorized' };
    case 'failure':
      return { kind: 'fail', failure: 'authorizer-failure', reason: decision.reason };
    case 'allow':
      if (api === 'rest') return { kind: 'pass', restAuthorizer: { ...decision.context, principalId: decision.principalId, integrationLatency: decision.latencyMs } };
      return { kind: 'pass', httpAuthorizer: { lambda: decision.context } };
  }
}

/**
 * Decides whether a request may reach its function, in API Gateway's order: API key, then IAM
 * signature or authorizer. A missing identity source is a 401 without calling the authorizer.
 */
export async function authorize(req: AuthRequest, authorizers: LambdaAuthorizers): Promise<AuthResult> {
  if (req.apiKeyRequired && !header(req.request, 'x-api-key')) return { kind: 'fail', failure: 'forbidden', reason: 'the method requires an x-api-key header' };
  const { auth } = req;
  if (auth.kind === 'none') return { kind: 'pass' };
  if (auth.kind === 'iam') return authorizeIam(req.request, req.api, req.accountId);
  const { authorizer } = auth;
  const inputs = { request: req.request, stageVariables: req.stageVariables, requestContext: req.api === 'rest' ? req.restEvent().requestContext : req.httpEvent().requestContext };
  switch (authorizer.kind) {
    case 'jwt': {
      const outcome = checkJwt(identityValue(authorizer.identitySource, inputs), authorizer, auth.scopes, req.nowMs);
      if (outcome.kind === 'unauthorized') return { kind: 'fail', failure: 'unauthorized', reason: `authorizer ${authorizer.name}: ${outcome.reason}` };
      // A Cognito authorizer refuses missing scopes with 401; an HTTP API JWT authorizer with 403.
      if (outcome.kind === 'forbidden') return { kind: 'fail', failure: authorizer.api === 'rest' ? 'unauthorized' : 'forbidden', reason: `authorizer ${authorizer.name}: ${outcome.reason}` };
      if (authorizer.api === 'rest') return { kind: 'pass', restAuthorizer: { claims: outcome.claims } };
      return { kind: 'pass', httpAuthorizer: { jwt: { claims: outcome.claims, scopes: outcome.scopes } } };
    }
    case 'token': {
      const token = header(req.request, authorizer.header);
      if (!token) return { kind: 'fail', failure: 'unauthorized', reason: `authorizer ${authorizer.name}: no ${authorizer.header} header` };
      if (authorizer.validationExpression && !safeRegExp(authorizer.validationExpression)?.test(token)) {
        return { kind: 'fail', failure: 'unauthorized', reason: `authorizer ${authorizer.name}: the token does not match ValidationExpression ${authorizer.validationExpression}` };
      }
      const decision = await authorizers.decide(authorizer, { event: tokenAuthorizerEvent(req.resourceArn, token), cacheKey: token, resourceArn: req.resourceArn });
      return fromDecision(decision, req.api);
    }
    case 'request': {
      const values = identityValues(authorizer.identitySources, inputs);
      if (!values) return { kind: 'fail', failure: 'unauthorized', reason: `authorizer ${authorizer.name}: an identity source is missing (${authorizer.identitySources.map((s) => `${s.in} ${s.name}`).join(', ')})` };
      const event =
        authorizer.api === 'rest'
          ? requestAuthorizerEvent(req.restEvent(), req.resourceArn)
          : authorizer.payloadFormatVersion === '1.0'
            ? httpAuthorizerEventV1(req.restEvent(), req.resourceArn, values)
            : httpAuthorizerEventV2(req.httpEvent(), req.resourceArn, values);
      const cacheKey = authorizer.identitySources.length > 0 ? values.join('\n') : undefined;
      const decision = await authorizers.decide(authorizer, { event, cacheKey, resourceArn: req.resourceArn });
      return fromDecision(decision, req.api);
    }
  }
}

function safeRegExp(source: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${source})$`);
  } catch {
    return undefined;
  }
}
