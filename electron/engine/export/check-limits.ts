import { LAMBDA_LIMITS as FUNCTION_LIMITS } from '../project/lambda-limits.ts';
import { formatBytes, type LimitProblem, type PackageTarget } from './export-errors.ts';

/** Lambda's quotas for .zip deploy packages (lambda-contract.md §5). */
export const PACKAGE_LIMITS = {
  /** A zip uploaded directly, function or layer. */
  zippedBytes: 50 * 1024 * 1024,
  /** A function's code plus all its layers, extracted. */
  unzippedBytes: 250 * 1024 * 1024,
  layers: FUNCTION_LIMITS.layersPerFunction,
  /** AWS measures the JSON of the variables' keys and values. */
  environmentBytes: FUNCTION_LIMITS.environmentBytes,
} as const;

const LARGEST_SHOWN = 10;

export interface MeasuredPackage {
  target: PackageTarget;
  files: { path: string; size: number }[];
}

export interface FunctionToCheck {
  target: PackageTarget;
  /** Undefined for InlineCode and images: nothing to zip. */
  code?: MeasuredPackage;
  /** The function's layers built by this export (ARN layers have no size known here). */
  layers: MeasuredPackage[];
  layerCount: number;
  environment: Record<string, string>;
}

/** Everything that can be known before zipping: extracted size, layer count, environment size. */
export function checkFunctionLimits(functions: FunctionToCheck[]): LimitProblem[] {
  const problems: LimitProblem[] = [];
  for (const fn of functions) {
    if (fn.layerCount > PACKAGE_LIMITS.layers) {
      problems.push({
        target: fn.target,
        limit: 'layer-count',
        actual: fn.layerCount,
        allowed: PACKAGE_LIMITS.layers,
        message: `${fn.layerCount} layers; a function can use at most ${PACKAGE_LIMITS.layers}.`,
        largest: [],
      });
    }
    const envBytes = Buffer.byteLength(JSON.stringify(fn.environment), 'utf8');
    if (envBytes > PACKAGE_LIMITS.environmentBytes) {
      const variables = Object.entries(fn.environment).map(([name, value]) => ({ name, bytes: Buffer.byteLength(JSON.stringify({ [name]: value }), 'utf8') - 2 }));
      problems.push({
        target: fn.target,
        limit: 'environment-size',
        actual: envBytes,
        allowed: PACKAGE_LIMITS.environmentBytes,
        message: `environment variables take ${envBytes} bytes as JSON; AWS accepts at most ${PACKAGE_LIMITS.environmentBytes} (4 KB).`,
        largest: largestFirst(variables),
      });
    }
    if (!fn.code) continue;
    const files = [
      ...fn.code.files.map((file) => ({ name: file.path, bytes: file.size })),
      ...fn.layers.flatMap((layer) => layer.files.map((file) => ({ name: `[layer ${layer.target.logicalId}] ${file.path}`, bytes: file.size }))),
    ];
    const total = files.reduce((sum, file) => sum + file.bytes, 0);
    if (total > PACKAGE_LIMITS.unzippedBytes) {
      const withLayers = fn.layers.length > 0 ? ' with its layers' : '';
      problems.push({
        target: fn.target,
        limit: 'unzipped-size',
        actual: total,
        allowed: PACKAGE_LIMITS.unzippedBytes,
        message: `the code${withLayers} is ${formatBytes(total)} unzipped (${total} bytes); AWS accepts at most 250 MB (${PACKAGE_LIMITS.unzippedBytes} bytes).`,
        largest: largestFirst(files),
      });
    }
  }
  return problems;
}

/** A layer is extracted on its own too; one used by no function is checked here. */
export function checkLayerLimits(layers: MeasuredPackage[]): LimitProblem[] {
  return layers.flatMap((layer) => {
    const total = layer.files.reduce((sum, file) => sum + file.size, 0);
    if (total <= PACKAGE_LIMITS.unzippedBytes) return [];
    return [{
      target: layer.target,
      limit: 'unzipped-size' as const,
      actual: total,
      allowed: PACKAGE_LIMITS.unzippedBytes,
      message: `the layer is ${formatBytes(total)} unzipped (${total} bytes); AWS accepts at most 250 MB (${PACKAGE_LIMITS.unzippedBytes} bytes).`,
      largest: largestFirst(layer.files.map((file) => ({ name: file.path, bytes: file.size }))),
    }];
  });
}

/** After zipping: the archive itself, with the entries that weigh most once compressed. */
export function checkZippedLimits(zips: { target: PackageTarget; zippedBytes: number; entries: { path: string; compressedSize: number }[] }[]): LimitProblem[] {
  return zips.flatMap((zip) => {
    if (zip.zippedBytes <= PACKAGE_LIMITS.zippedBytes) return [];
    return [{
      target: zip.target,
      limit: 'zipped-size' as const,
      actual: zip.zippedBytes,
      allowed: PACKAGE_LIMITS.zippedBytes,
      message: `the ${zip.target.kind} package is ${formatBytes(zip.zippedBytes)} zipped (${zip.zippedBytes} bytes); AWS accepts at most 50 MB (${PACKAGE_LIMITS.zippedBytes} bytes). Largest files are shown compressed.`,
      largest: largestFirst(zip.entries.map((entry) => ({ name: entry.path, bytes: entry.compressedSize }))),
    }];
  });
}

function largestFirst(items: { name: string; bytes: number }[]): { name: string; bytes: number }[] {
  return [...items].sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1)).slice(0, LARGEST_SHOWN);
}
