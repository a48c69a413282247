import type { Architecture, FunctionConfig, LayerConfig } from '../contract.ts';
import { SUPPORTED_RUNTIMES } from '../contract.ts';
import { resolveCodeFolder } from './code-location.ts';
import { readEvents } from './event-sources.ts';
import { isPlaceholder, toText } from './intrinsics.ts';
import type { TemplateResource } from './intrinsics.ts';
import { ARCHITECTURES, DEFAULT_ARCHITECTURE, LAMBDA_LIMITS, RESERVED_ENVIRONMENT_KEYS } from './lambda-limits.ts';
import { classifyRuntime, hasFileExportHandler, isCustomRuntime } from './lambda-runtimes.ts';
import type { Spot } from './problems.ts';
import { describeValue, readText, readWholeNumber, resolved } from './read-values.ts';
import type { ValueReader } from './read-values.ts';
import { entryOf } from './template-node.ts';
import type { TemplateNode } from './template-node.ts';

export interface FunctionReadContext extends ValueReader {
  templateDir: string;
  /** Local layers that loaded, by logical id. */
  layers: ReadonlyMap<string, LayerConfig>;
  /** Every local layer resource by logical id, loaded or not, to tell a broken layer from a missing one. */
  layerResources: ReadonlyMap<string, TemplateResource>;
}

const SUPPORTED_LIST = SUPPORTED_RUNTIMES.join(', ');
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const ALIAS_NAME = /^(?!\d+$)[a-zA-Z0-9_-]{1,128}$/;
const ENVIRONMENT_KEY = /^[a-zA-Z][a-zA-Z0-9_]+$/;
const LAYER_ARN = /^arn:[a-zA-Z-]+:lambda:(?:[a-z0-9-]+:\d{12}:layer:[a-zA-Z0-9_-]+:\d+|::awslayer:[a-zA-Z0-9_-]+)$/;

/**
 * One `AWS::Serverless::Function` (Globals already applied) as the engine runs it, with AWS's
 * defaults and limits. Every problem is recorded; the result is undefined if there was one.
 */
export async function readFunction(
  context: FunctionReadContext,
  resource: TemplateResource,
  properties: TemplateNode | undefined,
): Promise<FunctionConfig | undefined> {
  const { problems } = context;
  const errorsBefore = problems.errors.length;
  const propertiesPath = [...resource.node.path, 'Properties'];
  const missing = (name: string): Spot => ({ at: (properties ?? resource.node).at, path: [...propertiesPath, name] });
  const property = (name: string): TemplateNode | undefined => entryOf(properties, name);

  if (!rejectImageAndInline(context, property, missing)) return undefined;

  const runtime = readRuntime(context, property('Runtime'), missing('Runtime'));
  const handler = runtime === undefined ? '' : readHandler(context, runtime, property('Handler'), missing('Handler'));
  const codeDir = await resolveCodeFolder(property('CodeUri'), {
    property: 'CodeUri',
    templateDir: context.templateDir,
    resolver: context.resolver,
    problems,
  });

  const memoryMb =
    readWholeNumber(context, property('MemorySize'), {
      name: 'MemorySize',
      ...LAMBDA_LIMITS.memoryMb,
      fix: `Set MemorySize to a whole number of MB from ${LAMBDA_LIMITS.memoryMb.min} to ${LAMBDA_LIMITS.memoryMb.max}.`,
    }) ?? LAMBDA_LIMITS.memoryMb.default;
  const timeoutSeconds =
    readWholeNumber(context, property('Timeout'), {
      name: 'Timeout',
      ...LAMBDA_LIMITS.timeoutSeconds,
      fix: `Set Timeout to a whole number of seconds from ${LAMBDA_LIMITS.timeoutSeconds.min} to ${LAMBDA_LIMITS.timeoutSeconds.max}.`,
    }) ?? LAMBDA_LIMITS.timeoutSeconds.default;
  const ephemeralStorageMb = readEphemeralStorage(context, property('EphemeralStorage'));
  const architecture = readArchitecture(context, property('Architectures'));
  const environment = readEnvironment(context, property('Environment'));
  const layers = readLayers(context, property('Layers'), runtime);
  const reservedConcurrency = readWholeNumber(context, property('ReservedConcurrentExecutions'), {
    name: 'ReservedConcurrentExecutions',
    min: 0,
    fix: 'Set ReservedConcurrentExecutions to a whole number from 0 (which stops all invocations) up.',
  });
  const autoPublishAlias = readAlias(context, property('AutoPublishAlias'));
  const provisionedConcurrency = readProvisioned(context, property('ProvisionedConcurrencyConfig'), autoPublishAlias, reservedConcurrency);
  const functionName = readFunctionName(context, resource.logicalId, property('FunctionName'));
  const events = readEvents(context, property('Events'));

  if (problems.errors.length > errorsBefore || runtime === undefined || codeDir === undefined) return undefined;
  return {
    logicalId: resource.logicalId,
    functionName,
    handler,
    runtime,
    codeDir,
    memoryMb,
    timeoutSeconds,
    environment,
    ephemeralStorageMb,
    architecture,
    layers,
    ...(reservedConcurrency !== undefined && { reservedConcurrency }),
    ...(provisionedConcurrency !== undefined && { provisionedConcurrency }),
    ...(autoPublishAlias !== undefined && { autoPublishAlias }),
    events,
    location: resource.node.at,
  };
}

