import type { IncomingMessage } from 'node:http';
import { describe, expect, test } from 'vitest';
import { serviceByShape } from './aws-request.ts';

/** Only what the router may look at: method and headers (the body is never read here). */
function request(method: string, headers: Record<string, string> = {}): IncomingMessage {
  return { method, headers } as unknown as IncomingMessage;
}

const shape = (method: string, path: string, headers?: Record<string, string>) => serviceByShape(request(method, headers), new URL(path, 'http://127.0.0.1:3001'));
const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

describe('unsigned SQS query-protocol requests', () => {
  test('a form posted to a queue URL is SQS', () => {
    expect(shape('POST', '/123456789012/orders', FORM)).toBe('sqs');
    expect(shape('POST', '/123456789012/orders.fifo', { 'content-type': 'Application/X-WWW-Form-Urlencoded' })).toBe('sqs');
  });

  test('an Action in the query string of a queue URL is SQS, whatever the method', () => {
    expect(shape('GET', '/123456789012/orders?Action=ReceiveMessage')).toBe('sqs');
  });

  test('a queue-shaped path without a form or an Action is not guessed', () => {
    expect(shape('PUT', '/123456789012/orders', { 'content-type': 'text/plain' })).toBeUndefined();
    expect(shape('GET', '/123456789012/orders')).toBeUndefined();
  });

  test('the account must be twelve digits and the queue name one path segment', () => {
    expect(shape('POST', '/12345678901/orders', FORM)).toBeUndefined();
    expect(shape('POST', '/123456789012/orders/extra', FORM)).toBeUndefined();
    expect(shape('POST', '/123456789012/', FORM)).toBeUndefined();
    expect(shape('POST', '/', FORM)).toBeUndefined();
  });
});

test('the JSON protocols and the Lambda API keep their shapes', () => {
  expect(shape('POST', '/', { 'x-amz-target': 'AmazonSQS.SendMessage' })).toBe('sqs');
  expect(shape('POST', '/', { 'x-amz-target': 'DynamoDB_20120810.PutItem' })).toBe('dynamodb');
  expect(shape('POST', '/2015-03-31/functions/Hello/invocations')).toBe('lambda');
});
