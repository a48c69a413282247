import type { NodeKind } from './link-rules.ts';

/** The resource types the canvas draws, and the node kind each is drawn as. */
export const RESOURCE_KINDS: Readonly<Record<string, NodeKind>> = {
  'AWS::Serverless::Function': 'function',
  'AWS::SQS::Queue': 'queue',
  'AWS::S3::Bucket': 'bucket',
  'AWS::SNS::Topic': 'topic',
  'AWS::Events::EventBus': 'event-rule',
  'AWS::Events::Rule': 'event-rule',
  'AWS::DynamoDB::Table': 'table',
  'AWS::Serverless::SimpleTable': 'table',
  'AWS::Kinesis::Stream': 'stream',
};

/** What a new resource of each kind is added as. */
export const KIND_RESOURCE_TYPES: Readonly<Partial<Record<NodeKind, string>>> = {
  function: 'AWS::Serverless::Function',
  queue: 'AWS::SQS::Queue',
  bucket: 'AWS::S3::Bucket',
  topic: 'AWS::SNS::Topic',
  'event-rule': 'AWS::Events::EventBus',
  table: 'AWS::DynamoDB::Table',
  stream: 'AWS::Kinesis::Stream',
};

const ID_BASES: Readonly<Record<string, string>> = {
  'AWS::Serverless::Function': 'Function',
  'AWS::SQS::Queue': 'Queue',
  'AWS::S3::Bucket': 'Bucket',
  'AWS::SNS::Topic': 'Topic',
  'AWS::Events::EventBus': 'EventBus',
  'AWS::Events::Rule': 'Rule',
  'AWS::DynamoDB::Table': 'Table',
  'AWS::Serverless::SimpleTable': 'Table',
  'AWS::Kinesis::Stream': 'Stream',
};

/** `Queue` for AWS::SQS::Queue; other types by their last part (`AWS::Lambda::Permission` → `Permission`). */
export function logicalIdBase(resourceType: string): string {
  const known = ID_BASES[resourceType];
  if (known) return known;
  const last = resourceType.split('::').pop() ?? '';
  const cleaned = last.replace(/[^A-Za-z0-9]/g, '');
  return /^[A-Za-z]/.test(cleaned) ? cleaned : `Resource${cleaned}`;
}

/** The first of `Queue1`, `Queue2`, … that is not taken. */
export function nextLogicalId(base: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n += 1) {
    const candidate = `${base}${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** `OrdersQueue` → `orders-queue`, for folder names. */
export function kebabCase(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** `OrdersQueue` → `ORDERS_QUEUE`, for environment variable names. */
export function screamingSnakeCase(id: string): string {
  return kebabCase(id).replace(/-/g, '_').toUpperCase();
}

export const NEW_FUNCTION_DEFAULTS = { Handler: 'index.handler', Runtime: 'nodejs20.x' } as const;

/**
 * Properties a new resource needs to deploy and to work with the canvas' links; what the user
 * passes wins. Functions get their own code folder named after the logical id; tables stream
 * their changes so that they can trigger a function; an event bus needs a name.
 */
export function blueprintProperties(resourceType: string, logicalId: string): Record<string, unknown> {
  switch (resourceType) {
    case 'AWS::Serverless::Function':
      return { CodeUri: `src/${kebabCase(logicalId)}/`, ...NEW_FUNCTION_DEFAULTS };
    case 'AWS::DynamoDB::Table':
      return {
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      };
    case 'AWS::Kinesis::Stream':
      return { ShardCount: 1 };
    case 'AWS::Events::EventBus':
      return { Name: { 'Fn::Sub': `\${AWS::StackName}-${kebabCase(logicalId)}` } };
    default:
      return {};
  }
}
