import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { createEngine } from '../../engine/create-engine.ts';
import { type CliCommand, Interrupted, UsageError, writeLine } from '../cli-io.ts';
import { ENGINE_FLAGS, ENGINE_FLAGS_USAGE, oneShotEngineOptions } from '../engine-options.ts';

export const invokeCommand: CliCommand = {
  summary: 'Invoke one function once: payload on stdout, logs on stderr',
  usage: `Usage: lambdadesk invoke FUNCTION [--dir DIR] [--event FILE|-] [options]

Runs FUNCTION (logical id or FunctionName) of the SAM project in DIR once, in a fresh sandbox.
Prints the response payload on stdout and the logs (START … REPORT) on stderr; exits 1 when
the function fails, 0 otherwise.

  --dir DIR          project folder (default: the current folder)
  --event FILE|-     event JSON from a file, or - for standard input (default {})
  --qualifier Q      $LATEST, or the AutoPublishAlias / version 1
  --json             print the invocation record and payload as one JSON object
${ENGINE_FLAGS_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { dir: { type: 'string' }, event: { type: 'string' }, qualifier: { type: 'string' }, json: { type: 'boolean' }, ...ENGINE_FLAGS },
    });
    const functionName = positionals[0];
    if (!functionName) throw new UsageError('Name the function to invoke.');
    const payload = values.event === undefined ? '{}' : values.event === '-' ? await text(io.stdin) : await readFile(resolve(io.cwd, values.event), 'utf8').catch((err: Error) => {
      throw new UsageError(`Cannot read the event file ${values.event}: ${err.message}`);
    });
    // Port 0: the function still gets a working AWS_ENDPOINT_URL without taking 3001 from a running serve.
    const engine = await createEngine(oneShotEngineOptions(values.dir ?? '.', io.cwd, values));
    engine.invoker.events.on('runtime:warning', ({ functionName: fn, message }) => writeLine(io.stderr, `warning: ${fn}: ${message}`));
    if (values['debug-port']) writeLine(io.stderr, `Debugger: attach to 127.0.0.1:${values['debug-port']} (Node.js: chrome://inspect or VS Code "attach"; Python: debugpy)`);
    // Ctrl-C (say, while the runtime waits for a debugger) still removes the sandbox.
    const interrupted = io.stopSignal.then((signal) => {
      throw new Interrupted(signal);
    });
    try {
      await engine.start();
      const result = await Promise.race([engine.invoker.invoke({ functionName, qualifier: values.qualifier, payload, trigger: 'cli' }), interrupted]);
      if (values.json) {
        writeLine(io.stdout, JSON.stringify({ record: result.record, functionError: result.functionError, payload: result.payload.toString('utf8'), logs: result.logs }));
      } else {
        io.stderr.write(result.logs);
        writeLine(io.stdout, result.payload.toString('utf8'));
      }
      return result.functionError ? 1 : 0;
    } finally {
      await engine.stop();
    }
  },
};
