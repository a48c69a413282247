import type { ProjectSession } from '../../engine/control/project-session.ts';

/** What the IPC handlers reach: the session, plus the shell's own abilities (dialogs). */
export interface IpcContext {
  session: ProjectSession;
  /** The native folder dialog; undefined when the user cancels. */
  chooseFolder(): Promise<string | undefined>;
  log(line: string): void;
}
