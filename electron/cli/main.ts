import { LambdaDeskError } from '../engine/errors.ts';
import { type CliCommand, type CliIo, Interrupted, UsageError, writeLine } from './cli-io.ts';

/**
 * The command table. Each command lives in `commands/<name>.ts` and is loaded only when used,
 * so `lambdadesk cost` does not pay for dockerode.
 */
const COMMANDS: Record<string, () => Promise<CliCommand>> = {
  // One line per command; the order is the order of `lambdadesk --help`.
  serve: () => import('./commands/serve.ts').then((m) => m.serveCommand),
  invoke: () => import('./commands/invoke.ts').then((m) => m.invokeCommand),
  export: () => import('./commands/export.ts').then((m) => m.exportCommand),
  doctor: () => import('./commands/doctor.ts').then((m) => m.doctorCommand),
  simulate: () => import('./commands/simulate.ts').then((m) => m.simulateCommand),
  cost: () => import('./commands/cost.ts').then((m) => m.costCommand),
  queue: () => import('./commands/queue.ts').then((m) => m.queueCommand),
  bucket: () => import('./commands/bucket.ts').then((m) => m.bucketCommand),
  schedule: () => import('./commands/schedule.ts').then((m) => m.scheduleCommand),
  topic: () => import('./commands/topic.ts').then((m) => m.topicCommand),
  events: () => import('./commands/events.ts').then((m) => m.eventsCommand),
  table: () => import('./commands/table.ts').then((m) => m.tableCommand),
  stream: () => import('./commands/stream.ts').then((m) => m.streamCommand),
  iot: () => import('./commands/iot.ts').then((m) => m.iotCommand),
};

/**
 * Signals end a command at once, as users expect, unless the command takes over stopping by
 * reading `stopSignal` (serve and invoke do, to remove their sandboxes first). A second
 * signal while stopping ends the process anyway.
 */
function processIo(): CliIo {
  // `lambdadesk … | head` closes the pipe early: that is the reader's choice, not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
  let claimed = false;
  let stopping = false;
  let resolveStop!: (signal: string) => void;
  const stop = new Promise<string>((resolve) => (resolveStop = resolve));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (!claimed || stopping) process.exit(signal === 'SIGINT' ? 130 : 143);
      stopping = true;
      resolveStop(signal);
    });
  }
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    get stopSignal() {
      claimed = true;
      return stop;
    },
  };
}

async function printHelp(io: CliIo): Promise<void> {
  writeLine(io.stdout, 'Usage: lambdadesk COMMAND [OPTIONS]\n\nCommands:');
  for (const [name, load] of Object.entries(COMMANDS)) {
    const command = await load();
    writeLine(io.stdout, `  ${name.padEnd(10)} ${command.summary}`);
  }
  writeLine(io.stdout, '\nRun `lambdadesk COMMAND --help` for the options of one command.');
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await printHelp(io);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    const { default: pkg } = await import('../../package.json', { with: { type: 'json' } });
    writeLine(io.stdout, pkg.version);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    writeLine(io.stderr, `lambdadesk: unknown command '${name}'. Commands: ${Object.keys(COMMANDS).join(', ')}.`);
    return 2;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    writeLine(io.stdout, command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof Interrupted) {
      writeLine(io.stderr, `lambdadesk ${name}: ${err.message}; sandboxes removed.`);
      return err.signal === 'SIGINT' ? 130 : 143;
    }
    if (err instanceof UsageError || isParseArgsError(err)) {
      writeLine(io.stderr, `lambdadesk ${name}: ${(err as Error).message}\n\n${command.usage}`);
      return 2;
    }
    if (err instanceof LambdaDeskError) {
      writeLine(io.stderr, `lambdadesk ${name}: ${err.message}${err.fix ? `\n  ${err.fix}` : ''}`);
      return 1;
    }
    writeLine(io.stderr, `lambdadesk ${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
}

function isParseArgsError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && String((err as { code: unknown }).code).startsWith('ERR_PARSE_ARGS');
}
