// Lint: ESLint's and typescript-eslint's type-checked recommendations, with floating and misused
// promises as errors, the environment read only by the config modules, and bigint arithmetic only in
// lib/money.ts.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import amounts from './eslint-rules/no-bigint-arithmetic.js';

/** Files that may read process.env: each service's config module, the test runner's, and tooling. */
const configModules = [
  '**/config.ts',
  'vitest.config.ts',
  'test/setup/**',
  'test/support/**',
  'tools/**',
  'scripts/**',
  'bench/**',
];

const envMessage = 'read configuration in the config module';

export default defineConfig(
  {
    ignores: [
      'node_modules/',
      'data/',
      'schema/',
      'dist/',
      'coverage/',
      '**/generated/**',
      '**/migrations/**',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Amounts move as Money: the arithmetic on minor units lives in lib/money.ts alone, tests included.
    files: ['**/*.ts'],
    ignores: ['lib/money.ts'],
    plugins: { amounts },
    rules: { 'amounts/no-bigint-arithmetic': 'error' },
  },
  {
    // JavaScript here is tooling config (this file): outside the tsconfig, so not type-checked.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly' },
    },
  },
  {
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: envMessage },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:process', importNames: ['env'], message: envMessage },
            { name: 'process', importNames: ['env'], message: envMessage },
          ],
        },
      ],
    },
  },
  {
    files: configModules,
    rules: {
      'no-restricted-properties': 'off',
      'no-restricted-imports': 'off',
    },
  },
);
