import type { JwtAuthorizer } from './authorizer-config.ts';
import { isPlainObject } from './response-fields.ts';

export type JwtOutcome =
  | { kind: 'allow'; claims: Record<string, string>; scopes: string[] | null }
  | { kind: 'unauthorized'; reason: string }
  | { kind: 'forbidden'; reason: string };

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  if (!part || !/^[A-Za-z0-9_-]+={0,2}$/.test(part)) return undefined;
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** API Gateway passes every claim as text; lists read like `[a b]`. */
function claimText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(claimText).join(' ')}]`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

function tokenScopes(claims: Record<string, unknown>): string[] {
  const raw = claims.scope ?? claims.scp;
  if (Array.isArray(raw)) return raw.map(String);
  return typeof raw === 'string' ? raw.split(' ').filter((scope) => scope !== '') : [];
}

/**
 * Checks a JWT the way an HTTP API JWT authorizer (or a REST Cognito authorizer) does: issuer,
 * audience (or `client_id`), `exp`, `nbf` and `iat` against the clock, and the route's scopes.
 * The signature is not verified: the issuer's keys (JWKS) are on the internet, and offline
 * there is nothing to fetch them from; this is the one check LambdaDesk cannot make.
 */
export function checkJwt(authorization: string | undefined, config: JwtAuthorizer, routeScopes: readonly string[], nowMs: number): JwtOutcome {
  if (!authorization) return { kind: 'unauthorized', reason: `no token in ${config.identitySource.name}` };
  const token = authorization.replace(/^Bearer\s+/i, '').trim();
  const [headerPart, payloadPart, signature, extra] = token.split('.');
  const head = decodePart(headerPart);
  const claims = decodePart(payloadPart);
  if (!head || !claims || signature === undefined || extra !== undefined) return { kind: 'unauthorized', reason: 'the token is not a JWT (header.payload.signature, base64url JSON)' };
  if (typeof head.alg !== 'string' || head.alg.toLowerCase() === 'none') return { kind: 'unauthorized', reason: 'the token is unsigned (alg none)' };
  const nowSeconds = nowMs / 1000;
  if (typeof claims.exp !== 'number') return { kind: 'unauthorized', reason: 'the token has no exp' };
  if (claims.exp <= nowSeconds) return { kind: 'unauthorized', reason: `the token expired at ${new Date(claims.exp * 1000).toISOString()}` };
  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds) return { kind: 'unauthorized', reason: 'the token is not valid yet (nbf)' };
  if (typeof claims.iat === 'number' && claims.iat > nowSeconds + 300) return { kind: 'unauthorized', reason: 'the token was issued in the future (iat)' };
  if (config.issuers.length > 0 && !config.issuers.includes(String(claims.iss))) return { kind: 'unauthorized', reason: `iss ${JSON.stringify(claims.iss)} is not ${config.issuers.join(' or ')}` };
  if (config.audience.length > 0) {
    const audiences = [...(Array.isArray(claims.aud) ? claims.aud.map(String) : claims.aud === undefined ? [] : [String(claims.aud)]), ...(claims.client_id === undefined ? [] : [String(claims.client_id)])];
    if (!audiences.some((aud) => config.audience.includes(aud))) return { kind: 'unauthorized', reason: `neither aud nor client_id is one of ${config.audience.join(', ')}` };
  }
  const scopes = tokenScopes(claims);
  if (routeScopes.length > 0 && !routeScopes.some((scope) => scopes.includes(scope))) {
    return { kind: 'forbidden', reason: `the token's scopes (${scopes.join(' ') || 'none'}) include none of ${routeScopes.join(', ')}` };
  }
  return { kind: 'allow', claims: Object.fromEntries(Object.entries(claims).map(([key, value]) => [key, claimText(value)])), scopes: scopes.length > 0 ? scopes : null };
}
