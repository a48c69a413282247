import { describe, expect, test } from 'vitest';
import { checkTargetInput, fillTemplate, parseJsonPath, targetPayload } from './input-transform.ts';

const event = {
  version: '0',
  id: 'e-1',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  time: '2024-05-01T10:00:00Z',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-1'],
  detail: { 'instance-id': 'i-1', state: 'running', tags: ['a', 'b'], size: { cpu: 2 } },
};
const context = { ruleArn: 'arn:aws:events:us-east-1:123456789012:rule/r', ruleName: 'r', ingestionTime: '2024-05-01T10:00:01Z' };

describe('rule target input', () => {
  test('without settings the whole event goes to the target', () => {
    expect(JSON.parse(targetPayload({}, event, context))).toEqual(event);
  });

  test('Input replaces the event', () => {
    expect(targetPayload({ input: '{"fixed":true}' }, event, context)).toBe('{"fixed":true}');
  });

  test.each([
    ['$.detail', event.detail],
    ['$.detail.state', 'running'],
    ["$.detail['instance-id']", 'i-1'],
    ['$.resources[0]', event.resources[0]],
    ['$.detail.tags[1]', 'b'],
    ['$.detail.missing', null],
    ['$', event],
  ])('InputPath %s', (path, expected) => {
    expect(JSON.parse(targetPayload({ inputPath: path }, event, context))).toEqual(expected);
  });

  test('InputTransformer (AWS example): JSON values outside strings, text inside', () => {
    const out = targetPayload(
      { inputTransformer: { inputPathsMap: { instance: '$.detail.instance-id', state: '$.detail.state', size: '$.detail.size' }, inputTemplate: '{"instance": <instance>, "state": <state>, "size": <size>, "say": "<instance> is in state <state>"}' } },
      event,
      context,
    );
    expect(JSON.parse(out)).toEqual({ instance: 'i-1', state: 'running', size: { cpu: 2 }, say: 'i-1 is in state running' });
    const missing = targetPayload({ inputTransformer: { inputPathsMap: { x: '$.detail.nothing' }, inputTemplate: '{"x": <x>, "s": "[<x>]"}' } }, event, context);
    expect(JSON.parse(missing)).toEqual({ x: null, s: '[]' });
  });

  test('InputTransformer with bracket paths, predefined variables and a plain-string template', () => {
    const transformer = { inputPathsMap: { id: "$.detail['instance-id']" }, inputTemplate: '"<id> changed (rule <aws.events.rule-name>)"' };
    expect(JSON.parse(targetPayload({ inputTransformer: transformer }, event, context))).toBe('i-1 changed (rule r)');
    const whole = targetPayload({ inputTransformer: { inputPathsMap: {}, inputTemplate: '{"e": <aws.events.event>, "arn": <aws.events.rule-arn>}' } }, event, context);
    expect(JSON.parse(whole)).toEqual({ e: event, arn: context.ruleArn });
  });

  test('quotes and backslashes inside string values stay valid JSON', () => {
    expect(JSON.parse(fillTemplate('{"say": "<v>!"}', { v: 'a "quoted" \\ path' }))).toEqual({ say: 'a "quoted" \\ path!' });
    expect(fillTemplate('{"n": <unknown>}', {})).toBe('{"n": <unknown>}');
  });

  test.each([
    [{ input: '{', inputPath: undefined }, 'Input is not valid JSON text.'],
    [{ input: '{}', inputPath: '$.detail' }, 'Only one of Input, InputPath and InputTransformer'],
    [{ inputPath: 'detail.state' }, 'must start with $'],
    [{ inputPath: '$.detail[x]' }, 'not a valid JSONPath'],
    [{ inputTransformer: { inputPathsMap: { 'aws.x': '$.id' }, inputTemplate: '<aws.x>' } }, 'reserved'],
    [{ inputTransformer: { inputPathsMap: {}, inputTemplate: '' } }, 'InputTransformer needs an InputTemplate.'],
  ])('%j is refused', (target, message) => {
    expect(() => checkTargetInput(target)).toThrow(message);
  });

  test('JSONPath segments', () => {
    expect(parseJsonPath("$.a['b.c'][2].d")).toEqual(['a', 'b.c', 2, 'd']);
  });
});
