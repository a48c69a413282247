import type { ProjectModel, ProjectWarning, SourceLocation } from '../contract.ts';
import { propertiesWithGlobals } from './globals.ts';
import { NO_VALUE } from './intrinsics.ts';
import { readTemplateScope, stackNameFromFolder } from './load-project.ts';
import { localStack, resourceFacts, type StackIdentity } from './local-resources.ts';
import { Problems } from './problems.ts';
import { TemplateDocument } from './template-document.ts';
import { TemplateErrors } from './template-errors.ts';
import { entryOf, toTemplateNode, type TemplateNode } from './template-node.ts';

/** A resource as a deploy would see it; also what a service builds for one SAM makes implicitly (ServerlessRestApi). */
export interface ResolvedResource {
  logicalId: string;
  type: string;
  /** Properties with SAM's Globals applied and intrinsics resolved as far as they can be offline. */
  properties: Record<string, unknown>;
  location: SourceLocation;
}

/** One resource of the template as the emulated services see it (a queue, a bucket, an API, a function…). */
export interface TemplateResourceView extends ResolvedResource {
  /** What `!Ref` gives, and the `!GetAtt` attributes: the same names and ARNs the model's references resolve to. */
  ref: string;
  attributes: Record<string, string>;
}

export interface TemplateResources {
  /** Region, account, partition and stack name the intrinsics were resolved with. */
  stack: StackIdentity;
  /** Every resource the stack creates (its Condition holds), in template order. */
  resources: TemplateResourceView[];
  /** The created resources of these types, in template order. */
  ofType(...types: string[]): TemplateResourceView[];
  /** A Globals section resolved, e.g. `Api` for SAM's implicit ServerlessRestApi; `{}` when absent. */
  globals(section: string): { properties: Record<string, unknown>; location: SourceLocation };
  /** What could not be resolved offline (placeholders left in place). */
  warnings: ProjectWarning[];
}

/**
 * Reads the template's raw resources, which the ProjectModel leaves out (it keeps functions and
 * layers), resolved the way `loadProject` resolved the model: the model's parameter values, the
 * stack named after the project folder, the same Globals rules and local names, so a queue's ARN
 * here equals the one a function's event refers to. A template that no longer parses (mid-edit)
 * throws its `TemplateErrors`, so a caller can keep what it runs.
 */
export async function readTemplateResources(model: ProjectModel, identity: { region: string; accountId: string }): Promise<TemplateResources> {
  const document = await TemplateDocument.read(model.templatePath);
  const syntaxErrors = document.syntaxErrors();
  if (syntaxErrors.length > 0) throw new TemplateErrors(syntaxErrors);
  const root = toTemplateNode(document);
  const problems = new Problems();
  const stack = localStack({ region: identity.region, accountId: identity.accountId, stackName: stackNameFromFolder(model.dir) });
  const { resources, resolver } = readTemplateScope(root, model.parameters, stack, problems);
  const globalsNode = entryOf(root, 'Globals');
  const asObject = (node: TemplateNode | undefined): Record<string, unknown> => {
    const value = node ? resolver.resolve(node) : undefined;
    return value !== NO_VALUE && typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  };
  const views: TemplateResourceView[] = [];
  for (const resource of resources.values()) {
    if (!resolver.isCreated(resource)) continue;
    const properties = asObject(propertiesWithGlobals(globalsNode, resource));
    const facts = resolver.factsOf(resource.logicalId) ?? resourceFacts(resource.type, resource.logicalId, () => undefined, stack);
    views.push({ logicalId: resource.logicalId, type: resource.type, properties, location: resource.node.at, ref: facts.ref, attributes: facts.attributes });
  }
  return {
    stack,
    resources: views,
    ofType: (...types) => views.filter((view) => types.includes(view.type)),
    globals(section) {
      const node = entryOf(globalsNode, section);
      return { properties: asObject(node), location: (node ?? root).at };
    },
    warnings: problems.warnings,
  };
}

/** The created resources of these types, for callers that need nothing else of the template. */
export async function readResourcesOfType(model: ProjectModel, identity: { region: string; accountId: string }, types: readonly string[]): Promise<TemplateResourceView[]> {
  return (await readTemplateResources(model, identity)).ofType(...types);
}
