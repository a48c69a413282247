import { expect, test } from 'vitest';
import { evaluatePolicy } from './iam-policy.ts';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/dev/GET/items/42';
const policy = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });

test('an Allow for the ARN, or a wildcard covering it, allows', () => {
  expect(evaluatePolicy(policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: ARN }), ARN)).toBe('allow');
  expect(evaluatePolicy(policy({ Effect: 'Allow', Action: ['execute-api:*'], Resource: ['arn:aws:execute-api:us-east-1:123456789012:abc123/dev/*'] }), ARN)).toBe('allow');
  expect(evaluatePolicy(policy({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:execute-api:*:*:abc123/?ev/GET/items/*' }), ARN)).toBe('allow');
});

test('an explicit Deny wins; no matching Allow is a deny', () => {
  expect(evaluatePolicy(policy({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: ARN }), ARN)).toBe('deny');
  expect(evaluatePolicy(policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: ARN.replace('42', '43') }), ARN)).toBe('deny');
  expect(evaluatePolicy(policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), ARN)).toBe('deny');
});

test('a document that is not a policy is reported', () => {
  expect(evaluatePolicy(undefined, ARN)).toEqual({ problem: expect.any(String) });
  expect(evaluatePolicy(policy({ Effect: 'Maybe', Action: '*', Resource: '*' }), ARN)).toEqual({ problem: expect.stringContaining('Maybe') });
  expect(evaluatePolicy({ Statement: [] }, ARN)).toEqual({ problem: expect.any(String) });
});
