import type { ZodError } from 'zod';
import type { Channel, ErrorReply, FieldProblemReply } from '../contract.ts';
import { LambdaDeskError } from '../errors.ts';

/** A request that does not match its channel's schema: names each field and what was expected. */
export class InvalidRequestError extends LambdaDeskError {
  readonly awsName = 'InvalidParameterValueException';
  readonly status = 400;
  /** One per field, so a form can show each next to its input (e.g. `scenario.function.memoryMb`). */
  readonly problems: FieldProblemReply[];
  constructor(channel: string, error: ZodError) {
    const problems = error.issues.map((issue): FieldProblemReply => {
      const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
      return { path, field: formatPath(path), message: issue.message, fix: '' };
    });
    super(`Invalid request for ${channel}: ${problems.map((p) => `${p.field || '(request)'}: ${p.message}`).join('; ')}`, 'Send the fields listed in ChannelMap in electron/engine/contract.ts.');
    this.problems = problems;
  }
  override extraBody(): Record<string, unknown> {
    return { problems: this.problems };
  }
}

/** `scenario.provisioned.schedule[0].atSeconds`: dotted, with list indexes in brackets. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out;
}

/** A channel this face does not serve (e.g. the folder dialog in browser mode) or does not know. */
export class UnknownChannelError extends LambdaDeskError {
  readonly awsName = 'ResourceNotFoundException';
  readonly status = 404;
  constructor(channel: string, known?: readonly Channel[], fix?: string) {
    super(`No channel '${channel}' here.`, fix ?? (known ? `Channels: ${known.join(', ')}.` : undefined));
  }
}

/** Asked of a project while none is open (or it failed to open). */
export class NoProjectError extends LambdaDeskError {
  readonly awsName = 'ResourceNotFoundException';
  readonly status = 409;
  constructor() {
    super('No project is open.', 'Open a folder with a SAM template.yaml (File › Open Folder…).');
  }
}

/** Errors travel as data: a thrown error keeps only its message over IPC. */
export function toErrorReply(err: unknown): ErrorReply {
  if (err instanceof Error) {
    const reply: ErrorReply = { name: err.name, message: err.message };
    if (err instanceof LambdaDeskError) {
      if (err.fix) reply.fix = err.fix;
      const { problems } = err.extraBody() as { problems?: ErrorReply['problems'] };
      if (Array.isArray(problems)) reply.problems = problems;
    }
    return reply;
  }
  return { name: 'Error', message: String(err) };
}

/** HTTP status for an error reply from the control API. */
export function statusOf(err: unknown): number {
  return err instanceof LambdaDeskError ? err.status : 500;
}
