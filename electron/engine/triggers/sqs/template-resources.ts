import type { ProjectModel, ProjectWarning, SourceLocation } from '../../contract.ts';
import { applyGlobals, ignoredGlobals } from '../../project/globals.ts';
import { IntrinsicResolver, isPlaceholder, type TemplateResource } from '../../project/intrinsics.ts';
import { stackNameFromFolder } from '../../project/load-project.ts';
import { resourceFacts, type StackIdentity } from '../../project/local-resources.ts';
import { Problems } from '../../project/problems.ts';
import { TemplateDocument } from '../../project/template-document.ts';
import { entryOf, literalString, toTemplateNode, type TemplateNode } from '../../project/template-node.ts';
import { readParameters } from '../../project/template-parameters.ts';

/** One resource of the template as the emulated services see it. */
export interface TemplateResourceView {
  logicalId: string;
  type: string;
  /** Properties with intrinsics resolved as far as they can be offline (Globals applied to functions). */
  properties: Record<string, unknown>;
  location: SourceLocation;
  /** What `!Ref` gives, and the `!GetAtt` attributes: the same names and ARNs the model uses. */
  ref: string;
  attributes: Record<string, string>;
}

export interface TemplateResources {
  resources: TemplateResourceView[];
  warnings: ProjectWarning[];
  ofType(type: string): TemplateResourceView[];
}

/**
 * Reads the template's raw resources (queues, buckets, functions' `EventInvokeConfig`…) that the
 * ProjectModel leaves out, resolved with the same parameters, stack identity and local names as
 * the model, so a queue's ARN in an event source matches the queue created here. The template
 * was already checked by `loadProject`; this only reads it again.
 */
export async function readTemplateResources(model: ProjectModel, identity: { region: string; accountId: string }): Promise<TemplateResources> {
  const document = await TemplateDocument.read(model.templatePath);
  const problems = new Problems();
  const root = toTemplateNode(document);
  const stack = stackIdentity(model.dir, identity);
  const parameters = readParameters(entryOf(root, 'Parameters'), model.parameters, problems, root);
  const raw = rawResources(root);
  const conditions = entryOf(root, 'Conditions');
  const resolver = new IntrinsicResolver(
    {
      stack,
      parameters: parameters.values,
      mappings: entryOf(root, 'Mappings'),
      conditions: conditions?.kind === 'map' ? new Map(conditions.entries) : new Map(),
      resources: raw,
    },
    problems,
  );
  const globalFunction = entryOf(entryOf(root, 'Globals'), 'Function');
  const resources: TemplateResourceView[] = [];
  for (const resource of raw.values()) {
    if (!resolver.isCreated(resource)) continue;
    const propertiesNode =
      resource.type === 'AWS::Serverless::Function'
        ? applyGlobals(globalFunction, resource.properties, ignoredGlobals(resource.node), { at: resource.node.at, path: [...resource.node.path, 'Properties'] })
        : resource.properties;
    const value = propertiesNode ? resolver.resolve(propertiesNode) : {};
    const properties = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    const nameOf = (property: string): string | undefined => {
      const v = properties[property];
      if (typeof v === 'string' && !isPlaceholder(v)) return v;
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      return undefined;
    };
    const facts = resourceFacts(resource.type, resource.logicalId, nameOf, stack);
    resources.push({ logicalId: resource.logicalId, type: resource.type, properties, location: resource.node.at, ref: facts.ref, attributes: facts.attributes });
  }
  return { resources, warnings: problems.warnings, ofType: (type) => resources.filter((r) => r.type === type) };
}

function stackIdentity(projectDir: string, identity: { region: string; accountId: string }): StackIdentity {
  const { region, accountId } = identity;
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return { region, accountId, partition, stackName: stackNameFromFolder(projectDir), urlSuffix: partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com' };
}

function rawResources(root: TemplateNode): Map<string, TemplateResource> {
  const out = new Map<string, TemplateResource>();
  const section = entryOf(root, 'Resources');
  if (section?.kind !== 'map') return out;
  for (const [logicalId, node] of section.entries) {
    if (node.kind !== 'map') continue;
    const type = literalString(entryOf(node, 'Type'));
    if (!type) continue;
    out.set(logicalId, { logicalId, type, node, properties: entryOf(node, 'Properties'), condition: literalString(entryOf(node, 'Condition')) });
  }
  return out;
}
