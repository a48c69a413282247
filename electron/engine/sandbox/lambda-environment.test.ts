import { expect, test } from 'vitest';
import type { FunctionConfig } from '../contract.ts';
import { buildLambdaEnvironment } from './lambda-environment.ts';

const fn: FunctionConfig = {
  logicalId: 'Orders', functionName: 'orders-fn', handler: 'index.handler', runtime: 'nodejs22.x', codeDir: '/code', memoryMb: 512, timeoutSeconds: 3,
  environment: { QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders', AWS_REGION: 'mars-1', PLAIN: 'https://example.com/x' },
  ephemeralStorageMb: 512, architecture: 'x86_64', layers: [], events: [], location: { file: 't', line: 1, column: 1 },
};

test('the Lambda environment: reserved variables win, queue URLs point at the local endpoint', () => {
  const env = buildLambdaEnvironment({ fn, runtimeApiAddress: '127.0.0.1:9001', region: 'us-east-1', initializationType: 'on-demand', awsEndpointUrl: 'http://127.0.0.1:3001', taskRoot: '/var/task', runtimeDir: '/var/runtime', now: new Date(Date.UTC(2026, 10, 29)) });
  expect(env).toMatchObject({
    _HANDLER: 'index.handler',
    AWS_REGION: 'us-east-1', // a function cannot override a reserved variable
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: 'orders-fn',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/orders-fn',
    AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:3001',
    QUEUE_URL: 'http://127.0.0.1:3001/123456789012/orders',
    PLAIN: 'https://example.com/x',
  });
  expect(env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^2026\/11\/29\/\[\$LATEST\][0-9a-f]{32}$/);
});
