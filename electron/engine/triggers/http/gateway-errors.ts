import { jsonResponse, type GatewayResponse } from './gateway-response.ts';

/** Which kind of endpoint answers: each has its own words for the same failures. */
export type GatewayKind = 'rest' | 'http' | 'function-url';

export type GatewayFailure =
  /** No route: REST says Missing Authentication Token (also for an unsigned AWS_IAM call), HTTP APIs Not Found. */
  | 'no-route'
  | 'missing-signature'
  | 'unauthorized'
  /** A Lambda authorizer's (or IAM policy's) deny. */
  | 'denied'
  /** A missing API key, or a JWT without the route's scopes. */
  | 'forbidden'
  /** The function failed, or its output is not a valid proxy response. */
  | 'integration-failure'
  /** Lambda refused the invoke (payload too large, sandbox unavailable, …). */
  | 'invoke-rejected'
  | 'timeout'
  | 'throttled'
  /** The authorizer failed or answered something unusable. */
  | 'authorizer-failure'
  | 'too-large';

interface Canned {
  status: number;
  message: string | null;
  /** REST's gateway response type, sent as `x-amzn-ErrorType`. */
  restType?: string;
  /** Function URLs spell the key `Message`. */
  messageKey?: 'Message';
}

const REST: Record<GatewayFailure, Canned> = {
  'no-route': { status: 403, message: 'Missing Authentication Token', restType: 'MissingAuthenticationTokenException' },
  'missing-signature': { status: 403, message: 'Missing Authentication Token', restType: 'MissingAuthenticationTokenException' },
  unauthorized: { status: 401, message: 'Unauthorized', restType: 'UnauthorizedException' },
  denied: { status: 403, message: 'User is not authorized to access this resource', restType: 'AccessDeniedException' },
  forbidden: { status: 403, message: 'Forbidden', restType: 'ForbiddenException' },
  'integration-failure': { status: 502, message: 'Internal server error', restType: 'InternalServerErrorException' },
  'invoke-rejected': { status: 500, message: 'Internal server error', restType: 'InternalServerErrorException' },
  timeout: { status: 504, message: 'Endpoint request timed out' },
  throttled: { status: 429, message: 'Too Many Requests', restType: 'TooManyRequestsException' },
  'authorizer-failure': { status: 500, message: null, restType: 'AuthorizerConfigurationException' },
  'too-large': { status: 413, message: 'Request Too Long', restType: 'RequestTooLongException' },
};

const HTTP: Record<GatewayFailure, Canned> = {
  'no-route': { status: 404, message: 'Not Found' },
  'missing-signature': { status: 403, message: 'Forbidden' },
  unauthorized: { status: 401, message: 'Unauthorized' },
  denied: { status: 403, message: 'Forbidden' },
  forbidden: { status: 403, message: 'Forbidden' },
  'integration-failure': { status: 502, message: 'Internal server error' },
  'invoke-rejected': { status: 500, message: 'Internal Server Error' },
  timeout: { status: 504, message: 'Endpoint request timed out' },
  throttled: { status: 429, message: 'Too Many Requests' },
  'authorizer-failure': { status: 500, message: 'Internal Server Error' },
  'too-large': { status: 413, message: 'Request Entity Too Large' },
};

const FUNCTION_URL: Record<GatewayFailure, Canned> = {
  ...HTTP,
  'missing-signature': { status: 403, message: 'Forbidden', messageKey: 'Message' },
  denied: { status: 403, message: 'Forbidden', messageKey: 'Message' },
  forbidden: { status: 403, message: 'Forbidden', messageKey: 'Message' },
};

const TABLES: Record<GatewayKind, Record<GatewayFailure, Canned>> = { rest: REST, http: HTTP, 'function-url': FUNCTION_URL };

/** AWS's own answer for a failure, with the headers API Gateway adds to it. */
export function gatewayError(kind: GatewayKind, failure: GatewayFailure): GatewayResponse {
  const canned = TABLES[kind][failure];
  const headers: Array<[string, string]> = canned.restType && kind === 'rest' ? [['x-amzn-ErrorType', canned.restType]] : [];
  return jsonResponse(canned.status, { [canned.messageKey ?? 'message']: canned.message }, headers);
}
