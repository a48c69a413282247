import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv-draft-04';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { TemplateDocument } from './template-document.ts';
import { toPlainValue, toTemplateNode } from './template-node.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const schemaPath = path.resolve(repoRoot, '../shared/reference/schemas/sam.schema.json');
const hasSchema = existsSync(schemaPath);

/** Templates that must be valid SAM as written: what the app ships and what good fixtures model. */
const VALID_TEMPLATES = [
  'examples/hello/template.yaml',
  'test/fixtures/projects/intrinsics/template.yaml',
  'test/fixtures/projects/defaults/template.yaml',
  'test/fixtures/projects/json-template/template.json',
  'test/fixtures/projects/yml-template/template.yml',
];

function definitionFor(type: string): string {
  // AWS::Serverless::LayerVersion → samtranslator__internal__schema_source__aws_serverless_layerversion__Resource
  return `samtranslator__internal__schema_source__aws_serverless_${type.slice('AWS::Serverless::'.length).toLowerCase()}__Resource`;
}

let compiled: Ajv | undefined;
function samValidator(): Ajv {
  // The schema carries documentation keywords (markdownDescription, __samPassThrough) that strict mode refuses.
  compiled ??= new Ajv({ strict: false, allErrors: true }).addSchema(JSON.parse(readFileSync(schemaPath, 'utf8')) as object, 'sam');
  return compiled;
}

function validate(ajv: Ajv, template: Record<string, unknown>): string[] {
  const failures: string[] = [];
  const resources = (template.Resources ?? {}) as Record<string, { Type?: string }>;
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!resource.Type?.startsWith('AWS::Serverless::')) continue;
    const check = ajv.getSchema(`sam#/definitions/${definitionFor(resource.Type)}`);
    if (!check) {
      failures.push(`${logicalId}: the schema has no definition for ${resource.Type}`);
      continue;
    }
    if (!check(resource)) failures.push(`${logicalId}: ${ajv.errorsText(check.errors)}`);
  }
  const globals = ajv.getSchema('sam#/definitions/__main____Globals');
  if (template.Globals !== undefined && globals && !globals(template.Globals)) failures.push(`Globals: ${ajv.errorsText(globals.errors)}`);
  return failures;
}

describe.skipIf(!hasSchema)('templates against the official SAM schema', () => {
  if (!hasSchema) console.warn(`Skipped: the SAM schema is not at ${schemaPath}.`);

  test.each(VALID_TEMPLATES)('%s validates', (relative) => {
    // Short tags are read as their long forms, which is what SAM validates.
    const document = TemplateDocument.parse(relative, readFileSync(path.join(repoRoot, relative), 'utf8'));
    const template = toPlainValue(toTemplateNode(document)) as Record<string, unknown>;
    expect(validate(samValidator(), template)).toEqual([]);
  });

  test('the check catches a property SAM does not have', () => {
    const template = parse(
      `Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      MemorySise: 256\n`,
    ) as Record<string, unknown>;
    const failures = validate(samValidator(), template);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('additional properties');
  });
});
