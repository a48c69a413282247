import type { IdentitySource } from './authorizer-config.ts';
import { header, queryPairs, type GatewayRequest } from './gateway-request.ts';

export interface IdentityInputs {
  request: GatewayRequest;
  stageVariables: Record<string, string> | null;
  /** The event's requestContext, for `$context.*` sources. */
  requestContext: object;
}

export function identityValue(source: IdentitySource, inputs: IdentityInputs): string | undefined {
  let value: unknown;
  switch (source.in) {
    case 'header':
      value = header(inputs.request, source.name);
      break;
    case 'query':
      value = queryPairs(inputs.request.rawQuery).filter(([key]) => key === source.name).map(([, v]) => v).join(',') || undefined;
      break;
    case 'stageVariable':
      value = inputs.stageVariables?.[source.name];
      break;
    case 'context':
      value = source.name.split('.').reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), inputs.requestContext);
      break;
  }
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/**
 * The values of every identity source, or undefined when one is missing or empty: API Gateway
 * then answers 401 without calling the authorizer.
 */
export function identityValues(sources: readonly IdentitySource[], inputs: IdentityInputs): string[] | undefined {
  const values: string[] = [];
  for (const source of sources) {
    const value = identityValue(source, inputs);
    if (value === undefined) return undefined;
    values.push(value);
  }
  return values;
}
