/**
 * Editor (issue 15, `editor`): the size of the production dist/extension.js, built here into a
 * scratch folder with the shipped build script (esbuild.mjs --production). The extension bundle is
 * what VS Code loads at activation; the Anthropic SDK it needs for model calls is the separate
 * dist/anthropic-sdk.js, loaded on the first call (reported beside it, not part of the figure).
 *
 * activation_ms is measured in the real extension host by `npm run test:integration` (the suites'
 * runner records it into bench/out); tickets_5000_ms comes from ticketsLoad.bench.ts and
 * panel_update_200_ms from the panel's bench.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeBenchResult } from './benchResults';
import { benchTempDir } from './kit/benchTempDir';

const TARGET_KB = 1024;

function main(): void {
  const dir = benchTempDir('flotilla-bench-bundle-');
  try {
    execFileSync(process.execPath, ['esbuild.mjs', '--production', `--dist=${dir}`], { cwd: join(__dirname, '..'), stdio: 'inherit' });
    const kb = (file: string) => statSync(join(dir, file)).size / 1024;
    const bundle = kb('extension.js');
    const sdk = kb('anthropic-sdk.js');
    console.log(`production dist/extension.js: ${bundle.toFixed(0)} KB (target ≤ ${TARGET_KB} KB); dist/anthropic-sdk.js, loaded on the first model call: ${sdk.toFixed(0)} KB; dist/cli.js: ${kb('cli.js').toFixed(0)} KB`);
    writeBenchResult('editor', { bundle_kb: Math.round(bundle), sdk_bundle_kb: Math.round(sdk) }, 'bundle');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
