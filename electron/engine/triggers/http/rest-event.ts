import type { APIGatewayEventIdentity, APIGatewayEventRequestContextWithAuthorizer, APIGatewayProxyEvent } from 'aws-lambda';
import { forwardedHeaders, header, queryPairs, type GatewayRequest } from './gateway-request.ts';
import { formatRequestTime, stableId } from './request-time.ts';

/** The identity fields of SAM's AwsProxy sample; AWS adds `apiKey`, `clientCert`, … only when those features are on. */
export type RestIdentity = Pick<
  APIGatewayEventIdentity,
  'cognitoIdentityPoolId' | 'accountId' | 'cognitoIdentityId' | 'caller' | 'accessKey' | 'sourceIp' | 'cognitoAuthenticationType' | 'cognitoAuthenticationProvider' | 'userArn' | 'userAgent' | 'user'
>;

export type RestRequestContext = Pick<
  APIGatewayEventRequestContextWithAuthorizer<unknown>,
  'accountId' | 'resourceId' | 'stage' | 'requestId' | 'requestTimeEpoch' | 'path' | 'resourcePath' | 'httpMethod' | 'apiId' | 'protocol'
> & {
  requestTime: string;
  identity: RestIdentity;
  /** Present only behind an authorizer: its context plus `principalId` (Lambda) or `claims` (Cognito). */
  authorizer?: Record<string, unknown>;
};

/** Payload format 1.0, field for field as SAM's AwsProxy sample; HTTP APIs add `version: "1.0"`. */
export type RestProxyEvent = Omit<APIGatewayProxyEvent, 'requestContext'> & { version?: '1.0'; requestContext: RestRequestContext };

export interface RestEventInput {
  request: GatewayRequest;
  /** The route's path as declared, `/items/{id}`. */
  resource: string;
  /** The request path as the function sees it: decoded, without the stage for REST APIs. */
  path: string;
  pathParameters: Record<string, string>;
  stage: string;
  stageVariables: Record<string, string> | null;
  apiId: string;
  accountId: string;
  requestId: string;
  epochMs: number;
  trace: string;
  /** Whether the body travels base64-encoded (REST: its type is one of `binaryMediaTypes`). */
  bodyIsBinary: boolean;
  /** `requestContext.path`: the path on the execute-api domain, stage included. */
  contextPath: string;
  /** Set for HTTP APIs with payload format 1.0. */
  version?: '1.0';
  /** REST: a six-character id per resource; HTTP APIs use the route key. */
  resourceId?: string;
}

/** Last value per name (first spelling kept) and every value, as API Gateway's two header maps. */
export function singleAndMulti(pairs: ReadonlyArray<readonly [string, string]>): { single: Record<string, string>; multi: Record<string, string[]> } {
  const spelling = new Map<string, string>();
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of pairs) {
    const key = spelling.get(name.toLowerCase()) ?? name;
    spelling.set(name.toLowerCase(), key);
    single[key] = value;
    (multi[key] ??= []).push(value);
  }
  return { single, multi };
}

export function restIdentity(request: GatewayRequest): RestIdentity {
  return {
    cognitoIdentityPoolId: null,
    accountId: null,
    cognitoIdentityId: null,
    caller: null,
    accessKey: null,
    sourceIp: request.sourceIp,
    cognitoAuthenticationType: null,
    cognitoAuthenticationProvider: null,
    userArn: null,
    userAgent: header(request, 'user-agent') ?? null,
    user: null,
  };
}

export function buildRestEvent(input: RestEventInput): RestProxyEvent {
  const { request } = input;
  const headers = singleAndMulti(forwardedHeaders(request, input.trace));
  const query = queryPairs(request.rawQuery);
  const queries = singleAndMulti(query);
  const hasBody = request.body.length > 0;
  const event: RestProxyEvent = {
    ...(input.version ? { version: input.version } : {}),
    body: hasBody ? request.body.toString(input.bodyIsBinary ? 'base64' : 'utf8') : null,
    resource: input.resource,
    path: input.path,
    httpMethod: request.method,
    isBase64Encoded: hasBody && input.bodyIsBinary,
    queryStringParameters: query.length > 0 ? queries.single : null,
    multiValueQueryStringParameters: query.length > 0 ? queries.multi : null,
    pathParameters: Object.keys(input.pathParameters).length > 0 ? { ...input.pathParameters } : null,
    stageVariables: input.stageVariables && Object.keys(input.stageVariables).length > 0 ? { ...input.stageVariables } : null,
    headers: headers.single,
    multiValueHeaders: headers.multi,
    requestContext: {
      accountId: input.accountId,
      resourceId: input.resourceId ?? stableId(`${input.apiId} ${input.resource}`, 6),
      stage: input.stage,
      requestId: input.requestId,
      requestTime: formatRequestTime(input.epochMs),
      requestTimeEpoch: Math.floor(input.epochMs),
      identity: restIdentity(request),
      path: input.contextPath,
      resourcePath: input.resource,
      httpMethod: request.method,
      apiId: input.apiId,
      protocol: request.protocol,
    },
  };
  return event;
}
