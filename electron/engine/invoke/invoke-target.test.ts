import { describe, expect, test } from 'vitest';
import type { FunctionConfig, ProjectModel } from '../contract.ts';
import { ResourceNotFoundError } from '../errors.ts';
import { resolveTarget } from './invoke-target.ts';

const fn = (over: Partial<FunctionConfig>): FunctionConfig => ({
  logicalId: 'Hello', functionName: 'Hello', handler: 'index.handler', runtime: 'nodejs20.x', codeDir: '/tmp', memoryMb: 128, timeoutSeconds: 3,
  environment: {}, ephemeralStorageMb: 512, architecture: 'x86_64', layers: [], events: [], location: { file: 't', line: 1, column: 1 }, ...over,
});
const model: ProjectModel = { dir: '/p', templatePath: '/p/template.yaml', functions: [fn({}), fn({ logicalId: 'Live', functionName: 'live-fn', autoPublishAlias: 'live' })], layers: [], parameters: {}, warnings: [] };
const ctx = { region: 'us-east-1', accountId: '123456789012' };

describe('resolveTarget', () => {
  test.each([
    ['Hello', undefined, '$LATEST', 'arn:aws:lambda:us-east-1:123456789012:function:Hello'],
    ['Hello:$LATEST', undefined, '$LATEST', 'arn:aws:lambda:us-east-1:123456789012:function:Hello:$LATEST'],
    ['arn:aws:lambda:us-east-1:123456789012:function:Hello', undefined, '$LATEST', 'arn:aws:lambda:us-east-1:123456789012:function:Hello'],
    ['123456789012:function:Hello', undefined, '$LATEST', 'arn:aws:lambda:us-east-1:123456789012:function:Hello'],
    ['live-fn', 'live', '1', 'arn:aws:lambda:us-east-1:123456789012:function:live-fn:live'],
    ['Live:1', undefined, '1', 'arn:aws:lambda:us-east-1:123456789012:function:live-fn:1'],
  ])('%s (qualifier %s) runs version %s as %s', (name, qualifier, version, arn) => {
    const target = resolveTarget(model, name, qualifier, ctx);
    expect(target.executedVersion).toBe(version);
    expect(target.invokedArn).toBe(arn);
  });

  test('unknown names, versions and aliases are ResourceNotFoundException with the ARN', () => {
    expect(() => resolveTarget(model, 'Nope', undefined, ctx)).toThrow(new ResourceNotFoundError('Function not found: arn:aws:lambda:us-east-1:123456789012:function:Nope'));
    expect(() => resolveTarget(model, 'Hello', 'prod', ctx)).toThrow(/function:Hello:prod$/);
    expect(() => resolveTarget(model, 'arn:aws:lambda:eu-west-1:123456789012:function:Hello', undefined, ctx)).toThrow(ResourceNotFoundError);
  });

  test('a qualifier in the name that contradicts the parameter is rejected', () => {
    expect(() => resolveTarget(model, 'Hello:$LATEST', 'live', ctx)).toThrow(/does not match/);
  });
});
