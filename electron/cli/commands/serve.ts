import { parseArgs } from 'node:util';
import { createEngine, DEFAULTS, PROCESS_FIDELITY_WARNING, type Engine, type EngineOptions } from '../../engine/create-engine.ts';
import type { BrowserMode } from '../../engine/control/browser-mode.ts';
import type { EngineEvent } from '../../engine/contract.ts';
import { type CliCommand, writeLine } from '../cli-io.ts';
import { ENGINE_FLAGS, ENGINE_FLAGS_USAGE, engineOptions, wholeNumber } from '../engine-options.ts';

export const serveCommand: CliCommand = {
  summary: 'Run a SAM project: Lambda Invoke API (and every emulated AWS service) on one endpoint',
  usage: `Usage: lambdadesk serve [DIR] [--port 3001] [--host 127.0.0.1] [options]

Runs the functions of the SAM project in DIR (default: the current folder) until SIGINT or
SIGTERM, then stops every sandbox. Point the AWS CLI or an SDK at the printed endpoint.

  --port N         AWS endpoint port (default 3001; 0 picks a free one)
  --api-port N     API Gateway emulation port for HTTP routes (default 3000)
  --mqtt-port N    MQTT broker port for IoT rules (default 1883 or LAMBDADESK_MQTT_PORT)
  --host ADDRESS   address to bind (default 127.0.0.1; anything else exposes your functions)
  --json           print events as JSON lines instead of log text
  --ui             also serve the LambdaDesk UI on loopback and print its URL (with a per-run token)
${ENGINE_FLAGS_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { port: { type: 'string' }, 'api-port': { type: 'string' }, 'mqtt-port': { type: 'string' }, host: { type: 'string' }, json: { type: 'boolean' }, ui: { type: 'boolean' }, ...ENGINE_FLAGS },
    });
    const options = engineOptions(positionals[0] ?? '.', io.cwd, values);
    const port = wholeNumber('port', values.port, 0, 65_535) ?? DEFAULTS.port;
    const apiPort = wholeNumber('api-port', values['api-port'], 0, 65_535) ?? DEFAULTS.apiPort;
    const mqttPort = wholeNumber('mqtt-port', values['mqtt-port'], 0, 65_535);
    const engine = await createEngine({ ...options, port, apiPort, mqttPort, host: values.host ?? DEFAULTS.host });
    const say = (line: string): void => writeLine(io.stderr, line);
    engine.invoker.events.on('runtime:warning', ({ functionName, message }) => say(`warning: ${functionName}: ${message}`));
    engine.events.on('event', (event: EngineEvent) => {
      if (values.json) return writeLine(io.stdout, JSON.stringify(event));
      if (event.type === 'logs:appended') writeLine(io.stdout, `[${event.payload.functionName}] ${event.payload.line}`);
      if (event.type === 'images:progress' && !event.payload.done) say(`image ${event.payload.image}: ${event.payload.step}`);
    });
    if (!engine.docker.available) say(`${PROCESS_FIDELITY_WARNING}\n  Docker: ${engine.docker.error ?? engine.docker.endpoint}`);
    await engine.start();
    const model = engine.model();
    for (const w of model.warnings) say(`warning: ${w.at.file}:${w.at.line}:${w.at.column} ${w.field}: ${w.message}`);
    for (const fn of model.functions) {
      const info = await engine.invoker.prepare(fn).catch((err: Error) => ({ interpreter: `unavailable: ${err.message}` }));
      say(`  ${fn.functionName.padEnd(24)} ${fn.runtime.padEnd(16)} ${info.interpreter}`);
    }
    for (const service of engine.services.values()) {
      for (const line of service.summary?.() ?? []) say(`  ${line}`);
      for (const problem of service.problems?.() ?? []) say(`warning: ${service.name}: ${problem.message}${problem.fix ? `\n  ${problem.fix}` : ''}`);
    }
    say(`LambdaDesk is serving ${model.functions.length} function(s) from ${model.templatePath}`);
    say(`  AWS endpoint: ${engine.endpoint.url}   (aws lambda invoke --endpoint-url ${engine.endpoint.url} …)`);
    say(`  Sandboxes: ${engine.sandboxKind === 'docker' ? `Docker at ${engine.docker.endpoint}` : 'host processes (lower fidelity)'}`);
    const ui = values.ui ? await startUi(engine, { ...options, mqttPort }, { port, apiPort, host: values.host ?? DEFAULTS.host }) : undefined;
    if (ui) say(`  UI: ${ui.url}   (loopback only; the token changes every run)`);
    const signal = await io.stopSignal;
    say(`${signal}: stopping sandboxes…`);
    await (ui ? ui.stop() : engine.stop());
    return 0;
  },
};

/** Browser mode: the session takes over the engine, and makes a new one if Docker comes back. */
async function startUi(engine: Engine, options: EngineOptions, ports: { port: number; apiPort: number; host: string }): Promise<BrowserMode> {
  const { startBrowserMode } = await import('../../engine/control/browser-mode.ts');
  const { default: pkg } = await import('../../../package.json', { with: { type: 'json' } });
  return startBrowserMode({
    projectDir: options.projectDir,
    engine,
    version: pkg.version,
    sandbox: options.sandbox ?? 'auto',
    debugPort: options.debugPort,
    apiUrl: () => `http://${ports.host}:${ports.apiPort}`,
    createEngine: (dir, sandbox) => createEngine({ ...options, ...ports, projectDir: dir, sandbox }),
  });
}
