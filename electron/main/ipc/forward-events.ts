import type { WebContents } from 'electron';
import { APP_EVENT_CHANNEL } from '../../engine/contract.ts';
import type { ProjectSession } from '../../engine/control/project-session.ts';

/** Every AppEvent goes to the window on one channel; returns the unsubscribe. */
export function forwardEvents(session: ProjectSession, contents: WebContents): () => void {
  const send = (event: unknown): void => {
    if (!contents.isDestroyed()) contents.send(APP_EVENT_CHANNEL, event);
  };
  session.events.on('event', send);
  contents.once('destroyed', () => session.events.off('event', send));
  return () => session.events.off('event', send);
}
