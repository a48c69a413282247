import type { AsyncDisposition } from '../../invoke/async-invoke-queue.ts';

export type DestinationCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

export function conditionOf(disposition: AsyncDisposition): DestinationCondition | undefined {
  if (disposition.kind === 'succeeded') return 'Success';
  if (disposition.reason === 'retries-exhausted') return 'RetriesExhausted';
  if (disposition.reason === 'event-expired') return 'EventAgeExceeded';
  return undefined;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The invocation record Lambda sends to an asynchronous invocation's destination, keys in AWS's
 * order: `version`, `timestamp`, `requestContext` {requestId, functionArn (with qualifier),
 * condition, approximateInvokeCount}, `requestPayload`, `responseContext` {statusCode,
 * executedVersion, functionError}, `responsePayload`.
 */
export function destinationRecord(disposition: AsyncDisposition, identity: { region: string; accountId: string; partition?: string }, nowMs: number): Record<string, unknown> | undefined {
  const condition = conditionOf(disposition);
  if (!condition) return undefined;
  const { event } = disposition;
  const result = disposition.result;
  const qualifier = result?.executedVersion && !event.qualifier ? result.executedVersion : (event.qualifier ?? '$LATEST');
  const record: Record<string, unknown> = {
    version: '1.0',
    timestamp: new Date(nowMs).toISOString(),
    requestContext: {
      requestId: event.requestId,
      functionArn: `arn:${identity.partition ?? 'aws'}:lambda:${identity.region}:${identity.accountId}:function:${event.functionName}:${qualifier}`,
      condition,
      // A success is the attempt after the recorded failures; a failure has counted itself already.
      approximateInvokeCount: disposition.kind === 'succeeded' ? event.attempts + 1 : Math.max(1, event.attempts),
    },
    requestPayload: parsed(event.payload),
  };
  if (result) {
    const responseContext: Record<string, unknown> = { statusCode: 200, executedVersion: result.executedVersion };
    if (result.functionError) responseContext.functionError = result.functionError;
    record.responseContext = responseContext;
    record.responsePayload = result.payload.length ? parsed(result.payload.toString('utf8')) : null;
  }
  return record;
}

/** What a function's dead-letter queue receives: the original event, with Lambda's three attributes. */
export function deadLetterMessage(disposition: AsyncDisposition): { body: string; attributes: Record<string, string> } | undefined {
  if (disposition.kind !== 'failed' || disposition.reason === 'not-invocable') return undefined;
  const error = disposition.result ? errorMessageOf(disposition.result.payload) : `Event age exceeded the maximum of ${Math.round(disposition.event.maximumEventAgeMs / 1000)} seconds.`;
  return {
    body: disposition.event.payload,
    attributes: { RequestID: disposition.event.requestId, ErrorCode: '200', ErrorMessage: Buffer.from(error).subarray(0, 1024).toString('utf8') },
  };
}

function errorMessageOf(payload: Buffer): string {
  const value = parsed(payload.toString('utf8'));
  if (value && typeof value === 'object' && typeof (value as { errorMessage?: unknown }).errorMessage === 'string') return (value as { errorMessage: string }).errorMessage;
  return payload.toString('utf8');
}
