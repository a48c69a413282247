import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The renderer (Vue 3) is built to dist/renderer. `base: './'` keeps asset URLs relative, so the
 * same build loads from file:// in the Electron window and from the control API in browser mode.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // No inline scripts or eval: the CSP allows 'self' only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    // The plugin timing report is noise on two shared cores; real problems still warn.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
