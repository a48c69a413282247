import type { Clock } from '../../clock.ts';
import type { InvokeRequest, InvokeResult } from '../../contract.ts';
import { TooManyRequestsError } from '../../errors.ts';
import type { Invoker } from '../../invoke/invoker.ts';

export type IntegrationOutcome =
  | { kind: 'response'; result: InvokeResult }
  /** The function failed (handler error, crash, init error, out of memory). */
  | { kind: 'function-error'; result: InvokeResult }
  /** The integration timeout passed, or the function's own timeout came first. */
  | { kind: 'timeout'; result?: InvokeResult }
  | { kind: 'throttled' }
  /** Lambda refused the invoke before running anything. */
  | { kind: 'rejected'; error: Error };

/**
 * A synchronous invoke raced against API Gateway's integration timeout. When the timeout wins
 * the function keeps running, as on AWS (the gateway stops waiting; Lambda does not stop), and
 * its result is dropped.
 */
export async function invokeIntegration(deps: { invoker: Invoker; clock: Clock }, request: InvokeRequest, timeoutMs: number | undefined): Promise<IntegrationOutcome> {
  const invoked = deps.invoker.invoke(request).then(
    (result): IntegrationOutcome => {
      if (result.record.outcome === 'success') return { kind: 'response', result };
      if (result.record.outcome === 'timeout') return { kind: 'timeout', result };
      return { kind: 'function-error', result };
    },
    (err: unknown): IntegrationOutcome => (err instanceof TooManyRequestsError ? { kind: 'throttled' } : { kind: 'rejected', error: err instanceof Error ? err : new Error(String(err)) }),
  );
  if (timeoutMs === undefined) return invoked;
  let timer: ReturnType<Clock['setTimeout']> | undefined;
  const timedOut = new Promise<IntegrationOutcome>((resolve) => {
    timer = deps.clock.setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs);
  });
  try {
    return await Promise.race([invoked, timedOut]);
  } finally {
    if (timer) deps.clock.clearTimeout(timer);
  }
}
