import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { ManualClock } from '../../clock.ts';
import type { InvokeRequest, InvokeResult } from '../../contract.ts';
import type { Invoker } from '../../invoke/invoker.ts';
import { loadProject } from '../../project/load-project.ts';
import type { GatewayRequest } from './gateway-request.ts';
import { LambdaAuthorizers } from './lambda-authorizer.ts';
import { GatewayRequestHandler, type GatewayLogEntry } from './request-handler.ts';
import { buildRouteTable } from './route-table.ts';
import { readTemplateResources } from '../../project/template-resources.ts';

/** A handler over a template, with the invoker (the module boundary) answering every invoke with `output`. */
async function handlerFor(resources: string, output: unknown = { statusCode: 200, body: 'ok' }) {
  const dir = mkdtempSync(join(tmpdir(), 'lambdadesk-handler-'));
  writeFileSync(join(dir, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Runtime: nodejs20.x\n    Handler: index.handler\n    CodeUri: .\nResources:\n${resources}`);
  const { model } = await loadProject(dir);
  const table = buildRouteTable(model, await readTemplateResources(model, { region: 'us-east-1', accountId: '123456789012' }));
  const calls: InvokeRequest[] = [];
  const invoker = {
    async invoke(request: InvokeRequest) {
      calls.push(request);
      return { payload: Buffer.from(JSON.stringify(output)), record: { outcome: 'success', requestId: 'r', sandboxId: 's' } } as unknown as InvokeResult;
    },
  } as unknown as Invoker;
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const logs: GatewayLogEntry[] = [];
  const handler = new GatewayRequestHandler({ invoker, clock, region: 'us-east-1', accountId: '123456789012', table: () => table, authorizers: new LambdaAuthorizers({ invoker, clock }), log: (entry) => logs.push(entry) });
  return { handler, calls, logs };
}

const request = (method: string, rawPath: string, headers: Array<[string, string]> = []): GatewayRequest => ({
  method,
  rawPath,
  rawQuery: '',
  headers: [['Host', '127.0.0.1:3000'], ...headers],
  body: Buffer.alloc(0),
  sourceIp: '127.0.0.1',
  protocol: 'HTTP/1.1',
  localPort: 3000,
});

const restWithDefaultAuthorizer = (preflight: boolean) => `
  Shop:
    Type: AWS::Serverless::Api
    Properties:
      StageName: dev
      Cors: "'*'"
      Auth:
        DefaultAuthorizer: Tok
        AddDefaultAuthorizerToCorsPreflight: ${preflight}
        Authorizers:
          Tok:
            FunctionArn: !GetAtt Auth.Arn
  Auth:
    Type: AWS::Serverless::Function
  Items:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get:
          Type: Api
          Properties: { RestApiId: !Ref Shop, Path: /items, Method: get }
`;

test('SAM puts the DefaultAuthorizer on CORS preflights, unless AddDefaultAuthorizerToCorsPreflight is false', async () => {
  const guarded = await handlerFor(restWithDefaultAuthorizer(true));
  const preflight = request('OPTIONS', '/items', [['Origin', 'https://a.example'], ['Access-Control-Request-Method', 'GET']]);
  expect((await guarded.handler.handle(preflight)).status).toBe(401);
  const open = await handlerFor(restWithDefaultAuthorizer(false));
  const response = await open.handler.handle(preflight);
  expect(response.status).toBe(200);
  expect(response.headers).toContainEqual(['Access-Control-Allow-Methods', 'GET,OPTIONS']);
  expect(open.calls).toEqual([]);
});

test('with a REST and an HTTP API on one port, an unknown route is answered in the words of the API that owns the path', async () => {
  const { handler } = await handlerFor(`
  F:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Http:
          Type: HttpApi
          Properties: { Path: /things, Method: GET }
        Rest:
          Type: Api
          Properties: { Path: /items, Method: GET }
`);
  const body = async (method: string, path: string) => {
    const response = await handler.handle(request(method, path));
    return [response.status, JSON.parse(response.body.toString()) as unknown];
  };
  expect(await body('DELETE', '/items')).toEqual([403, { message: 'Missing Authentication Token' }]);
  expect(await body('DELETE', '/things')).toEqual([404, { message: 'Not Found' }]);
  expect((await handler.handle(request('GET', '/things'))).status).toBe(200);
});

test('a malformed response is logged with the reason, and the client gets 502', async () => {
  const { handler, logs } = await handlerFor(`
  F:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Rest:
          Type: Api
          Properties: { Path: /items, Method: GET }
`, { statusCode: 200, body: 'x', unexpected: true });
  const response = await handler.handle(request('GET', '/items'));
  expect(response.status).toBe(502);
  expect(logs).toEqual([expect.objectContaining({ functionName: 'F', line: expect.stringContaining('Malformed Lambda proxy response: unexpected keys unexpected') })]);
});

test('the invoke names the route as its trigger, and AutoPublishAlias as its qualifier', async () => {
  const { handler, calls } = await handlerFor(`
  F:
    Type: AWS::Serverless::Function
    Properties:
      AutoPublishAlias: live
      Events:
        Rest:
          Type: Api
          Properties: { Path: '/items/{id}', Method: GET }
`);
  await handler.handle(request('GET', '/items/1'));
  expect(calls).toEqual([expect.objectContaining({ functionName: 'F', qualifier: 'live', trigger: 'http:GET /items/{id}' })]);
});