/** Container-image and inline-code functions need machinery LambdaDesk does not have yet. */
function rejectImageAndInline(
  context: FunctionReadContext,
  property: (name: string) => TemplateNode | undefined,
  missing: (name: string) => Spot,
): boolean {
  const packageTypeNode = property('PackageType');
  const packageType = resolved(context, packageTypeNode);
  const imageUri = property('ImageUri');
  if (packageType === 'Image' || (packageType === undefined && imageUri)) {
    context.problems.error(
      packageTypeNode ?? imageUri ?? missing('PackageType'),
      'Container image functions (PackageType: Image) are not supported yet.',
      'Use a zip function instead: remove PackageType and ImageUri, and set Runtime, Handler and CodeUri.',
    );
    return false;
  }
  if (packageType !== undefined && packageType !== 'Zip') {
    context.problems.error(packageTypeNode ?? missing('PackageType'), `PackageType ${describeValue(packageType)} is neither Zip nor Image.`, 'Remove PackageType (Zip is the default).');
    return false;
  }
  const inline = property('InlineCode');
  if (inline) {
    context.problems.error(
      inline,
      'InlineCode is not supported yet.',
      'Move the code into a file in a folder (e.g. src/index.js) and set CodeUri to that folder.',
    );
    return false;
  }
  return true;
}

function readRuntime(context: FunctionReadContext, node: TemplateNode | undefined, spot: Spot): string | undefined {
  const fix = `Set Runtime to one of: ${SUPPORTED_LIST}.`;
  if (!node) {
    context.problems.error(spot, 'Runtime is required.', fix);
    return undefined;
  }
  const runtime = readText(context, node, fix);
  if (runtime === undefined) return undefined;
  if (isPlaceholder(runtime)) {
    context.problems.error(node, `Runtime is not known offline (${runtime}).`, fix);
    return undefined;
  }
  const kind = classifyRuntime(runtime);
  if (kind === 'unknown') {
    context.problems.error(node, `"${runtime}" is not a Lambda runtime LambdaDesk knows.`, fix);
    return undefined;
  }
  if (kind === 'unsupported-lambda-runtime') {
    context.problems.warn(node, `LambdaDesk cannot run ${runtime} yet (it runs ${SUPPORTED_LIST}); the function loads, but invoking it fails.`);
  }
  return runtime;
}

function readHandler(context: FunctionReadContext, runtime: string, node: TemplateNode | undefined, spot: Spot): string {
  const example = runtime.startsWith('python') ? 'app.handler (the function handler in app.py)' : 'index.handler (the export handler of index.js)';
  const fix = `Set Handler to file.export, e.g. ${example}; a file in a subfolder is written src/handlers/app.handler.`;
  const handler = readText(context, node, fix);
  if (handler === undefined || handler === '') {
    if (!isCustomRuntime(runtime)) context.problems.error(node ?? spot, `Handler is required for ${runtime}.`, fix);
    return '';
  }
  if (isPlaceholder(handler)) {
    context.problems.error(node ?? spot, `Handler is not known offline (${handler}).`, fix);
    return '';
  }
  if (handler.length > LAMBDA_LIMITS.handlerLength) {
    context.problems.error(node ?? spot, `Handler is ${handler.length} characters long; Lambda allows ${LAMBDA_LIMITS.handlerLength}.`, fix);
  } else if (hasFileExportHandler(runtime)) {
    const dot = handler.lastIndexOf('.');
    const file = handler.slice(0, dot);
    const exportName = handler.slice(dot + 1);
    if (dot <= 0 || file.endsWith('/') || /\s/.test(handler) || !/^[A-Za-z_$][\w$]*$/.test(exportName)) {
      context.problems.error(node ?? spot, `"${handler}" is not of the form file.export.`, fix);
    } else if (['js', 'mjs', 'cjs', 'py', 'ts'].includes(exportName)) {
      context.problems.error(node ?? spot, `"${handler}" names a file, not the function inside it.`, fix);
    }
  }
  return handler;
}

