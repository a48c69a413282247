import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { SAM_SCHEMA_PATH, hasSamSchema, samSchemaFailures } from './sam-schema-check.ts';
import { TemplateDocument } from './template-document.ts';
import { toPlainValue, toTemplateNode } from './template-node.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Templates that must be valid SAM as written: what the app ships and what good fixtures model. */
const VALID_TEMPLATES = [
  'examples/hello/template.yaml',
  'test/fixtures/projects/intrinsics/template.yaml',
  'test/fixtures/projects/defaults/template.yaml',
  'test/fixtures/projects/json-template/template.json',
  'test/fixtures/projects/yml-template/template.yml',
  'test/fixtures/projects/editing/commented/template.yaml',
  'test/fixtures/projects/editing/json/template.json',
];

describe.skipIf(!hasSamSchema)('templates against the official SAM schema', () => {
  if (!hasSamSchema) console.warn(`Skipped: the SAM schema is not at ${SAM_SCHEMA_PATH}.`);

  test.each(VALID_TEMPLATES)('%s validates', (relative) => {
    // Short tags are read as their long forms, which is what SAM validates.
    const document = TemplateDocument.parse(relative, readFileSync(path.join(repoRoot, relative), 'utf8'));
    const template = toPlainValue(toTemplateNode(document)) as Record<string, unknown>;
    expect(samSchemaFailures(template)).toEqual([]);
  });

  test('the check catches a property SAM does not have', () => {
    const template = parse(
      `Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      MemorySise: 256\n`,
    ) as Record<string, unknown>;
    const failures = samSchemaFailures(template);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('additional properties');
  });
});
