import type { EventSourceConfig, FunctionConfig, ProjectModel, ProjectWarning, SourceLocation } from '../../contract.ts';
import { readApiDefinitions, type ApiDefinition } from './api-definitions.ts';
import { readRouteAuth, type RouteAuth } from './authorizer-config.ts';
import { readFunctionUrls, type FunctionUrl } from './function-url.ts';
import { compareRanks, matchPath, parsePathTemplate, requestSegments, type PathTemplate } from './path-template.ts';
import type { TemplateResources } from '../../project/template-resources.ts';

/** API Gateway's integration timeouts: 29 s for REST APIs, 30 s for HTTP APIs; `TimeoutInMillis` may lower them. */
export const INTEGRATION_TIMEOUT_MS = { rest: 29_000, http: 30_000 } as const;
const MIN_TIMEOUT_MS = 50;

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY']);

export interface Route {
  api: ApiDefinition;
  /** Upper case, or `ANY`. */
  method: string;
  /** `/items/{id}`, or `$default` for an HTTP API's catch-all route. */
  path: string;
  /** Undefined for `$default`. */
  template?: PathTemplate;
  /** `GET /items/{id}` or `$default`: HTTP API's routeKey, and the invocation's trigger. */
  routeKey: string;
  functionName: string;
  /** SAM points API events at the AutoPublishAlias when there is one. */
  qualifier?: string;
  payloadFormatVersion: '1.0' | '2.0';
  integrationTimeoutMs: number;
  auth: RouteAuth;
  apiKeyRequired: boolean;
  eventName: string;
  location: SourceLocation;
}

export interface RouteTable {
  /** APIs that have routes, in template order. */
  apis: ApiDefinition[];
  routes: Route[];
  functionUrls: FunctionUrl[];
  warnings: ProjectWarning[];
}

export interface RouteMatch {
  route: Route;
  pathParameters: Record<string, string>;
  /** The request path without a leading stage name the client may have copied from an AWS URL. */
  rawPath: string;
}

function eventWarning(fn: FunctionConfig, event: EventSourceConfig, property: string, message: string): ProjectWarning {
  return { at: event.location, field: `Resources.${fn.logicalId}.Properties.Events.${event.name}.Properties${property ? `.${property}` : ''}`, message };
}

function timeoutMs(value: unknown, kind: 'rest' | 'http'): number {
  const max = INTEGRATION_TIMEOUT_MS[kind];
  const n = Number(value);
  return value === undefined || !Number.isFinite(n) ? max : Math.min(max, Math.max(MIN_TIMEOUT_MS, Math.round(n)));
}

/**
 * Every route of the project: `Api` and `HttpApi` events of each function, on the API they name
 * (or SAM's implicit one), plus Function URLs. A method and path declared twice is served by the
 * first declaration, with a warning.
 */
