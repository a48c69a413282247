import { expect, test } from 'vitest';
import type { InvokeResult } from '../../contract.ts';
import type { AsyncDisposition, AsyncEvent } from '../../invoke/async-invoke-queue.ts';
import { deadLetterMessage, destinationRecord } from './destination-record.ts';

const event: AsyncEvent = { requestId: 'req-1', functionName: 'Worker', payload: '{"order":7}', trigger: 'event', acceptedAt: 0, attempts: 0, nextAttemptAt: 0, maximumRetryAttempts: 2, maximumEventAgeMs: 21_600_000 };
const result = (payload: string, failed: boolean): InvokeResult => ({ payload: Buffer.from(payload), contentType: 'application/json', functionError: failed ? 'Unhandled' : undefined, logs: '', executedVersion: '$LATEST', record: {} as InvokeResult['record'] });
const identity = { region: 'us-east-2', accountId: '123456789012' };

test('a failure record has AWS’s keys in AWS’s order, the request and the error response', () => {
  const failed: AsyncDisposition = { kind: 'failed', reason: 'retries-exhausted', event: { ...event, attempts: 3 }, result: result('{"errorType":"Error","errorMessage":"boom","trace":[]}', true) };
  const record = destinationRecord(failed, identity, Date.UTC(2019, 10, 14, 18, 16, 5, 568));
  expect(record).toEqual({
    version: '1.0',
    timestamp: '2019-11-14T18:16:05.568Z',
    requestContext: { requestId: 'req-1', functionArn: 'arn:aws:lambda:us-east-2:123456789012:function:Worker:$LATEST', condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: { order: 7 },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'Error', errorMessage: 'boom', trace: [] },
  });
  expect(Object.keys(record!)).toEqual(['version', 'timestamp', 'requestContext', 'requestPayload', 'responseContext', 'responsePayload']);
});

test('a success record counts the successful attempt and has no functionError', () => {
  const record = destinationRecord({ kind: 'succeeded', event: { ...event, attempts: 1 }, result: result('"done"', false) }, identity, 0);
  expect(record).toMatchObject({ requestContext: { condition: 'Success', approximateInvokeCount: 2 }, responseContext: { statusCode: 200, executedVersion: '$LATEST' }, responsePayload: 'done' });
  expect((record!.responseContext as object)).not.toHaveProperty('functionError');
});

test('an expired event says EventAgeExceeded; a function that cannot be invoked gets no record', () => {
  expect(destinationRecord({ kind: 'failed', reason: 'event-expired', event }, identity, 0)).toMatchObject({ requestContext: { condition: 'EventAgeExceeded' } });
  expect(destinationRecord({ kind: 'failed', reason: 'not-invocable', event }, identity, 0)).toBeUndefined();
});

test('the dead-letter queue gets the original event with RequestID, ErrorCode and ErrorMessage', () => {
  const dead = deadLetterMessage({ kind: 'failed', reason: 'retries-exhausted', event, result: result('{"errorType":"Error","errorMessage":"boom"}', true) });
  expect(dead).toEqual({ body: '{"order":7}', attributes: { RequestID: 'req-1', ErrorCode: '200', ErrorMessage: 'boom' } });
  expect(deadLetterMessage({ kind: 'succeeded', event, result: result('{}', false) })).toBeUndefined();
});
