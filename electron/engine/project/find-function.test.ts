import { describe, expect, test } from 'vitest';
import type { FunctionConfig, ProjectModel } from '../contract.ts';
import { findFunction } from './find-function.ts';

function fn(logicalId: string, functionName: string): FunctionConfig {
  return {
    logicalId,
    functionName,
    handler: 'index.handler',
    runtime: 'nodejs20.x',
    codeDir: '/p/src',
    memoryMb: 128,
    timeoutSeconds: 3,
    environment: {},
    ephemeralStorageMb: 512,
    architecture: 'x86_64',
    layers: [],
    events: [],
    location: { file: 'template.yaml', line: 1, column: 1 },
  };
}

const model: ProjectModel = {
  dir: '/p',
  templatePath: '/p/template.yaml',
  functions: [fn('HelloNode', 'hello-node'), fn('Resize', 'Resize'), fn('Shadowed', 'HelloNode')],
  layers: [],
  parameters: {},
  warnings: [],
};

const found = (nameOrArn: string): [string, string | undefined] | undefined => {
  const match = findFunction(model, nameOrArn);
  return match && [match.function.logicalId, match.qualifier];
};

describe('findFunction', () => {
  test.each([
    ['hello-node', ['HelloNode', undefined]],
    ['hello-node:live', ['HelloNode', 'live']],
    ['hello-node:$LATEST', ['HelloNode', '$LATEST']],
    ['Resize', ['Resize', undefined]],
    ['arn:aws:lambda:us-east-1:123456789012:function:hello-node', ['HelloNode', undefined]],
    ['arn:aws:lambda:eu-west-1:210987654321:function:hello-node:7', ['HelloNode', '7']],
    ['arn:aws-cn:lambda:cn-north-1:123456789012:function:Resize', ['Resize', undefined]],
    ['123456789012:function:hello-node', ['HelloNode', undefined]],
    ['123456789012:function:hello-node:live', ['HelloNode', 'live']],
  ])('%s', (nameOrArn, expected) => {
    expect(found(nameOrArn)).toEqual(expected);
  });

  test('a FunctionName wins over another function’s logical id, as the Lambda API only knows names', () => {
    expect(found('HelloNode')).toEqual(['Shadowed', undefined]);
  });

  test('the logical id works when no function is named that way', () => {
    const [only] = model.functions;
    expect(findFunction({ ...model, functions: only ? [only] : [] }, 'HelloNode')?.function.functionName).toBe('hello-node');
  });

  test.each([
    'nope',
    'hello-node:',
    'hello-node:live:extra',
    'arn:aws:lambda:us-east-1:123456789012:layer:hello-node',
    'arn:aws:s3:us-east-1:123456789012:function:hello-node',
    'arn:aws:lambda:us-east-1:123456789012:function:hello-node:1:2',
    '123456789012:function:',
    '',
  ])('%j matches nothing', (nameOrArn) => {
    expect(findFunction(model, nameOrArn)).toBeUndefined();
  });
});
