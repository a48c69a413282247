import type { Architecture } from '../contract.ts';
import type { PackageTarget } from './export-errors.ts';
import type { PythonSettings } from './install-python-requirements.ts';
import type { PackageFile } from './package-file.ts';

/** What a package builder is asked to build: one function's code or one layer's content. */
export interface BuildRequest {
  target: PackageTarget;
  /** CodeUri / ContentUri: a folder, or a .zip that is repackaged as it is. */
  sourceDir: string;
  /** The function's runtime; for a layer, its `Metadata.BuildMethod` runtime (or '' for none). */
  runtime: string;
  handler: string;
  architecture: Architecture;
  /** `Metadata.BuildMethod`, e.g. `esbuild`, `makefile`, `python3.12`. */
  buildMethod?: string;
  buildProperties: Record<string, unknown>;
  /** A function with layers may get its `bootstrap` from one (Lambda looks in /opt too). */
  hasLayers: boolean;
  python: PythonSettings;
  /** Leaves the export's own output out when it lies inside the code folder. */
  skipAbsolute: (absPath: string) => boolean;
}

export interface BuiltPackage {
  files: PackageFile[];
  warnings: string[];
  /** Variables `sam build` would add to the function (NODE_OPTIONS for source maps). */
  addedEnvironment: Record<string, string>;
  /** Frees temporary folders the files are read from; call after zipping. */
  cleanup: () => Promise<void>;
}

export const noCleanup = (): Promise<void> => Promise.resolve();
