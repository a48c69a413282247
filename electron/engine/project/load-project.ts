import path from 'node:path';
import type { FunctionConfig, LayerConfig, ProjectModel } from '../contract.ts';
import { InvalidParameterValueError } from '../errors.ts';
import type { TemplateError } from '../errors.ts';
import { findTemplate } from './find-template.ts';
import { readFunction } from './function-properties.ts';
import { propertiesWithGlobals, validateGlobals } from './globals.ts';
import { IntrinsicResolver } from './intrinsics.ts';
import type { TemplateResource } from './intrinsics.ts';
import { readLayer } from './layer-properties.ts';
import { localStack } from './local-resources.ts';
import type { StackIdentity } from './local-resources.ts';
import { Problems } from './problems.ts';
import { TemplateDocument } from './template-document.ts';
import { TemplateErrors } from './template-errors.ts';
import { entryOf, literalString, toTemplateNode } from './template-node.ts';
import type { TemplateNode } from './template-node.ts';
import { readParameters } from './template-parameters.ts';
import type { TemplateParameters } from './template-parameters.ts';

export interface LoadProjectOptions {
  /** Parameter values that replace the template's defaults, as `sam --parameter-overrides`. */
  parameterOverrides?: Record<string, string>;
  /** `AWS::Region`; default us-east-1. */
  region?: string;
  /** `AWS::AccountId`; default 123456789012. */
  accountId?: string;
  /** `AWS::StackName`; default the project folder's name. */
  stackName?: string;
}

export interface LoadedProject {
  model: ProjectModel;
  /** The parsed template, comments and all, for the writer. */
  document: TemplateDocument;
  /** Region, account, partition and stack name the intrinsics were resolved with. */
  stack: StackIdentity;
}

const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT_ID = '123456789012';

/**
 * Reads a SAM project into the engine's model: Globals applied, intrinsics resolved as far as
 * they can be offline, AWS's defaults filled in and AWS's limits checked. Every error of the
 * template is thrown at once as `TemplateErrors`; the file is never written.
 */
export async function loadProject(dir: string, options: LoadProjectOptions = {}): Promise<LoadedProject> {
  const templatePath = await findTemplate(dir);
  const projectDir = path.dirname(templatePath);
  const stack = stackIdentity(projectDir, options);
  const document = await TemplateDocument.read(templatePath);
  const syntaxErrors = document.syntaxErrors();
  if (syntaxErrors.length > 0) throw new TemplateErrors(syntaxErrors);

  const problems = new Problems();
  for (const warning of document.syntaxWarnings()) problems.warn({ at: warning.at, path: ['YAML'] }, warning.message);
  const root = toTemplateNode(document);
  if (root.kind !== 'map') {
    problems.error(root, 'A SAM template must be a mapping with a Resources section.', 'Start from examples/hello/template.yaml.');
    throw new TemplateErrors(problems.errors, problems.warnings);
  }
  checkTransform(root, problems);

  const { parameters, resources, resolver } = readTemplateScope(root, options.parameterOverrides ?? {}, stack, problems);
  const reader = { resolver, problems };
  const globals = entryOf(root, 'Globals');
  validateGlobals(globals, problems);

  const created = [...resources.values()].filter((resource) => {
    if (resolver.isCreated(resource)) return true;
    if (resource.type.startsWith('AWS::Serverless::')) {
      problems.warn(resource.node, `${resource.logicalId} is left out: its condition "${resource.condition ?? ''}" is false.`);
    }
    return false;
  });

  const layerResources = new Map([...resources].filter(([, resource]) => resource.type === 'AWS::Serverless::LayerVersion'));
  const layers = new Map<string, LayerConfig>();
  for (const resource of created.filter((candidate) => candidate.type === 'AWS::Serverless::LayerVersion')) {
    const properties = propertiesWithGlobals(globals, resource);
    const layer = await readLayer(reader, resource, properties, projectDir);
    if (layer) layers.set(resource.logicalId, layer);
  }

  const functions: FunctionConfig[] = [];
  for (const resource of created) {
    if (resource.type === 'AWS::Lambda::Function') {
      problems.warn(resource.node, `${resource.logicalId} is an AWS::Lambda::Function; LambdaDesk runs AWS::Serverless::Function resources only, so it is not loaded.`);
      continue;
    }
    if (resource.type !== 'AWS::Serverless::Function') continue;
    const properties = propertiesWithGlobals(globals, resource);
    const fn = await readFunction({ ...reader, templateDir: projectDir, layers, layerResources }, resource, properties);
    if (fn) functions.push(fn);
  }
  checkUniqueNames(functions, resources, problems);

  if (problems.errors.length > 0) throw new TemplateErrors(inFileOrder(problems.errors), problems.warnings);
  return {
    model: {
      dir: projectDir,
      templatePath,
      functions,
      layers: [...layers.values()],
      parameters: parameters.asText,
      warnings: problems.warnings,
    },
    document,
    stack,
  };
}

/** What the template's intrinsics resolve against: its parameters and resources, and the resolver over them. */
export interface TemplateScope {
  parameters: TemplateParameters;
  resources: Map<string, TemplateResource>;
  resolver: IntrinsicResolver;
}

