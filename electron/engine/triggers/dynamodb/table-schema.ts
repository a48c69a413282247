import { dynamoErrors } from './dynamodb-errors.ts';
import type { AttributeDefinition, IndexDefinition, KeySchemaElement, Projection, StreamViewType, TableDefinition } from './table-definition.ts';

const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
const VIEW_TYPES: StreamViewType[] = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'];

export function checkTableName(name: unknown, member = 'tableName'): string {
  if (typeof name !== 'string') throw dynamoErrors.validation(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  if (!TABLE_NAME.test(name)) {
    throw dynamoErrors.validation(
      `1 validation error detected: Value '${name}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length from 3 to 255`,
      'Table names use letters, digits, underscore, hyphen and dot, 3 to 255 of them.',
    );
  }
  return name;
}

/**
 * Checks a table as CreateTable (or a template's AWS::DynamoDB::Table) describes it, with
 * DynamoDB's own messages, and returns it ready to store. Throws ValidationException.
 */
export function checkTableDefinition(input: Record<string, unknown>, identity: { createdAt: number; tableId: string; streamLabel: string; logicalId?: string }): TableDefinition {
  const TableName = checkTableName(input.TableName);
  const KeySchema = keySchema(input.KeySchema, 'KeySchema');
  const AttributeDefinitions = attributeDefinitions(input.AttributeDefinitions);
  const GlobalSecondaryIndexes = indexes(input.GlobalSecondaryIndexes, 'GlobalSecondaryIndexes');
  const LocalSecondaryIndexes = indexes(input.LocalSecondaryIndexes, 'LocalSecondaryIndexes');
  const hash = KeySchema[0]!.AttributeName;
  for (const lsi of LocalSecondaryIndexes ?? []) {
    if (lsi.KeySchema[0]!.AttributeName !== hash || lsi.KeySchema.length !== 2) {
      throw dynamoErrors.validation(`One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: ${lsi.IndexName}. index hash key: ${lsi.KeySchema[0]!.AttributeName}, table hash key: ${hash}`);
    }
  }
  const used = new Set([...KeySchema, ...(GlobalSecondaryIndexes ?? []).flatMap((i) => i.KeySchema), ...(LocalSecondaryIndexes ?? []).flatMap((i) => i.KeySchema)].map((k) => k.AttributeName));
  const defined = AttributeDefinitions.map((a) => a.AttributeName);
  if (defined.length !== used.size || !defined.every((n) => used.has(n))) {
    const missing = [...used].filter((n) => !defined.includes(n));
    if (missing.length) throw dynamoErrors.validation(`One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [${missing.join(', ')}], AttributeDefinitions: [${defined.join(', ')}]`);
    throw dynamoErrors.validation(`One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`, 'List in AttributeDefinitions only the attributes used by the table key and index keys.');
  }
  const names = new Set<string>();
  for (const index of [...(GlobalSecondaryIndexes ?? []), ...(LocalSecondaryIndexes ?? [])]) {
    if (names.has(index.IndexName)) throw dynamoErrors.validation(`One or more parameter values were invalid: Duplicate index name: ${index.IndexName}`);
    names.add(index.IndexName);
  }
  const billing = input.BillingMode === undefined ? undefined : String(input.BillingMode);
  if (billing !== undefined && billing !== 'PROVISIONED' && billing !== 'PAY_PER_REQUEST') throw dynamoErrors.validation(`1 validation error detected: Value '${billing}' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]`);
  const throughput = input.ProvisionedThroughput as Record<string, unknown> | undefined;
  const BillingMode = billing === 'PAY_PER_REQUEST' || (billing === undefined && !throughput) ? 'PAY_PER_REQUEST' : 'PROVISIONED';
  if (billing === 'PROVISIONED' && !throughput) throw dynamoErrors.validation('One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
  const definition: TableDefinition = {
    TableName,
    KeySchema,
    AttributeDefinitions,
    BillingMode,
    createdAt: identity.createdAt,
    tableId: identity.tableId,
    streamLabel: identity.streamLabel,
  };
  if (GlobalSecondaryIndexes) definition.GlobalSecondaryIndexes = GlobalSecondaryIndexes;
  if (LocalSecondaryIndexes) definition.LocalSecondaryIndexes = LocalSecondaryIndexes;
  if (identity.logicalId) definition.logicalId = identity.logicalId;
  if (BillingMode === 'PROVISIONED' && throughput) definition.ProvisionedThroughput = { ReadCapacityUnits: Number(throughput.ReadCapacityUnits ?? 1), WriteCapacityUnits: Number(throughput.WriteCapacityUnits ?? 1) };
  const stream = streamSpecification(input.StreamSpecification);
  if (stream) definition.StreamSpecification = stream;
  return definition;
}

/** The API sends StreamEnabled + StreamViewType; CloudFormation only StreamViewType (present means on). */
export function streamSpecification(raw: unknown): TableDefinition['StreamSpecification'] {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object') throw dynamoErrors.validation('StreamSpecification must be an object with StreamViewType.');
  const spec = raw as Record<string, unknown>;
  const enabled = spec.StreamEnabled === undefined ? spec.StreamViewType !== undefined : spec.StreamEnabled === true || spec.StreamEnabled === 'true';
  if (!enabled) return { StreamEnabled: false };
  const view = spec.StreamViewType;
  if (typeof view !== 'string' || !VIEW_TYPES.includes(view as StreamViewType)) {
    throw dynamoErrors.validation(`1 validation error detected: Value '${String(view)}' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [${VIEW_TYPES.join(', ')}]`, 'Set StreamViewType to KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES.');
  }
  return { StreamEnabled: true, StreamViewType: view as StreamViewType };
}

function keySchema(raw: unknown, member: string): KeySchemaElement[] {
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > 2) throw dynamoErrors.validation(`1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to 2 and greater than or equal to 1`, `${member} is a list of { AttributeName, KeyType: HASH } and optionally { AttributeName, KeyType: RANGE }.`);
  const out = raw.map((k: unknown) => {
    const e = (k ?? {}) as Record<string, unknown>;
    if (typeof e.AttributeName !== 'string' || (e.KeyType !== 'HASH' && e.KeyType !== 'RANGE')) throw dynamoErrors.validation(`Invalid ${member}: each element needs AttributeName and KeyType HASH or RANGE.`);
    return { AttributeName: e.AttributeName, KeyType: e.KeyType } as KeySchemaElement;
  });
  if (out[0]!.KeyType !== 'HASH' || (out[1] && out[1].KeyType !== 'RANGE')) throw dynamoErrors.validation(`Invalid KeySchema: The first KeySchemaElement is not a HASH key type`);
  return out;
}

function attributeDefinitions(raw: unknown): AttributeDefinition[] {
  if (!Array.isArray(raw) || raw.length === 0) throw dynamoErrors.validation("1 validation error detected: Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null", 'List each key attribute as { AttributeName, AttributeType: S | N | B }.');
  return raw.map((a: unknown) => {
    const e = (a ?? {}) as Record<string, unknown>;
    if (typeof e.AttributeName !== 'string' || !['S', 'N', 'B'].includes(String(e.AttributeType))) {
      throw dynamoErrors.validation(`1 validation error detected: Value '${String(e.AttributeType)}' at 'attributeDefinitions.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]`);
    }
    return { AttributeName: e.AttributeName, AttributeType: e.AttributeType as 'S' | 'N' | 'B' };
  });
}

function indexes(raw: unknown, member: string): IndexDefinition[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw dynamoErrors.validation(`${member} must be a list.`);
  return raw.map((i: unknown) => {
    const e = (i ?? {}) as Record<string, unknown>;
    if (typeof e.IndexName !== 'string' || !/^[a-zA-Z0-9_.-]{3,255}$/.test(e.IndexName)) throw dynamoErrors.validation(`Invalid ${member}: IndexName must be 3 to 255 letters, digits, _ . or -.`);
    const projection = (e.Projection ?? {}) as Record<string, unknown>;
    const type = projection.ProjectionType ?? 'ALL';
    if (!['ALL', 'KEYS_ONLY', 'INCLUDE'].includes(String(type))) throw dynamoErrors.validation(`Invalid ${member}: ProjectionType must be ALL, KEYS_ONLY or INCLUDE.`);
    const out: Projection = { ProjectionType: type as Projection['ProjectionType'] };
    if (type === 'INCLUDE') out.NonKeyAttributes = Array.isArray(projection.NonKeyAttributes) ? projection.NonKeyAttributes.map(String) : [];
    return { IndexName: e.IndexName, KeySchema: keySchema(e.KeySchema, `${member}.KeySchema`), Projection: out };
  });
}
