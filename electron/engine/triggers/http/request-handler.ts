import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import type { Invoker } from '../../invoke/invoker.ts';
import { readRouteAuth } from './authorizer-config.ts';
import { executeApiArn } from './authorizer-events.ts';
import { authorize, authorizeIam, type AuthResult } from './authorize.ts';
import { isBinaryType, isTextType, mediaType } from './binary-media.ts';
import { applyHttpCors, httpPreflight, isPreflight, restPreflight } from './cors.ts';
import { splitFunctionUrlPath, urlIdFromHost, type FunctionUrl } from './function-url.ts';
import { gatewayError, type GatewayFailure, type GatewayKind } from './gateway-errors.ts';
import { header, hostName, type GatewayRequest } from './gateway-request.ts';
import { isMalformed, type GatewayResponse } from './gateway-response.ts';
import { buildHttpApiEvent, type HttpApiEvent } from './http-api-event.ts';
import { mapResponseV2 } from './http-api-response.ts';
import { invokeIntegration } from './integration.ts';
import type { LambdaAuthorizers } from './lambda-authorizer.ts';
import { decodeSegment } from './path-template.ts';
import { traceId } from './request-time.ts';
import { buildRestEvent, type RestProxyEvent } from './rest-event.ts';
import { mapResponseV1 } from './rest-response.ts';
import { findRoute, routesOnPath, type RouteMatch, type RouteTable } from './route-table.ts';

/** A line for API Gateway's execution log: why the gateway (not the function) failed a request. */
export interface GatewayLogEntry {
  functionName: string;
  line: string;
  requestId?: string;
  sandboxId?: string;
}

export interface RequestHandlerDeps {
  invoker: Invoker;
  clock: Clock;
  region: string;
  accountId: string;
  table: () => RouteTable;
  authorizers: LambdaAuthorizers;
  log: (entry: GatewayLogEntry) => void;
}

interface Exchange {
  request: GatewayRequest;
  requestId: string;
  epochMs: number;
  trace: string;
  host: string;
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

function decodePath(rawPath: string): string {
  return rawPath.split('/').map(decodeSegment).join('/');
}

/**
 * One request through the emulated API Gateway: find the Function URL or route, answer CORS
 * preflights, authorize, shape the event in the route's payload format, invoke within the
 * integration timeout and turn the output into the HTTP response, failing as AWS fails.
 */
export class GatewayRequestHandler {
  constructor(private readonly deps: RequestHandlerDeps) {}

  async handle(request: GatewayRequest): Promise<GatewayResponse> {
    const epochMs = this.deps.clock.now();
    const exchange: Exchange = { request, requestId: randomUUID(), epochMs, trace: traceId(epochMs), host: hostName(request) };
    const table = this.deps.table();

    const urlId = urlIdFromHost(exchange.host);
    if (urlId) {
      const url = table.functionUrls.find((candidate) => candidate.urlId === urlId);
      return url ? this.functionUrl(exchange, url, request.rawPath) : this.finish(exchange, 'function-url', gatewayError('function-url', 'no-route'));
    }
    const byPath = splitFunctionUrlPath(request.rawPath);
    if (byPath) {
      const url = table.functionUrls.find((candidate) => candidate.functionName === byPath.functionName || candidate.logicalId === byPath.functionName);
      return url ? this.functionUrl(exchange, url, byPath.rawPath) : this.finish(exchange, 'function-url', gatewayError('function-url', 'no-route'));
    }

    const match = findRoute(table, request.method, request.rawPath);
    const preflight = await this.preflight(exchange, table, match);
    if (preflight) return preflight;
    if (!match) {
      // The API whose routes share the path (another method) answers; else the first declared.
      const api = routesOnPath(table, request.rawPath)[0]?.api ?? table.apis[0];
      const kind = api?.kind ?? 'http';
      return this.finish(exchange, kind, applyHttpCors(api?.httpCors, request, gatewayError(kind, 'no-route')));
    }
    return this.route(exchange, match);
  }

