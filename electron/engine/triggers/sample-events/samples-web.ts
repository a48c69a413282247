import { P, param, type SampleEventDefinition, type SampleValues } from './sample-event-types.ts';

const body = param('body', '{"test":"body"}', { encoding: 'base64' });
const clientCert = () => ({
  clientCertPem: 'CERT_CONTENT',
  subjectDN: 'www.example.com',
  issuerDN: 'Example issuer',
  serialNumber: 'a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1',
  validity: { notBefore: 'May 28 12:30:02 2019 GMT', notAfter: 'Aug  5 09:36:04 2021 GMT' },
});
const methodArn = (v: SampleValues) => `arn:${v.partition}:execute-api:${v.region}:${v['account-id']}:${v.restApiId}/${v.stage}/${v.method}/${v.resource}`;

// REST API (payload 1.0) proxy headers; multiValueHeaders repeat them as lists (Host differs in SAM's sample).
function proxyHeaders(v: SampleValues, host: string): Record<string, string> {
  return {
    Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8',
    'Accept-Encoding': 'gzip, deflate, sdch',
    'Accept-Language': 'en-US,en;q=0.8',
    'Cache-Control': 'max-age=0',
    'CloudFront-Forwarded-Proto': 'https',
    'CloudFront-Is-Desktop-Viewer': 'true',
    'CloudFront-Is-Mobile-Viewer': 'false',
    'CloudFront-Is-SmartTV-Viewer': 'false',
    'CloudFront-Is-Tablet-Viewer': 'false',
    'CloudFront-Viewer-Country': 'US',
    Host: `${host}.execute-api.${v['dns-suffix']}`,
    'Upgrade-Insecure-Requests': '1',
    'User-Agent': 'Custom User Agent String',
    Via: '1.1 08f323deadbeefa7af34d5feb414ce27.cloudfront.net (CloudFront)',
    'X-Amz-Cf-Id': 'cDehVQoZnx43VYQb9j2-nvCh-9z396Uhbp027Y2JvkCPNLmGJHqlaA==',
    'X-Forwarded-For': '127.0.0.1, 127.0.0.2',
    'X-Forwarded-Port': '443',
    'X-Forwarded-Proto': 'https',
  };
}

