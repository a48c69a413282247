import type { TemplateResource } from './intrinsics.ts';
import type { Problems, Spot } from './problems.ts';
import { entryOf } from './template-node.ts';
import type { MapNode, TemplateNode } from './template-node.ts';

/** The Globals sections SAM knows, and the properties each may set (from the SAM schema). */
const GLOBAL_PROPERTIES: Readonly<Record<string, readonly string[] | undefined>> = {
  Function: [
    'Architectures', 'AssumeRolePolicyDocument', 'AutoPublishAlias', 'CapacityProviderConfig', 'CodeUri',
    'DeadLetterQueue', 'DeploymentPreference', 'Description', 'DurableConfig', 'Environment', 'EphemeralStorage',
    'EventInvokeConfig', 'FunctionScalingConfig', 'Handler', 'KmsKeyArn', 'Layers', 'LoggingConfig', 'MemorySize',
    'PermissionsBoundary', 'PropagateTags', 'ProvisionedConcurrencyConfig', 'PublishToLatestPublished',
    'RecursiveLoop', 'ReservedConcurrentExecutions', 'RolePath', 'Runtime', 'RuntimeManagementConfig', 'SnapStart',
    'SourceKMSKeyArn', 'Tags', 'TenancyConfig', 'Timeout', 'Tracing', 'VersionDeletionPolicy', 'VpcConfig',
  ],
  LayerVersion: ['CompatibleArchitectures', 'CompatibleRuntimes', 'LicenseInfo', 'PublishLambdaVersion', 'RetentionPolicy'],
  // Sections LambdaDesk does not read; their property lists are SAM's business.
  Api: undefined,
  HttpApi: undefined,
  SimpleTable: undefined,
  StateMachine: undefined,
  WebSocketApi: undefined,
  CapacityProvider: undefined,
};

/** Reports what SAM's transform would refuse in Globals: unknown sections and unsupported properties. */
export function validateGlobals(globalsNode: TemplateNode | undefined, problems: Problems): void {
  if (!globalsNode) return;
  if (globalsNode.kind !== 'map') {
    problems.error(globalsNode, 'Globals must be a mapping of resource kinds (Function, Api, …) to properties.');
    return;
  }
  const sections = Object.keys(GLOBAL_PROPERTIES);
  for (const [section, node] of globalsNode.entries) {
    if (!sections.includes(section)) {
      problems.error(node, `"${section}" is not a Globals section SAM supports.`, `Use one of: ${sections.join(', ')}.`);
      continue;
    }
    if (node.kind !== 'map') {
      problems.error(node, `Globals.${section} must be a mapping of properties.`);
      continue;
    }
    const allowed = GLOBAL_PROPERTIES[section];
    if (!allowed) continue;
    for (const [property, value] of node.entries) {
      if (!allowed.includes(property)) {
        problems.error(
          value,
          `${property} cannot be set in Globals.${section}; SAM allows only: ${allowed.join(', ')}.`,
          `Move ${property} into each resource's Properties.`,
        );
      }
    }
  }
}

/** Which Globals a resource opts out of with `IgnoreGlobals` (`'*'` or a list of property names). */
export function ignoredGlobals(resourceNode: MapNode): Set<string> | 'all' {
  const node = entryOf(resourceNode, 'IgnoreGlobals');
  if (node?.kind === 'scalar' && node.value === '*') return 'all';
  if (node?.kind === 'scalar' && typeof node.value === 'string') return new Set([node.value]);
  if (node?.kind === 'seq') {
    return new Set(node.items.flatMap((item) => (item.kind === 'scalar' && typeof item.value === 'string' ? [item.value] : [])));
  }
  return new Set();
}

/**
 * A resource's properties with the Globals section of its type applied (`Function` for an
 * `AWS::Serverless::Function`, `Api` for an `AWS::Serverless::Api`, …), `IgnoreGlobals` honoured;
 * other types have no Globals.
 */
export function propertiesWithGlobals(globalsNode: TemplateNode | undefined, resource: TemplateResource): TemplateNode | undefined {
  const section = resource.type.startsWith('AWS::Serverless::') ? resource.type.slice('AWS::Serverless::'.length) : undefined;
  if (!section || !Object.hasOwn(GLOBAL_PROPERTIES, section)) return resource.properties;
  const spot = { at: resource.node.at, path: [...resource.node.path, 'Properties'] };
  return applyGlobals(entryOf(globalsNode, section), resource.properties, ignoredGlobals(resource.node), spot);
}

/**
 * A resource's properties with Globals applied as SAM does: the resource's primitive values win,
 * mappings merge key by key, lists are concatenated (Globals first), and an intrinsic counts as
 * a primitive. Every node keeps the path it was written at, so messages point at Globals when the
 * value came from there.
 */
export function applyGlobals(
  globalSection: TemplateNode | undefined,
  properties: TemplateNode | undefined,
  ignored: Set<string> | 'all',
  /** Where a resource without Properties is written. */
  propertiesSpot: Spot,
): TemplateNode | undefined {
  if (ignored === 'all' || globalSection?.kind !== 'map') return properties;
  const globalEntries = [...globalSection.entries].filter(([key]) => !ignored.has(key));
  if (globalEntries.length === 0) return properties;
  const inherited: MapNode = { kind: 'map', entries: new Map(globalEntries), path: [...propertiesSpot.path], at: propertiesSpot.at };
  if (!properties) return inherited;
  return merge(inherited, properties);
}

function merge(global: TemplateNode, local: TemplateNode): TemplateNode {
  if (global.kind === 'map' && local.kind === 'map') {
    const entries = new Map(global.entries);
    for (const [key, value] of local.entries) {
      const inherited = entries.get(key);
      entries.set(key, inherited ? merge(inherited, value) : value);
    }
    return { ...local, entries };
  }
  if (global.kind === 'seq' && local.kind === 'seq') {
    return { ...local, items: [...global.items, ...local.items] };
  }
  return local;
}
