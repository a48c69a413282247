import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { APP_ROOT } from '../engine/create-engine.ts';

/**
 * Where the shell finds its parts. Main runs bundled as dist/electron/main.mjs (see
 * scripts/start.mjs), so the preload sits beside it and the renderer is dist/renderer.
 */
export const MAIN_DIR = dirname(fileURLToPath(import.meta.url));
export const PRELOAD_PATH = join(MAIN_DIR, 'preload.cjs');
export const RENDERER_INDEX = join(APP_ROOT, 'dist/renderer/index.html');
export const RENDERER_URL = pathToFileURL(RENDERER_INDEX);