/** Parses a `dict` parameter; text that is not JSON stays text, as SAM does. */
function dict(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// CloudFront Lambda@Edge: headers are lists of {key, value} under their lower-case names.
function headers(...pairs: Array<[string, string]>): Record<string, Array<{ key: string; value: string }>> {
  return Object.fromEntries(pairs.map(([key, value]) => [key.toLowerCase(), [{ key, value }]]));
}
const HOST: [string, string] = ['Host', 'd123.cf.net'];
const AGENT: [string, string] = ['User-Agent', 'Test Agent'];
const USER_NAME: [string, string] = ['User-Name', 'aws-cloudfront'];
const CLIENT_IP = '2001:cdba::3257:9652';
const uriParameters = [param('uri', '/test'), param('method', 'GET')];

function edge(event: string, help: string, cf: (v: SampleValues) => Record<string, unknown>, parameters = uriParameters): SampleEventDefinition {
  return {
    service: 'cloudfront',
    event,
    help: `Generates an Amazon CloudFront ${help} Event`,
    parameters,
    build: (v) => ({ Records: [{ cf: { config: { distributionId: 'EXAMPLE' }, ...cf(v) } }] }),
  };
}
const viewerRequest = (v: SampleValues, extra: Record<string, unknown>, ...pairs: Array<[string, string]>) => ({
  request: { uri: v.uri, ...('querystring' in extra ? { querystring: extra.querystring } : {}), method: v.method, clientIp: CLIENT_IP, headers: headers(...pairs) },
});

export const WEB_SAMPLES: SampleEventDefinition[] = [
  {
    service: 'alb',
    event: 'request',
    help: 'Generates an Application Load Balancer Event',
    parameters: [body, param('method', 'POST', { type: 'string' }), param('path', 'path/to/resource', { type: 'string' }), P.account, param('dns-suffix', 'us-east-2.elb.amazonaws.com')],
    build: (v) => ({
      requestContext: { elb: { targetGroupArn: `arn:aws:elasticloadbalancing:us-east-2:${v['account-id']}:targetgroup/lambda-279XGJDqGZ5rsrHC2Fjr/49e9d65c45c6791a` } },
      httpMethod: v.method,
      path: `/${v.path}`,
      queryStringParameters: { query: '1234ABCD' },
      headers: {
        accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,image/apng,*/*;q=0.8',
        'accept-encoding': 'gzip',
        'accept-language': 'en-US,en;q=0.9',
        connection: 'keep-alive',
        host: `lambda-alb-123578498.${v['dns-suffix']}`,
        'upgrade-insecure-requests': '1',
        'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/71.0.3578.98 Safari/537.36',
        'x-amzn-trace-id': 'Root=1-5c536348-3d683b8b04734faae651f476',
        'x-forwarded-for': '72.12.164.125',
        'x-forwarded-port': '80',
        'x-forwarded-proto': 'http',
        'x-imforwards': '20',
      },
      body: v.body,
      isBase64Encoded: true,
    }),
  },
  {
    service: 'apigateway',
    event: 'authorizer',
    help: 'Generates an Amazon API Gateway Authorizer Event',
    parameters: [P.account, P.partition, P.region, param('stage', 'prod'), param('method', 'POST'), param('resource', '{proxy+}'), param('restApiId', 'example')],
    build: (v) => ({ type: 'TOKEN', authorizationToken: 'incoming-client-token', methodArn: methodArn(v) }),
  },
  {
    service: 'apigateway',
    event: 'request-authorizer',
    help: 'Generates an Amazon API Gateway Request Authorizer Event',
    parameters: [P.account, P.partition, P.region, param('stage', 'test'), param('method', 'GET'), param('resource', 'request'), param('restApiId', 'abcdef123')],
    build: (v) => ({
      type: 'REQUEST',
      methodArn: methodArn(v),
      resource: `/${v.resource}`,
      path: `/${v.resource}`,
      httpMethod: v.method,
      headers: {
        'X-AMZ-Date': '20170718T062915Z',
        Accept: '*/*',
        HeaderAuth1: 'headerValue1',
        'CloudFront-Viewer-Country': 'US',
        'CloudFront-Forwarded-Proto': 'https',
        'CloudFront-Is-Tablet-Viewer': 'false',
        'CloudFront-Is-Mobile-Viewer': 'false',
        'User-Agent': '...',
      },
      queryStringParameters: { QueryString1: 'queryValue1' },
      pathParameters: {},
      stageVariables: { StageVar1: 'stageValue1' },
      requestContext: {
        path: `/${v.resource}`,
        accountId: v['account-id'],
        resourceId: '05c7jb',
        stage: v.stage,
        requestId: '...',
        identity: { apiKey: '...', sourceIp: '...', clientCert: clientCert() },
        resourcePath: `/${v.resource}`,
        httpMethod: v.method,
        apiId: v.restApiId,
      },
    }),
  },
  {
    service: 'apigateway',
    event: 'aws-proxy',
    help: 'Generates an Amazon API Gateway AWS Proxy Event',
    parameters: [
      body,
      param('stage', 'prod'),
      param('method', 'POST'),
      param('resource', '/{proxy+}'),
      param('path', 'path/to/resource'),
      param('querystringparameters', '{"foo": "bar"}', { type: 'dict' }),
      P.account,
      param('dns-suffix', 'us-east-1.amazonaws.com'),
    ],
    build: (v) => {
      const single = proxyHeaders(v, '1234567890');
      const multi = Object.fromEntries(Object.entries(proxyHeaders(v, '0123456789')).map(([k, x]) => [k, [x]]));
      return {
        body: v.body,
        resource: v.resource,
        path: `/${v.path}`,
        httpMethod: v.method,
        isBase64Encoded: true,
        queryStringParameters: dict(v.querystringparameters!),
        multiValueQueryStringParameters: { foo: ['bar'] },
        pathParameters: { proxy: `/${v.path}` },
        stageVariables: { baz: 'qux' },
        headers: single,
        multiValueHeaders: multi,
        requestContext: {
          accountId: v['account-id'],
          resourceId: '123456',
          stage: v.stage,
          requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
          requestTime: '09/Apr/2015:12:34:56 +0000',
          requestTimeEpoch: 1428582896000,
          identity: {
            cognitoIdentityPoolId: null,
            accountId: null,
            cognitoIdentityId: null,
            caller: null,
            accessKey: null,
            sourceIp: '127.0.0.1',
            cognitoAuthenticationType: null,
            cognitoAuthenticationProvider: null,
            userArn: null,
            userAgent: 'Custom User Agent String',
            user: null,
          },
          path: `/${v.stage}/${v.path}`,
          resourcePath: v.resource,
          httpMethod: v.method,
          apiId: '1234567890',
          protocol: 'HTTP/1.1',
        },
      };
    },
  },
  {
    service: 'apigateway',
    event: 'http-api-proxy',
    help: 'Generates an Amazon API Gateway Http API Event',
    parameters: [body, param('stage', '$default'), param('method', 'POST'), param('path', 'path/to/resource'), P.account, param('dns-suffix', 'us-east-1.amazonaws.com')],
    build: (v) => ({
      version: '2.0',
      routeKey: '$default',
      rawPath: `/${v.path}`,
      rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
      cookies: ['cookie1', 'cookie2'],
      headers: { Header1: 'value1', Header2: 'value1,value2' },
      queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
      requestContext: {
        accountId: v['account-id'],
        apiId: 'api-id',
        authentication: { clientCert: clientCert() },
        authorizer: { jwt: { claims: { claim1: 'value1', claim2: 'value2' }, scopes: ['scope1', 'scope2'] } },
        domainName: `id.execute-api.${v['dns-suffix']}`,
        domainPrefix: 'id',
        http: { method: v.method, path: `/${v.path}`, protocol: 'HTTP/1.1', sourceIp: '192.168.0.1/32', userAgent: 'agent' },
        requestId: 'id',
        routeKey: '$default',
        stage: v.stage,
        time: '12/Mar/2020:19:03:58 +0000',
        timeEpoch: 1583348638390,
      },
      body: v.body,
      pathParameters: { parameter1: 'value1' },
      isBase64Encoded: true,
      stageVariables: { stageVariable1: 'value1', stageVariable2: 'value2' },
    }),
  },
  {
    service: 'appsync',
    event: 'resolver',
    help: 'Generates an AWS AppSync Event',
    parameters: [],
    build: () => ({
      arguments: { id: 'my identifier' },
      identity: {
        claims: {
          sub: '192879fc-a240-4bf1-ab5a-d6a00f3063f9',
          email_verified: true,
          iss: 'https://cognito-idp.us-west-2.amazonaws.com/us-west-xxxxxxxxxxx',
          phone_number_verified: false,
          'cognito:username': 'jdoe',
          aud: '7471s60os7h0uu77i1tk27sp9n',
          event_id: 'bc334ed8-a938-4474-b644-9547e304e606',
          token_use: 'id',
          auth_time: 1599154213,
          phone_number: '+19999999999',
          exp: 1599157813,
          iat: 1599154213,
          email: 'jdoe@email.com',
        },
        defaultAuthStrategy: 'ALLOW',
        groups: null,
        issuer: 'https://cognito-idp.us-west-2.amazonaws.com/us-west-xxxxxxxxxxx',
        sourceIp: ['1.1.1.1'],
        sub: '192879fc-a240-4bf1-ab5a-d6a00f3063f9',
        username: 'jdoe',
      },
      source: null,
      request: {
        headers: {
          'x-forwarded-for': '1.1.1.1, 2.2.2.2',
          'cloudfront-viewer-country': 'US',
          'cloudfront-is-tablet-viewer': 'false',
          via: '2.0 xxxxxxxxxxxxxxxx.cloudfront.net (CloudFront)',
          'cloudfront-forwarded-proto': 'https',
          origin: 'https://us-west-1.console.aws.amazon.com',
          'content-length': '217',
          'accept-language': 'en-US,en;q=0.9',
          host: 'xxxxxxxxxxxxxxxx.appsync-api.us-west-1.amazonaws.com',
          'x-forwarded-proto': 'https',
          'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/85.0.4183.83 Safari/537.36',
          accept: '*/*',
          'cloudfront-is-mobile-viewer': 'false',
          'cloudfront-is-smarttv-viewer': 'false',
          'accept-encoding': 'gzip, deflate, br',
          referer: 'https://us-west-1.console.aws.amazon.com/appsync/home?region=us-west-1',
          'content-type': 'application/json',
          'sec-fetch-mode': 'cors',
          'x-amz-cf-id': '3aykhqlUwQeANU-HGY7E_guV5EkNeMMtwyOgiA==',
          'x-amzn-trace-id': 'Root=1-5f512f51-fac632066c5e848ae714',
          authorization: 'eyJraWQiOiJScWFCSlJqYVJlM0hrSnBTUFpIcVRXazNOW...',
          'sec-fetch-dest': 'empty',
          'x-amz-user-agent': 'AWS-Console-AppSync/',
          'cloudfront-is-desktop-viewer': 'true',
          'sec-fetch-site': 'cross-site',
          'x-forwarded-port': '443',
        },
      },
      prev: null,
      info: { selectionSetList: ['id', 'field1', 'field2'], selectionSetGraphQL: '{\n  id\n  field1\n  field2\n}', parentTypeName: 'Mutation', fieldName: 'createSomething', variables: {} },
      stash: {},
    }),
  },
  edge('ab-test', 'A/B Test', (v) => viewerRequest(v, {}, AGENT, HOST, ['Cookie', 'SomeCookie=1; AnotherOne=A; X-Experiment-Name=B'])),
  edge('access-request-in-response', 'Access Request in Response', (v) => ({
    request: { headers: headers(HOST, ['User-Name', 'CloudFront']), clientIp: CLIENT_IP, uri: v.uri, method: v.method },
    response: { status: '200', statusDescription: 'OK', headers: headers(['X-Cache', 'Hello from Cloudfront']) },
  })),
  edge('http-redirect', 'HTTP Redirect', (v) => viewerRequest(v, {}, ['User-Agent', 'test-agent'], HOST)),
  edge('modify-querystring', 'Modify QueryString', (v) => viewerRequest(v, { querystring: 'auth=test&foo=bar' }, HOST, AGENT, USER_NAME)),
  edge(
    'modify-response-header',
    'Modify Response Header',
    () => ({ response: { status: '200', statusDescription: 'OK', headers: headers(['Vary', '*'], ['Last-Modified', '2016-11-25'], ['X-Amz-Meta-Last-Modified', '2016-01-01']) } }),
    [],
  ),
  edge('multiple-remote-calls-aggregate-response', 'Multiple Remote Calls Aggregate Response', (v) => viewerRequest(v, {}, HOST, AGENT), [param('uri', '/forecast/Seattle:NewYork:Chicago:SanFrancisco'), param('method', 'GET')]),
  edge('normalize-querystring-to-improve-cache-hit', 'Normalize Querystring', (v) => viewerRequest(v, { querystring: 'size=LARGE&color=RED' }, HOST, AGENT, USER_NAME)),
  edge('redirect-on-viewer-country', 'Redirect on Viewer Country', (v) => viewerRequest(v, {}, HOST, ['CloudFront-Viewer-Country', 'TW'])),
  edge('redirect-unauthenticated-users', 'Redirect Unauthenticated Users', (v) => ({ request: { uri: v.uri, method: v.method, querystring: 'foo=bar', headers: headers(HOST) } })),
  edge('response-generation', 'Response Generation', (v) => viewerRequest(v, {}, HOST)),
  edge('serve-object-on-viewer-device', 'Serve Object on Viewer Device', (v) =>
    viewerRequest(v, {}, HOST, ['CloudFront-Is-Desktop-Viewer', 'true'], ['CloudFront-Is-Mobile-Viewer', 'false'], ['CloudFront-Is-SmartTV-Viewer', 'false'], ['CloudFront-Is-Tablet-Viewer', 'false']),
  ),
  edge('simple-remote-call', 'Simple Remote Call', (v) => viewerRequest(v, {}, HOST, AGENT, USER_NAME)),
];