/** Reads the parameters (defaults replaced by `parameterValues`) and resources of a parsed template, and resolves over them. */
export function readTemplateScope(root: TemplateNode, parameterValues: Readonly<Record<string, string>>, stack: StackIdentity, problems: Problems): TemplateScope {
  const parameters = readParameters(entryOf(root, 'Parameters'), parameterValues, problems, root);
  const resources = readResources(root, problems);
  const resolver = new IntrinsicResolver(
    {
      stack,
      parameters: parameters.values,
      mappings: entryOf(root, 'Mappings'),
      conditions: mappingEntries(entryOf(root, 'Conditions')),
      resources,
    },
    problems,
  );
  return { parameters, resources, resolver };
}

/** Errors are found resource by resource; the user reads them top to bottom. */
function inFileOrder(errors: TemplateError[]): TemplateError[] {
  return [...errors].sort((a, b) => a.at.line - b.at.line || a.at.column - b.at.column);
}

function stackIdentity(projectDir: string, options: LoadProjectOptions): StackIdentity {
  const region = options.region ?? DEFAULT_REGION;
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new InvalidParameterValueError(`"${region}" is not an AWS region name.`, 'Use a region such as us-east-1 or eu-west-2.');
  }
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  if (!/^\d{12}$/.test(accountId)) {
    throw new InvalidParameterValueError(`"${accountId}" is not an AWS account id.`, 'Use twelve digits, e.g. 123456789012.');
  }
  const stackName = options.stackName ?? stackNameFromFolder(projectDir);
  if (!/^[a-zA-Z][-a-zA-Z0-9]{0,127}$/.test(stackName)) {
    throw new InvalidParameterValueError(`"${stackName}" is not a valid stack name.`, 'Start with a letter and use only letters, digits and hyphens (at most 128).');
  }
  return localStack({ region, accountId, stackName });
}

/** A folder name made into a valid CloudFormation stack name (`my_app 2` → `my-app-2`). */
export function stackNameFromFolder(folder: string): string {
  const cleaned = path
    .basename(folder)
    .replace(/[^a-zA-Z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 128);
  if (!cleaned) return 'lambdadesk';
  return /^[a-zA-Z]/.test(cleaned) ? cleaned : `stack-${cleaned}`.slice(0, 128);
}

function checkTransform(root: TemplateNode, problems: Problems): void {
  const transform = entryOf(root, 'Transform');
  const names = transform?.kind === 'seq' ? transform.items.map(literalString) : [literalString(transform)];
  if (names.includes(SAM_TRANSFORM)) return;
  problems.warn(
    transform ?? root,
    `The template does not declare \`Transform: ${SAM_TRANSFORM}\`; LambdaDesk reads it as SAM anyway, but CloudFormation would reject its AWS::Serverless resources.`,
  );
}

function readResources(root: TemplateNode, problems: Problems): Map<string, TemplateResource> {
  const resources = new Map<string, TemplateResource>();
  const section = entryOf(root, 'Resources');
  if (!section) {
    problems.error({ at: root.at, path: ['Resources'] }, 'The template has no Resources section.', 'Add `Resources:` with at least one AWS::Serverless::Function.');
    return resources;
  }
  if (section.kind !== 'map') {
    problems.error(section, 'Resources must be a mapping of logical ids to resources.', 'Write each resource as `LogicalId:` with `Type:` and `Properties:` under it.');
    return resources;
  }
  for (const [logicalId, node] of section.entries) {
    if (!/^[A-Za-z0-9]+$/.test(logicalId)) {
      problems.error(node, `"${logicalId}" is not a valid logical id.`, 'Use letters and digits only.');
      continue;
    }
    if (node.kind !== 'map') {
      problems.error(node, `${logicalId} must be a mapping with a Type.`);
      continue;
    }
    const type = literalString(entryOf(node, 'Type'));
    if (!type) {
      problems.error(entryOf(node, 'Type') ?? node, `${logicalId} has no Type.`, 'Add a Type, e.g. `Type: AWS::Serverless::Function`.');
      continue;
    }
    const properties = entryOf(node, 'Properties');
    if (properties && properties.kind !== 'map' && type.startsWith('AWS::Serverless::')) {
      problems.error(properties, `Properties of ${logicalId} must be a mapping.`);
      continue;
    }
    const conditionNode = entryOf(node, 'Condition');
    const condition = literalString(conditionNode);
    if (conditionNode && !condition) problems.error(conditionNode, 'Condition must name a condition of the Conditions section.');
    resources.set(logicalId, { logicalId, type, node, properties, condition });
  }
  return resources;
}

function mappingEntries(node: TemplateNode | undefined): Map<string, TemplateNode> {
  return node?.kind === 'map' ? new Map(node.entries) : new Map();
}

/** Lambda function names are unique in an account and region; so are the names the CLI invokes by. */
function checkUniqueNames(functions: FunctionConfig[], resources: ReadonlyMap<string, TemplateResource>, problems: Problems): void {
  const seen = new Map<string, FunctionConfig>();
  for (const fn of functions) {
    const first = seen.get(fn.functionName);
    if (first) {
      const node = entryOf(resources.get(fn.logicalId)?.properties, 'FunctionName') ?? resources.get(fn.logicalId)?.node;
      if (node) {
        problems.error(node, `FunctionName "${fn.functionName}" is already used by ${first.logicalId}.`, 'Give each function its own FunctionName.');
      }
      continue;
    }
    seen.set(fn.functionName, fn);
  }
}
