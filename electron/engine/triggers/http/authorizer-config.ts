import { isPlaceholder } from '../../project/intrinsics.ts';
import { isPlainObject } from './response-fields.ts';

/** Where an authorizer reads the caller's identity from. */
export interface IdentitySource {
  in: 'header' | 'query' | 'stageVariable' | 'context';
  name: string;
}

/** REST TOKEN authorizer: one header, optionally checked against a regular expression first. */
export interface TokenAuthorizer {
  kind: 'token';
  name: string;
  functionArn: string;
  header: string;
  validationExpression?: string;
  ttlSeconds: number;
}

/** REST REQUEST authorizer, or an HTTP API Lambda authorizer. */
export interface RequestAuthorizer {
  kind: 'request';
  api: 'rest' | 'http';
  name: string;
  functionArn: string;
  identitySources: IdentitySource[];
  ttlSeconds: number;
  /** HTTP APIs: `AuthorizerPayloadFormatVersion`; REST authorizers always get the 1.0 shape. */
  payloadFormatVersion: '1.0' | '2.0';
  /** HTTP APIs with 2.0: `{ isAuthorized, context }` instead of an IAM policy. */
  simpleResponses: boolean;
}

/** An HTTP API JWT authorizer (`JwtConfiguration`), or a REST Cognito user pool authorizer. */
export interface JwtAuthorizer {
  kind: 'jwt';
  api: 'rest' | 'http';
  name: string;
  identitySource: IdentitySource;
  /** Accepted `iss` values; empty when they are not known offline. */
  issuers: string[];
  audience: string[];
  /** The authorizer's default AuthorizationScopes. */
  scopes: string[];
}

export type AuthorizerConfig = TokenAuthorizer | RequestAuthorizer | JwtAuthorizer;

export interface ApiAuth {
  authorizers: Map<string, AuthorizerConfig>;
  /** An authorizer name, or `AWS_IAM`. */
  defaultAuthorizer?: string;
  /** REST `Auth.ApiKeyRequired`: every method needs an `x-api-key`. */
  apiKeyRequired: boolean;
  /** REST: SAM puts the default authorizer on CORS preflights too, unless `AddDefaultAuthorizerToCorsPreflight: false`. */
  authorizePreflight: boolean;
}

export type RouteAuth = { kind: 'none' } | { kind: 'iam' } | { kind: 'authorizer'; authorizer: AuthorizerConfig; scopes: string[] };

export type Warn = (message: string) => void;

const NO_AUTH: ApiAuth = { authorizers: new Map(), apiKeyRequired: false, authorizePreflight: true };

function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

function seconds(value: unknown, fallback: number): number {
  const n = Number(value);
  return value === undefined || !Number.isFinite(n) || n < 0 ? fallback : n;
}