export function buildRouteTable(model: ProjectModel, resources: TemplateResources): RouteTable {
  const warnings: ProjectWarning[] = [];
  const definitions = readApiDefinitions(resources, warnings);
  // The model's own warnings already cover functions; only what was read for the APIs is new.
  const apiFields = [...definitions.explicit.map((api) => `Resources.${api.logicalId}.`), 'Globals.Api.', 'Globals.HttpApi.'];
  warnings.push(...resources.warnings.filter((warning) => apiFields.some((prefix) => warning.field.startsWith(prefix))));
  const routes: Route[] = [];
  for (const fn of model.functions) {
    for (const event of fn.events) {
      if (event.type !== 'Api' && event.type !== 'HttpApi') continue;
      const kind = event.type === 'Api' ? 'rest' : 'http';
      const p = event.properties;
      const apiRef = kind === 'rest' ? p.RestApiId : p.ApiId;
      let api: ApiDefinition | undefined;
      if (apiRef === undefined) api = definitions.implicit(kind);
      else {
        api = definitions.explicit.find((candidate) => candidate.kind === kind && (candidate.apiId === apiRef || candidate.logicalId === apiRef));
        if (!api) {
          warnings.push(eventWarning(fn, event, kind === 'rest' ? 'RestApiId' : 'ApiId', `${JSON.stringify(apiRef)} is not an ${kind === 'rest' ? 'AWS::Serverless::Api' : 'AWS::Serverless::HttpApi'} of this template; the route is not served. Use !Ref <ApiLogicalId>.`));
          continue;
        }
      }
      const catchAll = kind === 'http' && p.Path === undefined && p.Method === undefined;
      const method = String(p.Method ?? 'ANY').toUpperCase().replace('X-AMAZON-APIGATEWAY-ANY-METHOD', 'ANY');
      if (!METHODS.has(method)) {
        warnings.push(eventWarning(fn, event, 'Method', `Method ${JSON.stringify(p.Method)} is not an HTTP method API Gateway routes (GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS or ANY); the route is not served.`));
        continue;
      }
      let template: PathTemplate | undefined;
      if (!catchAll) {
        const parsed = parsePathTemplate(typeof p.Path === 'string' ? p.Path : '');
        if (typeof parsed === 'string') {
          warnings.push(eventWarning(fn, event, 'Path', `Path ${parsed} The route is not served; write it like /items/{id} or /files/{proxy+}.`));
          continue;
        }
        template = parsed;
      }
      const path = template?.text ?? '$default';
      const routeKey = catchAll ? '$default' : `${method} ${path}`;
      const auth = readRouteAuth(api.auth, p.Auth, (message) => warnings.push(eventWarning(fn, event, 'Auth', message)));
      const version = kind === 'rest' ? '1.0' : p.PayloadFormatVersion !== undefined ? (String(p.PayloadFormatVersion) === '1.0' ? '1.0' : '2.0') : api.payloadFormatVersion;
      // All APIs share one port: a route declared twice is reachable only if the stage name tells them apart.
      const duplicate = routes.find((route) => route.routeKey === routeKey);
      if (duplicate && (duplicate.api === api || duplicate.api.stage === api.stage || api.stage === '$default')) {
        warnings.push(eventWarning(fn, event, '', `${routeKey} is already served by ${duplicate.functionName} (event ${duplicate.eventName}); this declaration is not served.`));
        continue;
      }
      if (duplicate) {
        warnings.push(eventWarning(fn, event, '', `${routeKey} is also served by ${duplicate.functionName} (event ${duplicate.eventName}); this one is reached with the stage in the path: /${api.stage}${path === '$default' ? '/' : path}.`));
      }
      routes.push({
        api,
        method,
        path,
        template,
        routeKey,
        functionName: fn.functionName,
        qualifier: fn.autoPublishAlias,
        payloadFormatVersion: version,
        integrationTimeoutMs: timeoutMs(p.TimeoutInMillis, kind),
        auth: auth.auth,
        apiKeyRequired: kind === 'rest' && auth.apiKeyRequired,
        eventName: event.name,
        location: event.location,
      });
    }
  }
  const apis = [...definitions.explicit, definitions.implicit('rest'), definitions.implicit('http')].filter((api) => routes.some((route) => route.api === api));
  return { apis, routes, functionUrls: readFunctionUrls(resources, model.functions, warnings), warnings };
}

function candidates(routes: readonly Route[], method: string, rawPath: string): RouteMatch[] {
  const segments = requestSegments(rawPath);
  const found: Array<RouteMatch & { rank: number[] }> = [];
  for (const route of routes) {
    if (route.method !== method && route.method !== 'ANY') continue;
    if (!route.template) {
      found.push({ route, pathParameters: {}, rawPath, rank: [9] });
      continue;
    }
    const match = matchPath(route.template, segments);
    if (match) found.push({ route, pathParameters: match.pathParameters, rawPath, rank: match.rank });
  }
  // Most specific path first; on a tie an exact method beats ANY; then declaration order.
  return found.sort((a, b) => compareRanks(a.rank, b.rank) || Number(a.route.method === 'ANY') - Number(b.route.method === 'ANY'));
}

/**
 * The route a request reaches, as API Gateway chooses among routes: literal segments before
 * parameters before greedy ones, an exact method before ANY, `$default` last. A path that
 * starts with the API's stage name (as copied from an AWS URL) also finds the route.
 */
export function findRoute(table: RouteTable, method: string, rawPath: string): RouteMatch | undefined {
  const segments = rawPath.split('/');
  const stage = segments[1];
  if (stage) {
    const staged = table.routes.filter((route) => route.api.stage === stage && route.api.stage !== '$default');
    const viaStage = candidates(staged, method, `/${segments.slice(2).join('/')}`)[0];
    if (viaStage) return viaStage;
  }
  return candidates(table.routes, method, rawPath)[0];
}

/** Routes on a path whatever their method: what a REST CORS preflight lists, and who answers an unknown route. */
export function routesOnPath(table: RouteTable, rawPath: string): Route[] {
  const segments = requestSegments(rawPath);
  return table.routes.filter((route) => route.template && matchPath(route.template, segments));
}
