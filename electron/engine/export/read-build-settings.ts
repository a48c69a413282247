/**
 * What the export needs from a template beyond the project model: SAM's build metadata, whether
 * a function ships code at all, and how many layers it lists (ARNs included, which the model
 * cannot resolve to folders but AWS counts).
 */

export interface BuildSettings {
  /** `Metadata.BuildMethod`: `esbuild`, `makefile`, a runtime for layers, … */
  buildMethod?: string;
  /** `Metadata.BuildProperties`, e.g. esbuild's Minify and EntryPoints. */
  buildProperties: Record<string, unknown>;
  /** `InlineCode` or `PackageType: Image`: nothing to zip. */
  noPackage: boolean;
  /** Entries of `Layers`, the function's own plus those from Globals (SAM appends lists). */
  layerCount: number;
  /** A layer's first `CompatibleArchitectures`: the wheels a Python layer build asks for. */
  architecture?: 'x86_64' | 'arm64';
}

type Json = Record<string, unknown>;

export function readBuildSettings(template: unknown): Map<string, BuildSettings> {
  const root = asObject(template);
  const resources = asObject(root.Resources);
  const globalLayers = asList(asObject(asObject(root.Globals).Function).Layers).length;
  const settings = new Map<string, BuildSettings>();
  for (const [logicalId, raw] of Object.entries(resources)) {
    const resource = asObject(raw);
    const type = resource.Type;
    if (type !== 'AWS::Serverless::Function' && type !== 'AWS::Serverless::LayerVersion') continue;
    const metadata = asObject(resource.Metadata);
    const properties = asObject(resource.Properties);
    const isFunction = type === 'AWS::Serverless::Function';
    settings.set(logicalId, {
      buildMethod: typeof metadata.BuildMethod === 'string' ? metadata.BuildMethod : undefined,
      buildProperties: asObject(metadata.BuildProperties),
      noPackage: isFunction && (properties.InlineCode !== undefined || properties.PackageType === 'Image'),
      layerCount: isFunction ? asList(properties.Layers).length + globalLayers : 0,
      architecture: asList(properties.CompatibleArchitectures)[0] === 'arm64' ? 'arm64' : undefined,
    });
  }
  return settings;
}

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
