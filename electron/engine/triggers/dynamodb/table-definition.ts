import { keyText, typeOf, type AttributeValue, type Item } from './attribute-value.ts';
import { dynamoErrors } from './dynamodb-errors.ts';

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: 'S' | 'N' | 'B';
}

export interface Projection {
  ProjectionType?: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  NonKeyAttributes?: string[];
}

export interface IndexDefinition {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: Projection;
}

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';

/** A table as stored: what CreateTable (or the template) said, plus identity. */
export interface TableDefinition {
  TableName: string;
  KeySchema: KeySchemaElement[];
  AttributeDefinitions: AttributeDefinition[];
  GlobalSecondaryIndexes?: IndexDefinition[];
  LocalSecondaryIndexes?: IndexDefinition[];
  BillingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  StreamSpecification?: { StreamEnabled: boolean; StreamViewType?: StreamViewType };
  /** Epoch ms. */
  createdAt: number;
  tableId: string;
  /** The stream ARN's last part; template tables use the label their `!GetAtt …StreamArn` resolves to. */
  streamLabel: string;
  /** Logical id when the template declares the table. */
  logicalId?: string;
}

export interface KeyNames {
  hash: string;
  range?: string;
}

export function keyNames(schema: KeySchemaElement[]): KeyNames {
  return { hash: schema.find((k) => k.KeyType === 'HASH')!.AttributeName, range: schema.find((k) => k.KeyType === 'RANGE')?.AttributeName };
}

export function attributeType(table: TableDefinition, name: string): 'S' | 'N' | 'B' | undefined {
  return table.AttributeDefinitions.find((a) => a.AttributeName === name)?.AttributeType;
}

export function streamViewType(table: TableDefinition): StreamViewType | undefined {
  const spec = table.StreamSpecification;
  return spec?.StreamEnabled ? (spec.StreamViewType ?? 'NEW_AND_OLD_IMAGES') : undefined;
}

/**
 * Checks a key (for GetItem, DeleteItem, UpdateItem) against the schema and returns exactly the
 * key attributes, as DynamoDB does: "The provided key element does not match the schema".
 */
export function checkKey(table: TableDefinition, key: Item): Item {
  const names = keyNames(table.KeySchema);
  const wanted = [names.hash, ...(names.range ? [names.range] : [])];
  if (Object.keys(key).length !== wanted.length || !wanted.every((n) => key[n] !== undefined)) throw dynamoErrors.validation('The provided key element does not match the schema');
  const out: Item = {};
  for (const name of wanted) {
    const value = key[name]!;
    if (typeOf(value) !== attributeType(table, name)) throw dynamoErrors.validation('The provided key element does not match the schema');
    checkKeyValue(name, value);
    out[name] = value;
  }
  return out;
}

/** The key attributes of a whole item (PutItem), with DynamoDB's messages for a missing or mistyped one. */
export function keyOfItem(table: TableDefinition, item: Item): Item {
  const names = keyNames(table.KeySchema);
  const out: Item = {};
  for (const name of [names.hash, ...(names.range ? [names.range] : [])]) {
    const value = item[name];
    const expected = attributeType(table, name)!;
    if (value === undefined) throw dynamoErrors.validation(`One or more parameter values were invalid: Missing the key ${name} in the item`);
    if (typeOf(value) !== expected) throw dynamoErrors.validation(`One or more parameter values were invalid: Type mismatch for key ${name} expected: ${expected} actual: ${typeOf(value)}`);
    checkKeyValue(name, value);
    out[name] = value;
  }
  for (const index of [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])]) {
    for (const k of index.KeySchema) {
      const value = item[k.AttributeName];
      const expected = attributeType(table, k.AttributeName);
      if (value !== undefined && expected && typeOf(value) !== expected) {
        throw dynamoErrors.validation(`One or more parameter values were invalid: Type mismatch for Index Key ${k.AttributeName} Expected: ${expected} Actual: ${typeOf(value)} IndexName: ${index.IndexName}`);
      }
    }
  }
  return out;
}

function checkKeyValue(name: string, value: AttributeValue): void {
  if (('S' in value && value.S === '') || ('B' in value && value.B === '')) {
    throw dynamoErrors.validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${'S' in value ? 'string' : 'binary'} value. Key: ${name}`);
  }
}

/** A stable text for a whole primary key: the map key of the item store. */
export function primaryKeyText(table: TableDefinition, key: Item): string {
  const names = keyNames(table.KeySchema);
  return names.range ? `${keyText(key[names.hash]!)}\u0000${keyText(key[names.range]!)}` : keyText(key[names.hash]!);
}

export function streamArnOf(table: TableDefinition, region: string, accountId: string): string {
  return `arn:aws:dynamodb:${region}:${accountId}:table/${table.TableName}/stream/${table.streamLabel}`;
}

export function tableArnOf(table: TableDefinition, region: string, accountId: string): string {
  return `arn:aws:dynamodb:${region}:${accountId}:table/${table.TableName}`;
}

/** DynamoDB streams name shards by creation time and a random part; here both derive from the table. */
export function streamShardId(table: TableDefinition): string {
  return `shardId-${String(Math.floor(table.createdAt)).padStart(20, '0')}-${table.tableId.replace(/-/g, '').slice(0, 8)}`;
}