function readEphemeralStorage(context: FunctionReadContext, node: TemplateNode | undefined): number {
  const { min, max } = LAMBDA_LIMITS.ephemeralStorageMb;
  const fix = `Set EphemeralStorage.Size to a whole number of MB from ${min} to ${max}.`;
  if (!node) return LAMBDA_LIMITS.ephemeralStorageMb.default;
  const chosen = context.resolver.select(node);
  if (chosen.kind !== 'map') {
    if (resolved(context, node) !== undefined) context.problems.error(node, 'EphemeralStorage must be a mapping with a Size.', fix);
    return LAMBDA_LIMITS.ephemeralStorageMb.default;
  }
  const size = readWholeNumber(context, entryOf(chosen, 'Size'), { name: 'EphemeralStorage.Size', min, max, fix });
  return size ?? LAMBDA_LIMITS.ephemeralStorageMb.default;
}

function readArchitecture(context: FunctionReadContext, node: TemplateNode | undefined): Architecture {
  const fix = 'Set Architectures to a list of one architecture: [x86_64] or [arm64].';
  if (!node || resolved(context, node) === undefined) return DEFAULT_ARCHITECTURE;
  if (!Array.isArray(resolved(context, node))) {
    context.problems.error(node, `Architectures must be a list, not ${describeValue(resolved(context, node))}.`, fix);
    return DEFAULT_ARCHITECTURE;
  }
  const items = context.resolver.items(node);
  if (items.length !== 1) {
    context.problems.error(node, `Architectures must list exactly one architecture; it lists ${items.length}.`, fix);
    return DEFAULT_ARCHITECTURE;
  }
  const [item] = items as [{ value: unknown; node: TemplateNode }];
  if (isPlaceholder(item.value)) {
    context.problems.warn(item.node, `Architectures is not known offline (${String(item.value)}); ${DEFAULT_ARCHITECTURE} is used.`);
    return DEFAULT_ARCHITECTURE;
  }
  if (!(ARCHITECTURES as readonly unknown[]).includes(item.value)) {
    context.problems.error(item.node, `${describeValue(item.value)} is not a Lambda architecture.`, fix);
    return DEFAULT_ARCHITECTURE;
  }
  return item.value as Architecture;
}

/** Environment values are text to Lambda; CloudFormation turns numbers and booleans into text. */
function readEnvironment(context: FunctionReadContext, node: TemplateNode | undefined): Record<string, string> {
  const environment: Record<string, string> = {};
  if (!node || resolved(context, node) === undefined) return environment;
  const chosen = context.resolver.select(node);
  if (chosen.kind !== 'map') {
    context.problems.error(node, 'Environment must be a mapping with Variables.', 'Write it as Environment: { Variables: { NAME: value } }.');
    return environment;
  }
  const variablesNode = entryOf(chosen, 'Variables');
  const variables = resolved(context, variablesNode);
  if (!variablesNode || variables === undefined) return environment;
  if (variables === null || typeof variables !== 'object' || Array.isArray(variables)) {
    context.problems.error(variablesNode, 'Environment.Variables must be a mapping of names to values.', 'Write each variable as NAME: value.');
    return environment;
  }
  let bytes = 0;
  for (const { key, value, node: variable } of context.resolver.entries(variablesNode)) {
    const spot: Spot = variable === variablesNode ? { at: variable.at, path: [...variable.path, key] } : variable;
    if (!ENVIRONMENT_KEY.test(key)) {
      context.problems.error(spot, `"${key}" is not a valid environment variable name.`, 'Start with a letter and follow it with at least one letter, digit or underscore, as Lambda requires ([a-zA-Z][a-zA-Z0-9_]+).');
      continue;
    }
    if ((RESERVED_ENVIRONMENT_KEYS as readonly string[]).includes(key)) {
      context.problems.error(spot, `${key} is set by Lambda itself and cannot be configured.`, `Remove ${key}, or rename the variable.`);
      continue;
    }
    const text = toText(value);
    if (text === undefined || value === null) {
      context.problems.error(spot, `${describeValue(value)} is not a valid value for ${key}.`, `Give ${key} a text value; write '' for an empty one.`);
      continue;
    }
    environment[key] = text;
    bytes += Buffer.byteLength(key) + Buffer.byteLength(text);
  }
  if (bytes > LAMBDA_LIMITS.environmentBytes) {
    context.problems.error(
      variablesNode,
      `The environment variables take ${bytes} bytes; Lambda allows ${LAMBDA_LIMITS.environmentBytes} in total.`,
      'Move large values to a file in the code folder or to a parameter store.',
    );
  }
  return environment;
}

