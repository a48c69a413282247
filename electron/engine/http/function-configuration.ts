import { createHash } from 'node:crypto';
import type { FunctionConfig } from '../contract.ts';

/** `FunctionConfiguration` as ListFunctions and GetFunction return it. */
export function functionConfiguration(fn: FunctionConfig, region: string, accountId: string): Record<string, unknown> {
  const arn = `arn:aws:lambda:${region}:${accountId}:function:${fn.functionName}`;
  const isCustom = fn.runtime.startsWith('provided');
  return {
    FunctionName: fn.functionName,
    FunctionArn: arn,
    Runtime: fn.runtime,
    Role: `arn:aws:iam::${accountId}:role/lambdadesk-local-${fn.logicalId}`,
    Handler: isCustom && !fn.handler ? undefined : fn.handler,
    CodeSize: 0,
    Description: '',
    Timeout: fn.timeoutSeconds,
    MemorySize: fn.memoryMb,
    LastModified: new Date().toISOString().replace('Z', '+0000'),
    CodeSha256: createHash('sha256').update(fn.codeDir).digest('base64'),
    Version: '$LATEST',
    Environment: { Variables: fn.environment },
    TracingConfig: { Mode: 'PassThrough' },
    Layers: fn.layers.map((l) => ({ Arn: `arn:aws:lambda:${region}:${accountId}:layer:${l.layerName}:1`, CodeSize: 0 })),
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: [fn.architecture],
    EphemeralStorage: { Size: fn.ephemeralStorageMb },
    ...(fn.reservedConcurrency !== undefined ? {} : {}),
  };
}
