import type { LayerConfig } from '../contract.ts';
import { resolveCodeFolder } from './code-location.ts';
import { isPlaceholder } from './intrinsics.ts';
import type { TemplateResource } from './intrinsics.ts';
import type { ValueReader } from './read-values.ts';
import { readText } from './read-values.ts';
import { entryOf } from './template-node.ts';
import type { TemplateNode } from './template-node.ts';

/**
 * A local `AWS::Serverless::LayerVersion`: its `ContentUri` folder is what the sandbox mounts at
 * `/opt`. Returns undefined (with the reasons recorded) when the layer cannot be used offline.
 */
export async function readLayer(
  reader: ValueReader,
  resource: TemplateResource,
  properties: TemplateNode | undefined,
  templateDir: string,
): Promise<LayerConfig | undefined> {
  const { problems, resolver } = reader;
  const propertiesPath = [...resource.node.path, 'Properties'];
  const errorsBefore = problems.errors.length;
  const contentNode = entryOf(properties, 'ContentUri');
  if (!contentNode) {
    problems.error(
      { at: (properties ?? resource.node).at, path: [...propertiesPath, 'ContentUri'] },
      'ContentUri is required: it is the folder whose content the layer puts in /opt.',
      'Set ContentUri to a folder relative to the template, e.g. `ContentUri: layers/common`.',
    );
  }
  const contentDir = contentNode
    ? await resolveCodeFolder(contentNode, { property: 'ContentUri', templateDir, resolver, problems })
    : undefined;

  const nameText = readText(reader, entryOf(properties, 'LayerName'), 'Set LayerName to text, or leave it out.');
  const layerName = nameText && !isPlaceholder(nameText) ? nameText : resource.logicalId;

  const compatibleRuntimes: string[] = [];
  const runtimesNode = entryOf(properties, 'CompatibleRuntimes');
  if (runtimesNode) {
    const value = resolver.resolve(runtimesNode);
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) compatibleRuntimes.push(...(value as string[]));
    else problems.error(runtimesNode, 'CompatibleRuntimes must be a list of runtime names.', 'Write it as a list, e.g. `CompatibleRuntimes: [nodejs20.x]`.');
  }

  if (problems.errors.length > errorsBefore || !contentDir) return undefined;
  return { logicalId: resource.logicalId, layerName, contentDir, compatibleRuntimes, location: resource.node.at };
}
