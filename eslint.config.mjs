// ESLint: the recommended JavaScript and typescript-eslint rules (syntax only, no type information, so it stays
// fast; tsc checks types), with the exceptions below, each used on purpose in this code base.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'public/**', 'data/**'] },
  { linterOptions: { reportUnusedDisableDirectives: 'off' } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // ltijs and a few other packages ship no types or are loaded lazily on purpose (cold start, optional parsers)
      '@typescript-eslint/no-require-imports': 'off',
      // a leading underscore marks a parameter or destructured field left out on purpose (tsc's noUnused* agree)
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true, caughtErrors: 'none' }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }, // reading untyped JSON the tool answered with
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' } },
  },
);