  /** HTTP APIs answer any preflight when CORS is configured; REST APIs answer OPTIONS with SAM's mock method. */
  private async preflight(exchange: Exchange, table: RouteTable, match: RouteMatch | undefined): Promise<GatewayResponse | undefined> {
    const { request } = exchange;
    if (request.method !== 'OPTIONS') return undefined;
    const onPath = routesOnPath(table, request.rawPath);
    // The API that owns the path answers; an HTTP API with CORS answers preflights even where it has no route.
    const owner = match?.route.template ? match.route.api : (onPath[0]?.api ?? match?.route.api);
    const httpApi = owner ? (owner.kind === 'http' ? owner : undefined) : table.apis.find((api) => api.kind === 'http' && api.httpCors);
    if (httpApi?.httpCors && isPreflight(request)) return this.finish(exchange, 'http', httpPreflight(httpApi.httpCors, request));
    if (match?.route.method === 'OPTIONS' || owner?.kind !== 'rest') return undefined;
    const restApi = owner;
    if (!restApi.restCors) return undefined;
    const routes = onPath.filter((route) => route.api === restApi);
    const first = routes[0] ?? match?.route;
    if (!first) return undefined;
    // SAM puts the DefaultAuthorizer on the OPTIONS methods it generates (AddDefaultAuthorizerToCorsPreflight, true by default).
    const preflightAuth = restApi.auth.authorizePreflight ? readRouteAuth(restApi.auth, undefined, () => undefined).auth : { kind: 'none' as const };
    if (preflightAuth.kind !== 'none') {
      const events = this.eventsFor(exchange, { route: { ...first, method: 'OPTIONS' }, pathParameters: {}, rawPath: request.rawPath });
      const result = await authorize(
        { auth: preflightAuth, api: 'rest', apiKeyRequired: false, request, stageVariables: restApi.stageVariables, restEvent: events.rest, httpEvent: events.http, resourceArn: this.arn(restApi.apiId, restApi.stage, 'OPTIONS', decodePath(request.rawPath)), nowMs: exchange.epochMs, accountId: this.deps.accountId },
        this.deps.authorizers,
      );
      if (result.kind === 'fail') return this.fail(exchange, 'rest', first.functionName, result.failure, result.reason);
    }
    const methods = (routes.length > 0 ? routes : [first]).map((route) => route.method);
    return this.finish(exchange, 'rest', restPreflight(restApi.restCors, methods));
  }

  private arn(apiId: string, stage: string, method: string, path: string): string {
    return executeApiArn({ region: this.deps.region, accountId: this.deps.accountId, apiId, stage, method, path });
  }

  private eventsFor(exchange: Exchange, match: RouteMatch): { rest: () => RestProxyEvent; http: () => HttpApiEvent } {
    const { route } = match;
    const { api } = route;
    const { request } = exchange;
    const contentType = mediaType(header(request, 'content-type'));
    // On AWS an HTTP API's paths carry the stage name unless the stage is $default.
    const stagedRawPath = api.kind === 'http' && api.stage !== '$default' ? `/${api.stage}${match.rawPath}` : match.rawPath;
    const rest = lazy(() =>
      buildRestEvent({
        request,
        resource: route.path,
        path: decodePath(stagedRawPath),
        pathParameters: match.pathParameters,
        stage: api.stage,
        stageVariables: api.stageVariables,
        apiId: api.apiId,
        accountId: this.deps.accountId,
        requestId: exchange.requestId,
        epochMs: exchange.epochMs,
        trace: exchange.trace,
        bodyIsBinary: api.kind === 'rest' ? isBinaryType(contentType, api.binaryMediaTypes) : !isTextType(contentType),
        contextPath: api.kind === 'rest' ? `/${api.stage}${decodePath(match.rawPath)}` : decodePath(stagedRawPath),
        ...(api.kind === 'http' ? { version: '1.0' as const, resourceId: route.routeKey } : {}),
      }),
    );
    const http = lazy(() =>
      buildHttpApiEvent({
        request,
        routeKey: route.routeKey,
        rawPath: stagedRawPath,
        pathParameters: match.pathParameters,
        stage: api.stage,
        stageVariables: api.stageVariables,
        apiId: api.apiId,
        accountId: this.deps.accountId,
        requestId: exchange.requestId,
        epochMs: exchange.epochMs,
        trace: exchange.trace,
        domainName: exchange.host,
        domainPrefix: exchange.host.split('.')[0] ?? exchange.host,
      }),
    );
    return { rest, http };
  }

  private async route(exchange: Exchange, match: RouteMatch): Promise<GatewayResponse> {
    const { route } = match;
    const { api } = route;
    const { request } = exchange;
    const events = this.eventsFor(exchange, match);
    const result = await authorize(
      {
        auth: route.auth,
        api: api.kind,
        apiKeyRequired: route.apiKeyRequired,
        request,
        stageVariables: api.stageVariables,
        restEvent: events.rest,
        httpEvent: events.http,
        resourceArn: this.arn(api.apiId, api.stage, request.method, decodePath(match.rawPath)),
        nowMs: exchange.epochMs,
        accountId: this.deps.accountId,
      },
      this.deps.authorizers,
    );
    if (result.kind === 'fail') return applyHttpCors(api.httpCors, request, this.fail(exchange, api.kind, route.functionName, result.failure, result.reason));
    const event = route.payloadFormatVersion === '1.0' ? withRestAuth(events.rest(), result) : withHttpAuth(events.http(), result);
    const response = await this.integrate(exchange, {
      kind: api.kind,
      functionName: route.functionName,
      qualifier: route.qualifier,
      event,
      trigger: `http:${route.routeKey}`,
      timeoutMs: route.integrationTimeoutMs,
      map: (payload) => (route.payloadFormatVersion === '1.0' ? mapResponseV1(payload, { api: api.kind, binaryMediaTypes: api.binaryMediaTypes, accept: header(request, 'accept') }) : mapResponseV2(payload)),
    });
    return applyHttpCors(api.httpCors, request, response);
  }

