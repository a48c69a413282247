import { spawn } from 'node:child_process';

export interface ToolResult {
  code: number | null;
  output: string;
}

/**
 * Runs a build tool (pip, make) without a shell and collects what it printed, so a failure can be
 * quoted to the user. Resolves `undefined` when the program is not installed at all.
 */
export function runTool(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<ToolResult | undefined> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? resolve(undefined) : reject(err)));
    child.on('close', (code) => resolve({ code, output: Buffer.concat(chunks).toString('utf8') }));
  });
}

/** The last lines of a tool's output: where pip and make say what went wrong. */
export function tailOf(output: string, lines = 12): string {
  return output.trimEnd().split('\n').slice(-lines).map((line) => `    ${line}`).join('\n');
}
