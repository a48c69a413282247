import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv-draft-04';

/**
 * Test support (ajv is a devDependency): checks a template's AWS::Serverless::* resources and
 * Globals against the official SAM schema in shared/reference, when that file is present.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SAM_SCHEMA_PATH = path.resolve(repoRoot, '../shared/reference/schemas/sam.schema.json');
export const hasSamSchema = existsSync(SAM_SCHEMA_PATH);

function definitionFor(type: string): string {
  // AWS::Serverless::LayerVersion → samtranslator__internal__schema_source__aws_serverless_layerversion__Resource
  return `samtranslator__internal__schema_source__aws_serverless_${type.slice('AWS::Serverless::'.length).toLowerCase()}__Resource`;
}

let compiled: Ajv | undefined;
function samValidator(): Ajv {
  // The schema carries documentation keywords (markdownDescription, __samPassThrough) that strict mode refuses.
  compiled ??= new Ajv({ strict: false, allErrors: true }).addSchema(JSON.parse(readFileSync(SAM_SCHEMA_PATH, 'utf8')) as object, 'sam');
  return compiled;
}

/** One line per resource (or Globals) that the schema rejects; empty when the template is valid SAM. */
export function samSchemaFailures(template: Record<string, unknown>): string[] {
  const ajv = samValidator();
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
