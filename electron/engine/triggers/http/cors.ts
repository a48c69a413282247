import type { HttpCors, RestCors } from './cors-config.ts';
import { header, type GatewayRequest } from './gateway-request.ts';
import type { GatewayResponse } from './gateway-response.ts';

const ALL_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

/** A browser's preflight: OPTIONS with Origin and Access-Control-Request-Method. */
export function isPreflight(request: GatewayRequest): boolean {
  return request.method === 'OPTIONS' && header(request, 'origin') !== undefined && header(request, 'access-control-request-method') !== undefined;
}

/**
 * The answer of the OPTIONS method SAM adds to each path of a REST API with `Cors`: a mock
 * integration with fixed headers. Unless AllowMethods is set, SAM lists the path's methods
 * (every method for ANY) plus OPTIONS, sorted.
 */
export function restPreflight(cors: RestCors, methodsOnPath: readonly string[]): GatewayResponse {
  const methods = methodsOnPath.includes('ANY') ? ALL_METHODS : [...new Set([...methodsOnPath, 'OPTIONS'])].sort();
  const headers: Array<[string, string]> = [
    ['Content-Type', 'application/json'],
    ['Access-Control-Allow-Origin', cors.allowOrigin],
    ['Access-Control-Allow-Methods', cors.allowMethods ?? methods.join(',')],
  ];
  if (cors.allowHeaders) headers.push(['Access-Control-Allow-Headers', cors.allowHeaders]);
  if (cors.maxAge) headers.push(['Access-Control-Max-Age', cors.maxAge]);
  if (cors.allowCredentials) headers.push(['Access-Control-Allow-Credentials', 'true']);
  return { status: 200, headers, body: Buffer.alloc(0) };
}

function allowedOrigin(cors: HttpCors, origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  if (cors.allowOrigins.some((allowed) => allowed.toLowerCase() === origin.toLowerCase())) return origin;
  if (cors.allowOrigins.includes('*')) return cors.allowCredentials ? origin : '*';
  return undefined;
}

/** HTTP APIs and Function URLs answer preflights themselves: 204, with CORS headers only for an allowed origin and method. */
export function httpPreflight(cors: HttpCors, request: GatewayRequest): GatewayResponse {
  const origin = allowedOrigin(cors, header(request, 'origin'));
  const method = (header(request, 'access-control-request-method') ?? '').toUpperCase();
  const methodAllowed = cors.allowMethods.includes('*') || cors.allowMethods.includes(method);
  const headers: Array<[string, string]> = [];
  if (origin && methodAllowed) {
    headers.push(['Access-Control-Allow-Origin', origin]);
    headers.push(['Access-Control-Allow-Methods', cors.allowMethods.join(',')]);
    const requested = header(request, 'access-control-request-headers');
    const allowHeaders = cors.allowHeaders.includes('*') && requested ? requested : cors.allowHeaders.join(',');
    if (allowHeaders) headers.push(['Access-Control-Allow-Headers', allowHeaders]);
    if (cors.maxAgeSeconds !== undefined) headers.push(['Access-Control-Max-Age', String(cors.maxAgeSeconds)]);
    if (cors.allowCredentials) headers.push(['Access-Control-Allow-Credentials', 'true']);
    if (origin !== '*') headers.push(['Vary', 'Origin']);
  }
  return { status: 204, headers, body: Buffer.alloc(0) };
}

/** With CORS configured, the function's own Access-Control-* headers are replaced by the configuration's. */
export function applyHttpCors(cors: HttpCors | undefined, request: GatewayRequest, response: GatewayResponse): GatewayResponse {
  if (!cors) return response;
  const headers = response.headers.filter(([name]) => !name.toLowerCase().startsWith('access-control-'));
  const origin = allowedOrigin(cors, header(request, 'origin'));
  if (origin) {
    headers.push(['Access-Control-Allow-Origin', origin]);
    if (cors.exposeHeaders.length > 0) headers.push(['Access-Control-Expose-Headers', cors.exposeHeaders.join(',')]);
    if (cors.allowCredentials) headers.push(['Access-Control-Allow-Credentials', 'true']);
    if (origin !== '*') headers.push(['Vary', 'Origin']);
  }
  return { ...response, headers };
}
