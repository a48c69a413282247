import type {
  APIGatewayEventIdentity,
  APIGatewayEventRequestContextWithAuthorizer,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyEventV2WithLambdaAuthorizer,
  LambdaFunctionURLEvent,
} from 'aws-lambda';
import { expectTypeOf, test } from 'vitest';
import type { buildHttpApiEvent, HttpApiEvent } from './http-api-event.ts';
import type { buildRestEvent, RestProxyEvent } from './rest-event.ts';

test('payload 2.0 events are @types/aws-lambda\'s APIGatewayProxyEventV2, LambdaFunctionURLEvent included', () => {
  expectTypeOf<ReturnType<typeof buildHttpApiEvent>>().toEqualTypeOf<HttpApiEvent>();
  expectTypeOf<HttpApiEvent>().toExtend<APIGatewayProxyEventV2>();
  expectTypeOf<HttpApiEvent>().toExtend<LambdaFunctionURLEvent>();
  expectTypeOf<Omit<HttpApiEvent, 'requestContext'>>().toEqualTypeOf<Omit<APIGatewayProxyEventV2, 'requestContext'>>();
});

test('the authorizer members are those of the JWT and Lambda authorizer event types', () => {
  type Jwt = NonNullable<APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer']>;
  type Lambda = APIGatewayProxyEventV2WithLambdaAuthorizer<Record<string, unknown>>['requestContext']['authorizer'];
  expectTypeOf<Jwt>().toExtend<NonNullable<HttpApiEvent['requestContext']['authorizer']>>();
  expectTypeOf<Lambda>().toExtend<NonNullable<HttpApiEvent['requestContext']['authorizer']>>();
});

test('payload 1.0 events have APIGatewayProxyEvent\'s members with its types', () => {
  expectTypeOf<ReturnType<typeof buildRestEvent>>().toEqualTypeOf<RestProxyEvent>();
  expectTypeOf<Omit<RestProxyEvent, 'requestContext' | 'version'>>().toEqualTypeOf<Omit<APIGatewayProxyEvent, 'requestContext'>>();
  type Context = RestProxyEvent['requestContext'];
  type AwsContext = APIGatewayEventRequestContextWithAuthorizer<unknown>;
  expectTypeOf<Omit<Context, 'identity' | 'authorizer'>>().toExtend<Pick<AwsContext, Exclude<keyof Context, 'identity' | 'authorizer'>>>();
  expectTypeOf<Context['identity']>().toExtend<Pick<APIGatewayEventIdentity, keyof Context['identity']>>();
});

test('what 1.0 events leave out is exactly what SAM\'s AwsProxy sample leaves out', () => {
  // AWS adds these identity fields for API keys, mutual TLS, organizations and VPC endpoints; the sample has none of them.
  type MissingIdentity = Exclude<keyof APIGatewayEventIdentity, keyof RestProxyEvent['requestContext']['identity']>;
  expectTypeOf<MissingIdentity>().toEqualTypeOf<'apiKey' | 'apiKeyId' | 'clientCert' | 'principalOrgId' | 'vpcId' | 'vpceId'>();
  // `authorizer` is sent only behind an authorizer, so it is optional here and required (possibly undefined) there.
  type MissingContext = Exclude<keyof APIGatewayEventRequestContextWithAuthorizer<unknown>, keyof RestProxyEvent['requestContext']>;
  expectTypeOf<MissingContext>().toEqualTypeOf<
    'connectedAt' | 'connectionId' | 'domainName' | 'domainPrefix' | 'eventType' | 'extendedRequestId' | 'messageDirection' | 'messageId' | 'routeKey'
  >();
});
