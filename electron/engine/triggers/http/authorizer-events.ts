import type { APIGatewayRequestAuthorizerEvent, APIGatewayRequestAuthorizerEventV2, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import type { HttpApiEvent } from './http-api-event.ts';
import type { RestProxyEvent } from './rest-event.ts';

/** `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>`: what a policy's Resource is matched against. */
export function executeApiArn(parts: { partition?: string; region: string; accountId: string; apiId: string; stage: string; method: string; path: string }): string {
  return `arn:${parts.partition ?? 'aws'}:execute-api:${parts.region}:${parts.accountId}:${parts.apiId}/${parts.stage}/${parts.method}/${parts.path.replace(/^\//, '')}`;
}

export function tokenAuthorizerEvent(methodArn: string, token: string): APIGatewayTokenAuthorizerEvent {
  return { type: 'TOKEN', authorizationToken: token, methodArn };
}

/** The REQUEST authorizer's event: the integration's 1.0 event without body, plus type and methodArn. */
export function requestAuthorizerEvent(event: RestProxyEvent, methodArn: string): APIGatewayRequestAuthorizerEvent & { version?: string; identitySource?: string; authorizationToken?: string } {
  const { requestContext } = event;
  return {
    type: 'REQUEST',
    methodArn,
    resource: event.resource,
    path: event.path,
    httpMethod: event.httpMethod,
    headers: event.headers as Record<string, string>,
    multiValueHeaders: event.multiValueHeaders as Record<string, string[]>,
    queryStringParameters: event.queryStringParameters as Record<string, string> | null,
    multiValueQueryStringParameters: event.multiValueQueryStringParameters as Record<string, string[]> | null,
    pathParameters: event.pathParameters as Record<string, string> | null,
    stageVariables: event.stageVariables as Record<string, string> | null,
    requestContext: { ...requestContext, authorizer: undefined } as unknown as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}

/** HTTP API Lambda authorizer with payload format 1.0: the REQUEST shape plus `version`, `identitySource` and `authorizationToken`. */
export function httpAuthorizerEventV1(event: RestProxyEvent, routeArn: string, identity: readonly string[]): ReturnType<typeof requestAuthorizerEvent> {
  return { version: '1.0', ...requestAuthorizerEvent(event, routeArn), identitySource: identity.join(','), authorizationToken: identity.join(',') };
}

/** HTTP API Lambda authorizer with payload format 2.0. */
export function httpAuthorizerEventV2(event: HttpApiEvent, routeArn: string, identity: readonly string[]): APIGatewayRequestAuthorizerEventV2 {
  const { authorizer: _authorizer, ...requestContext } = event.requestContext;
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn,
    identitySource: [...identity],
    routeKey: event.routeKey,
    rawPath: event.rawPath,
    rawQueryString: event.rawQueryString,
    cookies: event.cookies ?? [],
    headers: event.headers as Record<string, string>,
    ...(event.queryStringParameters ? { queryStringParameters: event.queryStringParameters as Record<string, string> } : {}),
    requestContext,
    ...(event.pathParameters ? { pathParameters: event.pathParameters as Record<string, string> } : {}),
    ...(event.stageVariables ? { stageVariables: event.stageVariables as Record<string, string> } : {}),
  };
}
