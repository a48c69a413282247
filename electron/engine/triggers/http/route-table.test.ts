import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { loadProject } from '../../project/load-project.ts';
import { buildRouteTable, findRoute, type RouteTable } from './route-table.ts';
import { readTemplateResources } from '../../project/template-resources.ts';

async function tableOf(resources: string, globals = ''): Promise<RouteTable> {
  const dir = mkdtempSync(join(tmpdir(), 'lambdadesk-routes-'));
  writeFileSync(join(dir, 'index.js'), 'exports.handler = async () => ({});\n');
  writeFileSync(
    join(dir, 'template.yaml'),
    `Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Runtime: nodejs20.x\n    Handler: index.handler\n    CodeUri: .\n${globals}Resources:\n${resources}`,
  );
  const { model } = await loadProject(dir);
  return buildRouteTable(model, await readTemplateResources(model, { region: 'us-east-1', accountId: '123456789012' }));
}

const fn = (name: string, events: string, extra = '') => `  ${name}:\n    Type: AWS::Serverless::Function\n    Properties:\n${extra}      Events:\n${events}`;
const event = (name: string, type: string, props: string) => `        ${name}:\n          Type: ${type}\n          Properties: ${props}\n`;

test('the implicit REST API takes Globals.Api and stage Prod; an explicit one its StageName', async () => {
  const table = await tableOf(
    `  Shop:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n` +
      fn('F', event('A', 'Api', '{ Path: /a, Method: get }') + event('B', 'Api', '{ RestApiId: !Ref Shop, Path: /b, Method: post }')),
    `  Api:\n    BinaryMediaTypes: ['image~1*']\n    Cors: "'*'"\n`,
  );
  const [implicit, explicit] = table.routes;
  expect(implicit).toMatchObject({ routeKey: 'GET /a', payloadFormatVersion: '1.0', integrationTimeoutMs: 29_000, api: { logicalId: 'ServerlessRestApi', stage: 'Prod', binaryMediaTypes: ['image/*'], restCors: { allowOrigin: '*' } } });
  expect(explicit).toMatchObject({ routeKey: 'POST /b', api: { logicalId: 'Shop', stage: 'v1', binaryMediaTypes: ['image/*'] } });
});

test('HTTP APIs: payload 2.0 unless the event or the HttpApi resource says 1.0; $default without Path and Method', async () => {
  const table = await tableOf(
    `  Old:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      PayloadFormatVersion: '1.0'\n` +
      fn('F', event('A', 'HttpApi', '{ Path: /a, Method: GET }') + event('B', 'HttpApi', "{ Path: /b, Method: GET, PayloadFormatVersion: '1.0', TimeoutInMillis: 99999 }") + event('C', 'HttpApi', '{ ApiId: !Ref Old }')),
  );
  expect(table.routes.map((r) => [r.routeKey, r.payloadFormatVersion, r.api.stage, r.integrationTimeoutMs])).toEqual([
    ['GET /a', '2.0', '$default', 30_000],
    ['GET /b', '1.0', '$default', 30_000],
    ['$default', '1.0', '$default', 30_000],
  ]);
});

test('the most specific route wins: literal over parameter over greedy, exact method over ANY, $default last', async () => {
  const table = await tableOf(
    fn('Catch', event('D', 'HttpApi', '{}')) +
      fn('Greedy', event('G', 'HttpApi', "{ Path: '/items/{proxy+}', Method: ANY }")) +
      fn('Param', event('P', 'HttpApi', "{ Path: '/items/{id}', Method: ANY }")) +
      fn('ParamGet', event('PG', 'HttpApi', "{ Path: '/items/{id}', Method: GET }")) +
      fn('Literal', event('L', 'HttpApi', '{ Path: /items/special, Method: GET }')),
  );
  const target = (method: string, path: string) => findRoute(table, method, path)?.route.functionName;
  expect(target('GET', '/items/special')).toBe('Literal');
  expect(target('GET', '/items/7')).toBe('ParamGet');
  expect(target('POST', '/items/7')).toBe('Param');
  expect(target('GET', '/items/7/parts')).toBe('Greedy');
  expect(target('GET', '/elsewhere')).toBe('Catch');
});

test('what cannot be served is a warning naming the event: unknown API, bad path, bad method, a route declared twice', async () => {
  const table = await tableOf(
    fn('F', event('Unknown', 'Api', '{ RestApiId: Nope, Path: /a, Method: get }') + event('BadPath', 'Api', "{ Path: '/a/{id}.json', Method: get }") + event('BadMethod', 'Api', '{ Path: /m, Method: FETCH }') + event('First', 'Api', '{ Path: /x, Method: get }')) +
      fn('G', event('Second', 'Api', '{ Path: /x, Method: get }')),
  );
  expect(table.routes.map((route) => route.eventName)).toEqual(['First']);
  expect(table.warnings.map((w) => w.field)).toEqual([
    'Resources.F.Properties.Events.Unknown.Properties.RestApiId',
    'Resources.F.Properties.Events.BadPath.Properties.Path',
    'Resources.F.Properties.Events.BadMethod.Properties.Method',
    'Resources.G.Properties.Events.Second.Properties',
  ]);
  expect(table.warnings[3]?.message).toContain('GET /x is already served by F');
});

test('authorizers: the event\'s, else the API\'s default; NONE opts out; AutoPublishAlias is the invoked qualifier', async () => {
  const table = await tableOf(
    `  Shop:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: dev\n      Auth:\n        DefaultAuthorizer: Tok\n        Authorizers:\n          Tok:\n            FunctionArn: !GetAtt Auth.Arn\n` +
      fn('F', event('Guarded', 'Api', '{ RestApiId: !Ref Shop, Path: /g, Method: get }') + event('Open', 'Api', '{ RestApiId: !Ref Shop, Path: /o, Method: get, Auth: { Authorizer: NONE } }'), '      AutoPublishAlias: live\n') +
      `  Auth:\n    Type: AWS::Serverless::Function\n`,
  );
  const [guarded, open] = table.routes;
  expect(guarded?.auth).toMatchObject({ kind: 'authorizer', authorizer: { kind: 'token', name: 'Tok', header: 'Authorization', ttlSeconds: 300, functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:Auth' } });
  expect(open?.auth).toEqual({ kind: 'none' });
  expect(guarded?.qualifier).toBe('live');
});

test('Function URLs get a stable 32-character id', async () => {
  const table = await tableOf(`  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionUrlConfig:\n        AuthType: AWS_IAM\n`);
  const again = await tableOf(`  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionUrlConfig:\n        AuthType: AWS_IAM\n`);
  expect(table.functionUrls).toEqual([expect.objectContaining({ functionName: 'F', authType: 'AWS_IAM', urlId: expect.stringMatching(/^[a-z0-9]{32}$/) })]);
  expect(again.functionUrls[0]?.urlId).toBe(table.functionUrls[0]?.urlId);
});
