import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-test/**', 'node_modules/**', 'test/fixtures/**', '.vscode-test/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    // CommonJS entry points loaded by mocha and by the extension host need require().
    files: ['**/*.cjs', 'test/integration/hostRunner/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The core is plain TypeScript so it runs under mocha, the CLI and the extension alike.
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts', 'src/simulator/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core, src/cli and src/simulator never import vscode; put the adapter in src/vscode.' }] }],
    },
  },
  {
    // One engine behind both front ends: core may not reach into either of them.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/core never imports vscode; put the adapter in src/vscode.' }],
          patterns: [{ group: ['**/vscode/**', '**/cli/**'], message: 'src/core is shared by both front ends: move what you need into core instead.' }],
        },
      ],
    },
  },
  {
    // One log channel: the extension logs through src/vscode/log.ts, never the console.
    files: ['src/vscode/**/*.ts', 'src/extension.ts', 'src/core/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
);
