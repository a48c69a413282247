import { inject, type InjectionKey } from 'vue';
import type { ErrorReply, FieldProblemReply, LambdaDeskApi } from '../../electron/engine/contract.ts';

/** What stores talk to: window.lambdadesk, the control API over HTTP, or a fake in tests. */
export type Backend = LambdaDeskApi;

export const BACKEND_KEY: InjectionKey<Backend> = Symbol('backend');

export function useBackend(): Backend {
  const backend = inject(BACKEND_KEY);
  if (!backend) throw new Error('No backend provided: main.ts provides one with app.provide(BACKEND_KEY, …).');
  return backend;
}

/** An error reply from main or the control API, rethrown with its name and fix intact. */
export class BackendError extends Error {
  readonly fix?: string;
  readonly problems?: FieldProblemReply[];
  constructor(reply: ErrorReply) {
    super(reply.message);
    this.name = reply.name;
    this.fix = reply.fix;
    this.problems = reply.problems;
  }
}

export function messageOf(err: unknown): string {
  if (err instanceof BackendError && err.fix) return `${err.message}\n${err.fix}`;
  return err instanceof Error ? err.message : String(err);
}
