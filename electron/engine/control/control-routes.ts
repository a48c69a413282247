import type { ControlApi } from '../http/control-api.ts';
import { UnknownChannelError } from './control-errors.ts';
import type { ProjectSession } from './project-session.ts';
import { schemaFor as s } from './request-schemas.ts';
import { listSampleEvents } from './sample-events.ts';
import { fireTrigger } from './trigger-actions.ts';

/** The ChannelMap over HTTP: one line per channel over the session, as Electron's IPC does. */
export function routeControlApi(api: ControlApi, session: ProjectSession): ControlApi {
  return api
    .route('app:info', s('app:info'), async () => session.info())
    .route('project:open', s('project:open'), (r) => session.open(r.dir))
    .route('project:choose', s('project:choose'), () => Promise.reject(new UnknownChannelError('project:choose', undefined, 'The folder dialog exists only in the desktop app; in browser mode run `lambdadesk serve DIR --ui` with another DIR.')))
    .route('project:reload', s('project:reload'), () => session.reload())
    .route('functions:invoke', s('functions:invoke'), (r) => session.invoke(r))
    .route('activity:get', s('activity:get'), async () => session.activity.snapshot(session.engine().invoker.sandboxes()))
    .route('activity:clear', s('activity:clear'), async () => session.activity.clear())
    .route('sandboxes:stop', s('sandboxes:stop'), (r) => session.engine().invoker.retireFunction(r.functionName))
    .route('samples:list', s('samples:list'), () => listSampleEvents(session.engine().model().dir))
    .route('triggers:fire', s('triggers:fire'), (r) => fireTrigger(session.engine(), r))
    .route('docker:check', s('docker:check'), () => session.checkDocker());
}
