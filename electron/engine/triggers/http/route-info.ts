import type { SourceLocation } from '../../contract.ts';
import { FUNCTION_URL_PATH_PREFIX, functionUrlHost } from './function-url.ts';
import type { RouteTable } from './route-table.ts';

/** One HTTP entry point, for the desktop UI and `lambdadesk serve`'s banner. */
export interface HttpRouteInfo {
  kind: 'rest' | 'http' | 'function-url';
  /** The API's logical id (`ServerlessRestApi` for SAM's implicit one), or the function's for a URL. */
  api: string;
  stage: string;
  /** `GET`, `ANY`, … */
  method: string;
  /** `/items/{id}`, `$default`, or `/*` for a Function URL. */
  path: string;
  functionName: string;
  payloadFormatVersion: '1.0' | '2.0';
  /** An authorizer's name, `AWS_IAM`, or undefined when open. */
  auth?: string;
  /** REST: the method needs an `x-api-key` header. */
  apiKeyRequired?: boolean;
  /** Where to send the request locally. */
  url: string;
  /** Function URLs only: the same URL by host name, path as on AWS. */
  hostUrl?: string;
  location: SourceLocation;
}

export function describeRoutes(table: RouteTable, baseUrl: string, region: string): HttpRouteInfo[] {
  const port = new URL(baseUrl).port;
  const routes = table.routes.map((route): HttpRouteInfo => ({
    kind: route.api.kind,
    api: route.api.logicalId,
    stage: route.api.stage,
    method: route.method,
    path: route.path,
    functionName: route.functionName,
    payloadFormatVersion: route.payloadFormatVersion,
    auth: route.auth.kind === 'iam' ? 'AWS_IAM' : route.auth.kind === 'authorizer' ? route.auth.authorizer.name : undefined,
    ...(route.apiKeyRequired ? { apiKeyRequired: true } : {}),
    url: `${baseUrl}${route.path === '$default' ? '/' : route.path}`,
    location: route.location,
  }));
  const urls = table.functionUrls.map((url): HttpRouteInfo => ({
    kind: 'function-url',
    api: url.logicalId,
    stage: '$default',
    method: 'ANY',
    path: '/*',
    functionName: url.functionName,
    payloadFormatVersion: '2.0',
    auth: url.authType === 'AWS_IAM' ? 'AWS_IAM' : undefined,
    url: `${baseUrl}${FUNCTION_URL_PATH_PREFIX}${encodeURIComponent(url.functionName)}/`,
    hostUrl: `http://${functionUrlHost(url.urlId, region)}${port ? `:${port}` : ''}/`,
    location: url.location,
  }));
  return [...routes, ...urls];
}

/** Human-readable lines for a banner, e.g. `  GET     http://127.0.0.1:3000/items/{id}  → Items  (REST API MyApi, stage dev)`. */
export function routeBannerLines(routes: readonly HttpRouteInfo[]): string[] {
  const width = Math.max(0, ...routes.map((route) => route.url.length));
  return routes.map((route) => {
    const what =
      route.kind === 'function-url'
        ? `Function URL, also ${route.hostUrl ?? ''}`
        : `${route.kind === 'rest' ? 'REST API' : 'HTTP API'} ${route.api}, stage ${route.stage}${route.kind === 'http' ? `, payload ${route.payloadFormatVersion}` : ''}${route.path === '$default' ? ', $default: every other path' : ''}`;
    const auth = `${route.auth ? `, auth ${route.auth}` : ''}${route.apiKeyRequired ? ', x-api-key required' : ''}`;
    return `  ${(route.kind === 'function-url' ? 'URL' : route.method).padEnd(7)} ${route.url.padEnd(width)}  → ${route.functionName}  (${what}${auth})`;
  });
}
