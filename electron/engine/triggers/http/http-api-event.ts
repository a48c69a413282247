import type {
  APIGatewayEventRequestContextIAMAuthorizer,
  APIGatewayEventRequestContextJWTAuthorizer,
  APIGatewayEventRequestContextLambdaAuthorizer,
  APIGatewayEventRequestContextV2,
  APIGatewayProxyEventV2WithRequestContext,
} from 'aws-lambda';
import { isTextType, mediaType } from './binary-media.ts';
import { forwardedHeaders, header, queryPairs, type GatewayRequest } from './gateway-request.ts';
import { formatRequestTime } from './request-time.ts';

export type HttpAuthorizerContext =
  | APIGatewayEventRequestContextLambdaAuthorizer<Record<string, unknown>>
  | APIGatewayEventRequestContextJWTAuthorizer
  | APIGatewayEventRequestContextIAMAuthorizer;

/** `authorizer` is there only behind an authorizer; `authentication` only with mutual TLS, which a local HTTP port has not. */
export type HttpApiRequestContext = APIGatewayEventRequestContextV2 & { authorizer?: HttpAuthorizerContext };

/** Payload format 2.0 (HTTP APIs and Function URLs), field for field as SAM's HttpApi sample. */
export type HttpApiEvent = APIGatewayProxyEventV2WithRequestContext<HttpApiRequestContext>;

export interface HttpApiEventInput {
  request: GatewayRequest;
  /** `GET /things/{id}`, or `$default`. */
  routeKey: string;
  /** The path as sent (percent-encoded); on AWS it carries the stage name unless the stage is `$default`. */
  rawPath: string;
  /** Omitted for Function URLs, which have no path parameters. */
  pathParameters?: Record<string, string>;
  stage: string;
  stageVariables?: Record<string, string> | null;
  apiId: string;
  accountId: string;
  requestId: string;
  epochMs: number;
  trace: string;
  domainName: string;
  domainPrefix: string;
}

/** Cookies travel apart from the headers in 2.0: each `name=value` of every Cookie header. */
export function splitCookies(request: GatewayRequest): string[] {
  return request.headers
    .filter(([name]) => name.toLowerCase() === 'cookie')
    .flatMap(([, value]) => value.split(';'))
    .map((cookie) => cookie.trim())
    .filter((cookie) => cookie !== '');
}

/** Lowercased names, repeated headers joined with commas, and no Cookie header. */
export function joinedHeaders(pairs: ReadonlyArray<readonly [string, string]>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    if (key === 'cookie') continue;
    headers[key] = headers[key] === undefined ? value : `${headers[key]},${value}`;
  }
  return headers;
}

/** Query values decoded and, when a name repeats, joined with commas. */
export function joinedQuery(rawQuery: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of queryPairs(rawQuery)) query[key] = query[key] === undefined ? value : `${query[key]},${value}`;
  return query;
}

function decodePath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return rawPath;
  }
}

/** Optional members are left out when empty, as AWS does, rather than sent as null. */
export function buildHttpApiEvent(input: HttpApiEventInput): HttpApiEvent {
  const { request } = input;
  const cookies = splitCookies(request);
  const query = joinedQuery(request.rawQuery);
  const hasBody = request.body.length > 0;
  const binary = !isTextType(mediaType(header(request, 'content-type')));
  const requestContext: HttpApiRequestContext = {
    accountId: input.accountId,
    apiId: input.apiId,
    domainName: input.domainName,
    domainPrefix: input.domainPrefix,
    http: {
      method: request.method,
      path: decodePath(input.rawPath),
      protocol: request.protocol,
      sourceIp: request.sourceIp,
      userAgent: header(request, 'user-agent') ?? '',
    },
    requestId: input.requestId,
    routeKey: input.routeKey,
    stage: input.stage,
    time: formatRequestTime(input.epochMs),
    timeEpoch: Math.floor(input.epochMs),
  };
  const event: HttpApiEvent = {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: input.rawPath,
    rawQueryString: request.rawQuery,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers: joinedHeaders(forwardedHeaders(request, input.trace)),
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext,
    ...(hasBody ? { body: request.body.toString(binary ? 'base64' : 'utf8') } : {}),
    ...(input.pathParameters && Object.keys(input.pathParameters).length > 0 ? { pathParameters: { ...input.pathParameters } } : {}),
    isBase64Encoded: hasBody && binary,
    ...(input.stageVariables && Object.keys(input.stageVariables).length > 0 ? { stageVariables: { ...input.stageVariables } } : {}),
  };
  return event;
}
