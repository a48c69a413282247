import type { ProjectModel, SourceLocation } from '../../contract.ts';
import { IntrinsicResolver, type TemplateResource } from '../../project/intrinsics.ts';
import { stackNameFromFolder } from '../../project/load-project.ts';
import { resourceFacts, type StackIdentity } from '../../project/local-resources.ts';
import { Problems } from '../../project/problems.ts';
import { TemplateDocument } from '../../project/template-document.ts';
import { entryOf, literalString, toTemplateNode, type TemplateNode } from '../../project/template-node.ts';
import { readParameters } from '../../project/template-parameters.ts';

/** A raw resource of the template (a topic, a rule, a bus…) with its intrinsics resolved. */
export interface ResolvedResource {
  logicalId: string;
  type: string;
  properties: Record<string, unknown>;
  /** What `!Ref` gives, and `!GetAtt` attributes: the names and ARNs the rest of the engine uses. */
  ref: string;
  attributes: Record<string, string>;
  location: SourceLocation;
}

/**
 * Reads the template's resources of the given types, resolved the way `loadProject` resolves a
 * function's properties (same parameters, conditions, pseudo parameters and local names), since
 * the ProjectModel keeps only functions and layers. Resources whose Condition is false are left
 * out; a template that does not parse (mid-edit) gives none.
 */
export async function readTemplateResources(model: ProjectModel, identity: { region: string; accountId: string }, types: readonly string[]): Promise<ResolvedResource[]> {
  const document = await TemplateDocument.read(model.templatePath);
  if (document.syntaxErrors().length > 0) return [];
  const root = toTemplateNode(document);
  if (root.kind !== 'map') return [];
  const problems = new Problems();
  const stack = stackIdentity(model, identity);
  const parameters = readParameters(entryOf(root, 'Parameters'), model.parameters, problems, root);
  const resources = new Map<string, TemplateResource>();
  const section = entryOf(root, 'Resources');
  for (const [logicalId, node] of section?.kind === 'map' ? section.entries : []) {
    if (node.kind !== 'map') continue;
    const type = literalString(entryOf(node, 'Type'));
    if (!type) continue;
    resources.set(logicalId, { logicalId, type, node, properties: entryOf(node, 'Properties'), condition: literalString(entryOf(node, 'Condition')) });
  }
  const conditionsNode = entryOf(root, 'Conditions');
  const resolver = new IntrinsicResolver(
    {
      stack,
      parameters: parameters.values,
      mappings: entryOf(root, 'Mappings'),
      conditions: new Map<string, TemplateNode>(conditionsNode?.kind === 'map' ? conditionsNode.entries : []),
      resources,
    },
    problems,
  );
  const out: ResolvedResource[] = [];
  for (const resource of resources.values()) {
    if (!types.includes(resource.type) || !resolver.isCreated(resource)) continue;
    const value = resource.properties ? resolver.resolve(resource.properties) : {};
    const properties = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    const nameOf = (property: string): string | undefined => {
      const v = properties[property];
      return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
    };
    const facts = resourceFacts(resource.type, resource.logicalId, nameOf, stack);
    out.push({ logicalId: resource.logicalId, type: resource.type, properties, ref: facts.ref, attributes: facts.attributes, location: resource.node.at });
  }
  return out;
}

export function stackIdentity(model: ProjectModel, identity: { region: string; accountId: string }): StackIdentity {
  const partition = identity.region.startsWith('cn-') ? 'aws-cn' : identity.region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return {
    region: identity.region,
    accountId: identity.accountId,
    partition,
    stackName: stackNameFromFolder(model.dir),
    urlSuffix: partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
  };
}
