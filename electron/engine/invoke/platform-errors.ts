import type { SandboxExit } from '../sandbox/sandbox-provider.ts';

/** A function error that the platform (not the function) produced, in AWS's body shape. */
export function platformErrorBody(errorType: string, errorMessage: string): Buffer {
  return Buffer.from(JSON.stringify({ errorType, errorMessage }));
}

export function exitErrorType(exit: SandboxExit): string {
  return exit.oomKilled ? 'Runtime.OutOfMemory' : 'Runtime.ExitError';
}

/** AWS's wording for a runtime that went away without answering (lambda-contract.md §1.3). */
export function exitErrorMessage(requestId: string, exit: SandboxExit): string {
  if (exit.oomKilled || exit.signal === 'SIGKILL') return `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`;
  if (exit.signal) return `RequestId: ${requestId} Error: Runtime exited with error: signal: ${exit.signal.replace(/^SIG/, '').toLowerCase()}`;
  if (exit.code === 0) return `RequestId: ${requestId} Error: Runtime exited without providing a reason`;
  return `RequestId: ${requestId} Error: Runtime exited with error: exit status ${exit.code ?? 'unknown'}`;
}
