import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', '**/.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ['**/*.ts', '**/*.mts', '**/*.mjs'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // Apps are separate deployables: they share only contracts and the runtime lib.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:runtime'] },
            // Contracts are the public API of the system: nothing of ours underneath.
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: [] },
            // The embedded server harness is for tools and tests, never app runtime code.
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts'] },
            // Tools may serve a bench-only endpoint with the runtime lib, never import an app.
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:contracts', 'type:testing', 'type:runtime'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // A test that finds no value where it expects one should fail loudly, which `!` does.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
