import { randomUUID } from 'node:crypto';
import type { ProjectModel } from '../../contract.ts';
import { TemplateError } from '../../errors.ts';
import { readResourcesOfType, type TemplateResourceView } from '../../project/template-resources.ts';
import type { TableDefinition } from './table-definition.ts';
import { checkTableDefinition } from './table-schema.ts';

export interface TemplateTable {
  logicalId: string;
  /** Undefined when the template's table cannot be created as written (see error). */
  definition?: TableDefinition;
  error?: TemplateError;
}

const SIMPLE_TYPES: Record<string, 'S' | 'N' | 'B'> = { String: 'S', Number: 'N', Binary: 'B' };

/**
 * The tables template.yaml declares (`AWS::DynamoDB::Table`, `AWS::Serverless::SimpleTable`),
 * as CreateTable would receive them. Each keeps the stream label its `!GetAtt …StreamArn`
 * resolves to, so an event's `Stream` finds its table.
 */
export async function readTemplateTables(model: ProjectModel, identity: { region: string; accountId: string }, now: number): Promise<TemplateTable[]> {
  const views = await readResourcesOfType(model, identity, ['AWS::DynamoDB::Table', 'AWS::Serverless::SimpleTable']);
  return views.map((view) => {
    try {
      const input = view.type === 'AWS::Serverless::SimpleTable' ? simpleTableInput(view) : { ...view.properties, TableName: view.ref };
      const streamLabel = view.attributes.StreamArn?.split('/stream/')[1] ?? '1970-01-01T00:00:00.000';
      return { logicalId: view.logicalId, definition: checkTableDefinition(input, { createdAt: now, tableId: randomUUID(), streamLabel, logicalId: view.logicalId }) };
    } catch (err) {
      const fix = (err as { fix?: string }).fix;
      return { logicalId: view.logicalId, error: new TemplateError({ ...view.location, field: `Resources.${view.logicalId}.Properties` }, (err as Error).message, fix) };
    }
  });
}

function simpleTableInput(view: TemplateResourceView): Record<string, unknown> {
  const key = (view.properties.PrimaryKey ?? {}) as Record<string, unknown>;
  const name = typeof key.Name === 'string' ? key.Name : 'id';
  const type = SIMPLE_TYPES[typeof key.Type === 'string' ? key.Type : 'String'];
  if (!type) throw Object.assign(new Error(`PrimaryKey.Type must be String, Number or Binary, not ${JSON.stringify(key.Type)}.`), { fix: 'Write PrimaryKey: { Name: id, Type: String }.' });
  return {
    TableName: view.ref,
    KeySchema: [{ AttributeName: name, KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: name, AttributeType: type }],
    ...(view.properties.ProvisionedThroughput ? { BillingMode: 'PROVISIONED', ProvisionedThroughput: view.properties.ProvisionedThroughput } : { BillingMode: 'PAY_PER_REQUEST' }),
  };
}