/** Kept even when unusable: routes behind it then fail closed (500), as a broken authorizer does on AWS. */
function functionArn(name: string, value: unknown, warn: Warn): string {
  if (typeof value !== 'string' || value === '' || isPlaceholder(value)) {
    warn(`Authorizer ${name}: FunctionArn ${JSON.stringify(value)} does not name a function of this template, so routes behind it answer 500. Use !GetAtt <Function>.Arn.`);
  }
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

/** `Identity` of a REQUEST authorizer (REST) or an HTTP API Lambda authorizer. */
function identitySources(identity: Record<string, unknown>): IdentitySource[] {
  return [
    ...strings(identity.Headers).map((name): IdentitySource => ({ in: 'header', name })),
    ...strings(identity.QueryStrings).map((name): IdentitySource => ({ in: 'query', name })),
    ...strings(identity.StageVariables).map((name): IdentitySource => ({ in: 'stageVariable', name })),
    ...strings(identity.Context).map((name): IdentitySource => ({ in: 'context', name })),
  ];
}

/** `$request.header.Authorization`, `$request.querystring.q`, `$stageVariables.v`, `$context.x` (and REST's `method.request.header.X`). */
export function parseIdentityExpression(expression: string): IdentitySource | undefined {
  const match = /^(?:\$request|method\.request)\.(header|querystring)\.(.+)$/.exec(expression.trim());
  if (match) return { in: match[1] === 'header' ? 'header' : 'query', name: match[2]! };
  const other = /^\$(stageVariables|context)\.(.+)$/.exec(expression.trim());
  if (other) return { in: other[1] === 'context' ? 'context' : 'stageVariable', name: other[2]! };
  return undefined;
}

/** `arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc` → the issuer its tokens carry. */
function cognitoIssuer(arn: string): string | undefined {
  const match = /^arn:aws[a-z-]*:cognito-idp:([a-z0-9-]+):\d{12}:userpool\/(.+)$/.exec(arn);
  return match ? `https://cognito-idp.${match[1]}.amazonaws.com/${match[2]}` : undefined;
}

/** A REST API's `Auth`: Lambda TOKEN and REQUEST authorizers and Cognito user pools. */
export function readRestAuth(value: unknown, warn: Warn): ApiAuth {
  if (!isPlainObject(value)) return NO_AUTH;
  const authorizers = new Map<string, AuthorizerConfig>();
  for (const [name, raw] of Object.entries(isPlainObject(value.Authorizers) ? value.Authorizers : {})) {
    if (!isPlainObject(raw)) continue;
    const identity = isPlainObject(raw.Identity) ? raw.Identity : {};
    if (raw.UserPoolArn !== undefined) {
      authorizers.set(name, {
        kind: 'jwt',
        api: 'rest',
        name,
        identitySource: { in: 'header', name: typeof identity.Header === 'string' ? identity.Header : 'Authorization' },
        issuers: strings(raw.UserPoolArn).flatMap((arn) => cognitoIssuer(arn) ?? []),
        audience: [],
        scopes: strings(raw.AuthorizationScopes),
      });
      continue;
    }
    const arn = functionArn(name, raw.FunctionArn, warn);
    const type = String(raw.FunctionPayloadType ?? 'TOKEN').toUpperCase();
    if (type === 'REQUEST') {
      authorizers.set(name, { kind: 'request', api: 'rest', name, functionArn: arn, identitySources: identitySources(identity), ttlSeconds: seconds(identity.ReauthorizeEvery, 300), payloadFormatVersion: '1.0', simpleResponses: false });
    } else {
      authorizers.set(name, {
        kind: 'token',
        name,
        functionArn: arn,
        header: typeof identity.Header === 'string' ? identity.Header : 'Authorization',
        validationExpression: typeof identity.ValidationExpression === 'string' ? identity.ValidationExpression : undefined,
        ttlSeconds: seconds(identity.ReauthorizeEvery, 300),
      });
    }
  }
  return {
    authorizers,
    defaultAuthorizer: typeof value.DefaultAuthorizer === 'string' ? value.DefaultAuthorizer : undefined,
    apiKeyRequired: value.ApiKeyRequired === true,
    authorizePreflight: value.AddDefaultAuthorizerToCorsPreflight !== false,
  };
}

/** An HTTP API's `Auth`: Lambda authorizers (payload 1.0 or 2.0, simple or IAM responses) and JWT authorizers. */
export function readHttpAuth(value: unknown, warn: Warn): ApiAuth {
  if (!isPlainObject(value)) return NO_AUTH;
  const authorizers = new Map<string, AuthorizerConfig>();
  for (const [name, raw] of Object.entries(isPlainObject(value.Authorizers) ? value.Authorizers : {})) {
    if (!isPlainObject(raw)) continue;
    if (isPlainObject(raw.JwtConfiguration)) {
      const jwt = raw.JwtConfiguration;
      const source = typeof raw.IdentitySource === 'string' ? parseIdentityExpression(raw.IdentitySource) : undefined;
      authorizers.set(name, {
        kind: 'jwt',
        api: 'http',
        name,
        identitySource: source ?? { in: 'header', name: 'Authorization' },
        issuers: strings(jwt.issuer ?? jwt.Issuer).filter((issuer) => !isPlaceholder(issuer)),
        audience: strings(jwt.audience ?? jwt.Audience).filter((audience) => !isPlaceholder(audience)),
        scopes: strings(raw.AuthorizationScopes),
      });
      continue;
    }
    const arn = functionArn(name, raw.FunctionArn, warn);
    const version = String(raw.AuthorizerPayloadFormatVersion ?? '2.0') === '1.0' ? '1.0' : '2.0';
    const identity = isPlainObject(raw.Identity) ? raw.Identity : {};
    authorizers.set(name, {
      kind: 'request',
      api: 'http',
      name,
      functionArn: arn,
      identitySources: identitySources(identity),
      ttlSeconds: seconds(identity.ReauthorizeEvery, 0),
      payloadFormatVersion: version,
      simpleResponses: version === '2.0' && raw.EnableSimpleResponses === true,
    });
  }
  const defaultAuthorizer = typeof value.DefaultAuthorizer === 'string' ? value.DefaultAuthorizer : undefined;
  return { authorizers, defaultAuthorizer, apiKeyRequired: false, authorizePreflight: false };
}

/**
 * A route's protection: its event's `Auth.Authorizer` (a name, `NONE` or `AWS_IAM`), else the
 * API's DefaultAuthorizer; REST routes may also require an API key.
 */
export function readRouteAuth(api: ApiAuth, eventAuth: unknown, warn: Warn): { auth: RouteAuth; apiKeyRequired: boolean } {
  const auth = isPlainObject(eventAuth) ? eventAuth : {};
  const chosen = typeof auth.Authorizer === 'string' ? auth.Authorizer : api.defaultAuthorizer;
  const apiKeyRequired = typeof auth.ApiKeyRequired === 'boolean' ? auth.ApiKeyRequired : api.apiKeyRequired;
  if (!chosen || chosen === 'NONE') return { auth: { kind: 'none' }, apiKeyRequired };
  if (chosen === 'AWS_IAM') return { auth: { kind: 'iam' }, apiKeyRequired };
  const authorizer = api.authorizers.get(chosen);
  if (!authorizer) {
    warn(`Authorizer ${chosen} is not declared in the API's Auth.Authorizers (declared: ${[...api.authorizers.keys()].join(', ') || 'none'}); the route is served without it.`);
    return { auth: { kind: 'none' }, apiKeyRequired };
  }
  const routeScopes = strings(auth.AuthorizationScopes);
  return { auth: { kind: 'authorizer', authorizer, scopes: routeScopes.length > 0 ? routeScopes : authorizer.kind === 'jwt' ? authorizer.scopes : [] }, apiKeyRequired };
}