/** Local LayerVersions become folders to mount; ARNs of published layers cannot be fetched offline. */
function readLayers(context: FunctionReadContext, node: TemplateNode | undefined, runtime: string | undefined): LayerConfig[] {
  const layers: LayerConfig[] = [];
  if (!node || resolved(context, node) === undefined) return layers;
  if (!Array.isArray(resolved(context, node))) {
    context.problems.error(node, 'Layers must be a list.', 'Write it as a list, e.g. Layers: [!Ref CommonLayer].');
    return layers;
  }
  const items = context.resolver.items(node);
  if (items.length > LAMBDA_LIMITS.layersPerFunction) {
    context.problems.error(node, `A function can use at most ${LAMBDA_LIMITS.layersPerFunction} layers; this one lists ${items.length}.`, 'Merge some layers, or move their code into the function.');
  }
  for (const { value, node: item } of items) {
    const refTarget = item.kind === 'intrinsic' && item.fn === 'Ref' && item.arg.kind === 'scalar' ? String(item.arg.value) : undefined;
    if (refTarget !== undefined && context.layerResources.has(refTarget)) {
      const layer = context.layers.get(refTarget);
      // A layer that failed to load has its own error already.
      if (layer) {
        layers.push(layer);
        if (runtime && layer.compatibleRuntimes.length > 0 && !layer.compatibleRuntimes.includes(runtime)) {
          context.problems.warn(item, `Layer ${layer.logicalId} lists CompatibleRuntimes ${layer.compatibleRuntimes.join(', ')}, which does not include ${runtime}.`);
        }
      }
      continue;
    }
    if (isPlaceholder(value)) continue;
    if (typeof value === 'string' && LAYER_ARN.test(value)) {
      context.problems.warn(item, `Layer ${value} is published in AWS and cannot be fetched offline; the function runs without it.`);
      continue;
    }
    context.problems.error(
      item,
      `${describeValue(value)} is neither a layer version ARN nor a !Ref to an AWS::Serverless::LayerVersion in this template.`,
      'Use !Ref to a local AWS::Serverless::LayerVersion (with ContentUri), or a full ARN arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION.',
    );
  }
  return layers;
}

function readAlias(context: FunctionReadContext, node: TemplateNode | undefined): string | undefined {
  const fix = 'Set AutoPublishAlias to a name of letters, digits, - and _ (not only digits), e.g. live.';
  const alias = readText(context, node, fix);
  if (alias === undefined || !node) return undefined;
  if (isPlaceholder(alias)) {
    context.problems.warn(node, `AutoPublishAlias is not known offline (${alias}); the function has no alias.`);
    return undefined;
  }
  if (!ALIAS_NAME.test(alias)) {
    context.problems.error(node, `"${alias}" is not a valid alias name.`, fix);
    return undefined;
  }
  return alias;
}

function readProvisioned(
  context: FunctionReadContext,
  node: TemplateNode | undefined,
  alias: string | undefined,
  reserved: number | undefined,
): number | undefined {
  if (!node || resolved(context, node) === undefined) return undefined;
  const chosen = context.resolver.select(node);
  const fix = 'Set ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions to a whole number from 1 up.';
  if (chosen.kind !== 'map') {
    context.problems.error(node, 'ProvisionedConcurrencyConfig must be a mapping with ProvisionedConcurrentExecutions.', fix);
    return undefined;
  }
  const countNode = entryOf(chosen, 'ProvisionedConcurrentExecutions');
  if (!countNode) {
    context.problems.error({ at: node.at, path: [...node.path, 'ProvisionedConcurrentExecutions'] }, 'ProvisionedConcurrentExecutions is required.', fix);
    return undefined;
  }
  const count = readWholeNumber(context, countNode, { name: 'ProvisionedConcurrentExecutions', min: 1, fix });
  if (count === undefined) return undefined;
  if (alias === undefined) {
    context.problems.error(node, 'ProvisionedConcurrencyConfig needs AutoPublishAlias: provisioned concurrency is set on an alias.', 'Add AutoPublishAlias (e.g. `AutoPublishAlias: live`) to the function.');
    return undefined;
  }
  if (reserved !== undefined && count > reserved) {
    context.problems.error(countNode, `${count} provisioned environments exceed ReservedConcurrentExecutions (${reserved}).`, `Set ProvisionedConcurrentExecutions to ${reserved} or less, or raise ReservedConcurrentExecutions.`);
    return undefined;
  }
  return count;
}

function readFunctionName(context: FunctionReadContext, logicalId: string, node: TemplateNode | undefined): string {
  const fix = 'Set FunctionName to 1-64 letters, digits, - and _, or leave it out to use the logical id.';
  const name = readText(context, node, fix);
  if (name === undefined || !node) return logicalId;
  if (isPlaceholder(name)) {
    context.problems.warn(node, `FunctionName is not known offline (${name}); the function is called ${logicalId}.`);
    return logicalId;
  }
  if (!FUNCTION_NAME.test(name)) {
    context.problems.error(node, `"${name}" is not a valid function name.`, fix);
    return logicalId;
  }
  return name;
}
