// Desktop VS Code through @vscode/test-electron (`npm run test:desktop`), for machines that can
// download VS Code. The same suites run in code-server here (scripts/runIntegration.mjs).
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  files: 'dist-test/integration/*.test.js',
  workspaceFolder: './test/fixtures/workspace',
  version: 'stable',
  mocha: { ui: 'bdd', timeout: 60000 },
});
