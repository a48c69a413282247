import type { ControlApi } from '../http/control-api.ts';
import { UnknownChannelError } from './control-errors.ts';
import type { ProjectSession } from './project-session.ts';
import { schemaFor as s } from './request-schemas.ts';
import { describeScheduleExpression } from './schedule-preview.ts';

/** The ChannelMap over HTTP: one line per channel over the session, as Electron's IPC does. */
export function routeControlApi(api: ControlApi, session: ProjectSession): ControlApi {
  return api
    .route('app:info', s('app:info'), async () => session.info())
    .route('project:open', s('project:open'), (r) => session.open(r.dir))
    .route('project:choose', s('project:choose'), () => Promise.reject(new UnknownChannelError('project:choose', undefined, 'The folder dialog exists only in the desktop app; in browser mode run `lambdadesk serve DIR --ui` with another DIR.')))
    .route('project:reload', s('project:reload'), () => session.reload())
    .route('functions:invoke', s('functions:invoke'), (r) => session.invoke(r))
    .route('activity:get', s('activity:get'), async () => session.activitySnapshot())
    .route('activity:clear', s('activity:clear'), async () => session.activity.clear())
    .route('sandboxes:stop', s('sandboxes:stop'), (r) => session.stopSandboxes(r.functionName))
    .route('samples:list', s('samples:list'), () => session.samples())
    .route('triggers:fire', s('triggers:fire'), (r) => session.fireTrigger(r))
    .route('docker:check', s('docker:check'), () => session.checkDocker())
    .route('canvas:get', s('canvas:get'), () => session.canvas().state())
    .route('canvas:preview', s('canvas:preview'), (r) => session.canvas().preview(r.changes))
    .route('canvas:apply', s('canvas:apply'), (r) => session.canvas().apply(r.changes, r.baseHash))
    .route('canvas:undo', s('canvas:undo'), () => session.canvas().undo())
    .route('canvas:redo', s('canvas:redo'), () => session.canvas().redo())
    .route('canvas:layout', s('canvas:layout'), (r) => session.canvas().saveLayout(r.positions))
    .route('schedule:describe', s('schedule:describe'), async (r) => describeScheduleExpression(r.expression, Date.now()))
    .route('simulator:run', s('simulator:run'), (r) => session.simulator.run(r.scenario))
    .route('simulator:sweep', s('simulator:sweep'), (r) => session.simulator.sweep(r))
    .route('simulator:calibrate', s('simulator:calibrate'), (r) => session.simulator.calibrate(r.functionName));
}
