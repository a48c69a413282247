/** What a command may touch of the outside world, so tests can run commands in-process. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM); `serve` waits on it. */
  stopSignal: Promise<string>;
}

export interface CliCommand {
  /** One line for `lambdadesk --help`. */
  summary: string;
  /** The full usage text for `lambdadesk COMMAND --help`. */
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** The user stopped the command (SIGINT/SIGTERM) after it cleaned up: exit 130 or 143, as shells expect. */
export class Interrupted extends Error {
  constructor(readonly signal: string) {
    super(`interrupted by ${signal}`);
  }
}

/** A mistake in how the command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export function writeLine(stream: NodeJS.WritableStream, text = ''): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}
