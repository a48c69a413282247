// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'test-results/**', '**/.lambdadesk/**', 'examples/**/node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The engine is plain Node: it never reaches for Electron or Vue.
    files: ['electron/engine/**/*.ts', 'electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron', 'vue', 'pinia'], patterns: ['../main/*', '../../main/*', '../../renderer/*'] }],
    },
  },
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['renderer/**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' } },
    rules: {
      // Prettier-like formatting is not enforced elsewhere either; these are layout, not correctness.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/first-attribute-linebreak': 'off',
      'vue/attributes-order': 'off',
    },
  },
  {
    // The renderer runs in a page: no Node, no Electron, and of the engine only the contract's types.
    files: ['renderer/**/*.ts', 'renderer/**/*.vue'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', fetch: 'readonly', WebSocket: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', console: 'readonly' } },
    rules: {
      // TypeScript (vue-tsc) knows the DOM's types and globals; no-undef does not.
      'no-undef': 'off',
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer reaches main only through window.lambdadesk.' }],
          patterns: [
            { group: ['**/electron/engine/contract.ts'], allowTypeImports: true, message: 'Import the contract with `import type` only: the renderer holds no engine code.' },
            { group: ['**/electron/**', '!**/electron/engine/contract.ts'], message: 'The renderer may import only electron/engine/contract.ts (with `import type`).' },
            { group: ['node:*'], message: 'The renderer runs in a page, not in Node.' },
          ],
        },
      ],
    },
  },
  {
    files: ['runtimes/**/*.js', 'runtimes/**/*.cjs', 'runtimes/**/*.mjs', 'examples/**/*.js', 'examples/**/*.mjs', 'test/fixtures/**/*.js', 'test/fixtures/**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off', 'no-undef': 'off' },
  },
);