  private async functionUrl(exchange: Exchange, url: FunctionUrl, rawPath: string): Promise<GatewayResponse> {
    const { request } = exchange;
    if (url.cors && isPreflight(request)) return this.finish(exchange, 'function-url', httpPreflight(url.cors, request));
    const event = buildHttpApiEvent({
      request,
      routeKey: '$default',
      rawPath,
      stage: '$default',
      apiId: url.urlId,
      accountId: this.deps.accountId,
      requestId: exchange.requestId,
      epochMs: exchange.epochMs,
      trace: exchange.trace,
      domainName: exchange.host,
      domainPrefix: exchange.host.split('.')[0] ?? exchange.host,
    });
    if (url.authType === 'AWS_IAM') {
      const result = authorizeIam(request, 'function-url', this.deps.accountId);
      if (result.kind === 'fail') return applyHttpCors(url.cors, request, this.fail(exchange, 'function-url', url.functionName, result.failure, result.reason));
      withHttpAuth(event, result);
    }
    const response = await this.integrate(exchange, {
      kind: 'function-url',
      functionName: url.functionName,
      qualifier: url.qualifier,
      event,
      trigger: `http:function-url ${url.functionName}`,
      // No gateway in between: only the function's own timeout applies.
      timeoutMs: undefined,
      map: mapResponseV2,
    });
    return applyHttpCors(url.cors, request, response);
  }

  private async integrate(
    exchange: Exchange,
    call: { kind: GatewayKind; functionName: string; qualifier?: string; event: unknown; trigger: string; timeoutMs: number | undefined; map: (payload: Buffer) => ReturnType<typeof mapResponseV2> },
  ): Promise<GatewayResponse> {
    const outcome = await invokeIntegration(this.deps, { functionName: call.functionName, qualifier: call.qualifier, payload: JSON.stringify(call.event), trigger: call.trigger }, call.timeoutMs);
    switch (outcome.kind) {
      case 'response': {
        const mapped = call.map(outcome.result.payload);
        if (!isMalformed(mapped)) return this.finish(exchange, call.kind, mapped);
        const { record } = outcome.result;
        this.deps.log({ functionName: call.functionName, requestId: record.requestId, sandboxId: record.sandboxId, line: `Execution failed due to configuration error: Malformed Lambda proxy response: ${mapped.malformed}` });
        return this.finish(exchange, call.kind, gatewayError(call.kind, 'integration-failure'));
      }
      case 'function-error': {
        const { record, payload } = outcome.result;
        this.deps.log({ functionName: call.functionName, requestId: record.requestId, sandboxId: record.sandboxId, line: `Lambda execution failed due to customer function error: ${payload.toString('utf8').slice(0, 500)}` });
        return this.finish(exchange, call.kind, gatewayError(call.kind, 'integration-failure'));
      }
      case 'timeout':
        if (!outcome.result) this.deps.log({ functionName: call.functionName, line: `Execution failed due to a timeout error: no response within the integration timeout of ${call.timeoutMs} ms; the function keeps running.` });
        return this.finish(exchange, call.kind, gatewayError(call.kind, 'timeout'));
      case 'throttled':
        return this.finish(exchange, call.kind, gatewayError(call.kind, 'throttled'));
      case 'rejected':
        this.deps.log({ functionName: call.functionName, line: `Execution failed: Lambda refused the invoke: ${outcome.error.message}` });
        return this.finish(exchange, call.kind, gatewayError(call.kind, 'invoke-rejected'));
    }
  }

  private fail(exchange: Exchange, kind: GatewayKind, functionName: string, failure: GatewayFailure, reason: string | undefined): GatewayResponse {
    if (reason) this.deps.log({ functionName, line: `${exchange.request.method} ${exchange.request.rawPath}: ${reason}` });
    return this.finish(exchange, kind, gatewayError(kind, failure));
  }

  /** The request ids each endpoint adds to every response. */
  private finish(exchange: Exchange, kind: GatewayKind, response: GatewayResponse): GatewayResponse {
    const ids: Array<[string, string]> =
      kind === 'rest'
        ? [['x-amzn-RequestId', exchange.requestId], ['x-amz-apigw-id', exchange.requestId.replace(/-/g, '').slice(0, 16)], ['X-Amzn-Trace-Id', exchange.trace]]
        : kind === 'http'
          ? [['Apigw-Requestid', exchange.requestId.replace(/-/g, '').slice(0, 16)]]
          : [['x-amzn-RequestId', exchange.requestId], ['X-Amzn-Trace-Id', exchange.trace]];
    return { ...response, headers: [...response.headers, ...ids] };
  }
}

function withRestAuth(event: RestProxyEvent, auth: Extract<AuthResult, { kind: 'pass' }>): RestProxyEvent {
  if (auth.identity) Object.assign(event.requestContext.identity, auth.identity);
  if (auth.restAuthorizer) event.requestContext.authorizer = auth.restAuthorizer;
  else if (auth.httpAuthorizer) event.requestContext.authorizer = auth.httpAuthorizer as unknown as Record<string, unknown>;
  return event;
}

function withHttpAuth(event: HttpApiEvent, auth: Extract<AuthResult, { kind: 'pass' }>): HttpApiEvent {
  if (auth.httpAuthorizer) event.requestContext.authorizer = auth.httpAuthorizer;
  return event;
}
