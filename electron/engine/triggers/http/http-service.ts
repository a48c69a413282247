import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProjectModel, ProjectWarning } from '../../contract.ts';
import type { EngineContext, EngineService } from '../../engine-context.ts';
import { gatewayError } from './gateway-errors.ts';
import { readGatewayRequest, RequestTooLongError } from './gateway-request.ts';
import { sendGatewayResponse } from './gateway-response.ts';
import { ApiPortUnavailableError, GatewayServer } from './gateway-server.ts';
import { LambdaAuthorizers } from './lambda-authorizer.ts';
import { GatewayRequestHandler, type GatewayLogEntry } from './request-handler.ts';
import { describeRoutes, routeBannerLines, type HttpRouteInfo } from './route-info.ts';
import { buildRouteTable, type RouteTable } from './route-table.ts';
import { readTemplateResources } from '../../project/template-resources.ts';

export interface HttpService extends EngineService {
  /** `http://127.0.0.1:3000` (the bound port when `--api-port 0`). */
  readonly url: string;
  /** Whether the port is open: only once the project declares a route or a Function URL. */
  readonly listening: boolean;
  /** Why the port could not be opened (in use, not permitted), with the fix; undefined when all is well. */
  readonly unavailable: { message: string; fix?: string } | undefined;
  /** Every route and Function URL with the local URL to call, for the UI and serve's banner. */
  routes(): HttpRouteInfo[];
  /** Template problems found while building the routes (unknown API, bad path, …). */
  warnings(): ProjectWarning[];
  /** `serve`'s banner: the address, then one line per route and Function URL. */
  summary(): string[];
  /** The busy port (with its fix) and the template warnings, for `serve` and the UI. */
  problems(): Array<{ message: string; fix?: string }>;
}

const EMPTY_TABLE: RouteTable = { apis: [], routes: [], functionUrls: [], warnings: [] };

/**
 * API Gateway emulation: REST APIs (payload 1.0), HTTP APIs (2.0, or 1.0 when declared) and
 * Function URLs on one port. The port opens when the project has something to serve, and
 * template edits swap the route table without dropping connections.
 */
export function createHttpService(ctx: EngineContext): HttpService {
  let table = EMPTY_TABLE;
  const authorizers = new LambdaAuthorizers({ invoker: ctx.invoker, clock: ctx.clock });
  const log = (entry: GatewayLogEntry): void => {
    ctx.events.emit('event', {
      type: 'logs:appended',
      payload: { functionName: entry.functionName, requestId: entry.requestId, sandboxId: entry.sandboxId ?? '', stream: 'platform', line: `API Gateway: ${entry.line}`, at: ctx.clock.now() },
    });
  };
  const handler = new GatewayRequestHandler({ invoker: ctx.invoker, clock: ctx.clock, region: ctx.region, accountId: ctx.accountId, table: () => table, authorizers, log });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const request = await readGatewayRequest(req);
      sendGatewayResponse(res, await handler.handle(request));
    } catch (err) {
      // Whatever a client or a function does, the engine answers and goes on.
      const kind = table.apis[0]?.kind ?? 'http';
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (!(err instanceof RequestTooLongError)) log({ functionName: '-', line: `${req.method ?? ''} ${req.url ?? ''}: ${(err as Error).message}` });
      sendGatewayResponse(res, gatewayError(kind, err instanceof RequestTooLongError ? 'too-large' : 'invoke-rejected'));
    }
  };
  const server = new GatewayServer({ host: ctx.apiHost, port: ctx.apiPort, handle });

  let unavailable: HttpService['unavailable'];
  const rebuild = async (model: ProjectModel): Promise<void> => {
    table = buildRouteTable(model, await readTemplateResources(model, { region: ctx.region, accountId: ctx.accountId }));
    authorizers.clear();
    if (server.listening || (table.routes.length === 0 && table.functionUrls.length === 0)) return;
    try {
      await server.listen();
      unavailable = undefined;
    } catch (err) {
      // A busy port 3000 (a web dev server, another serve) must not keep the functions, queues
      // and the rest of the engine from running: the HTTP routes wait, and the faces say why.
      if (!(err instanceof ApiPortUnavailableError)) throw err;
      unavailable = { message: err.message, fix: err.fix };
      log({ functionName: '-', line: `${err.message} ${err.fix ?? ''}`.trim() });
    }
  };

  return {
    name: 'http',
    get url() {
      return server.url;
    },
    get listening() {
      return server.listening;
    },
    get unavailable() {
      return unavailable;
    },
    routes: () => describeRoutes(table, server.url, ctx.region),
    warnings: () => table.warnings,
    summary() {
      const routes = describeRoutes(table, server.url, ctx.region);
      if (routes.length === 0) return [];
      const heading = server.listening ? `API Gateway: ${server.url}   (REST and HTTP APIs, Function URLs)` : `API Gateway: not listening on ${ctx.apiHost}:${ctx.apiPort} (see the warning below)`;
      return [heading, ...routeBannerLines(routes)];
    },
    problems() {
      const template = table.warnings.map((w) => ({ message: `${w.at.file}:${w.at.line}:${w.at.column} ${w.field}: ${w.message}` }));
      return unavailable ? [unavailable, ...template] : template;
    },
    start: () => rebuild(ctx.model()),
    reload: (model) => rebuild(model),
    stop: () => server.close(),
  };
}
