// Builds every bundle the project ships, like the VS Code extension samples do:
//   dist/extension.js  the extension (node, cjs; `vscode` is provided by the host)
//   dist/anthropic-sdk.js  the Anthropic SDK, loaded by the extension on its first model call
//   dist/octokit.js    Octokit and its plugins, loaded by the extension on its first GitHub call
//   dist/cli.js        the headless CLI (node, cjs)
//   dist/claudeAgentSdk.mjs  the Claude Agent SDK's own build, loaded on the first Claude Code run
//   dist/webview/*.js  webview scripts (browser, iife) — one per file in media/src/
//   dist-test/         with --tests: the integration suites and their in-host runner
// Flags: --production (minify, no source maps), --watch (rebuild on change, problem-matcher output),
// --webview (only the webview bundles), --dist=DIR (the shipped bundles go there instead of dist/).
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');
// --webview: only the webview bundles (npm run test:webview and the panel bench load nothing else).
const webviewOnly = process.argv.includes('--webview');
// --dist=DIR builds the shipped bundles elsewhere (the bench measures a production build without touching dist/).
const dist = process.argv.find((a) => a.startsWith('--dist='))?.slice('--dist='.length) ?? 'dist';

/** Prints the lines the `$esbuild-watch` problem matcher looks for. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/**
 * zod's API object re-exports every one of its ~40 locales (`z.locales`), which no bundler can drop
 * (about 255 KB minified). Flotilla's messages are English, zod's default, which zod imports on its
 * own; the locale index is replaced by English alone.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.c?js$/ }, (args) =>
      args.importer.includes(`${sep}zod${sep}`) ? { path: join(dirname(args.importer), '..', 'locales', 'index.js'), namespace: 'zod-english-only' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({ contents: 'export { default as en } from "./en.js";', resolveDir: dirname(args.path), loader: 'js' }));
  },
};

/**
 * The extension loads the Anthropic SDK only when it first calls a model (src/core/llm/anthropicSdk.ts);
 * this keeps it out of dist/extension.js, in dist/anthropic-sdk.js, so activation neither downloads
 * nor parses it. The CLI always calls a model and keeps the SDK inside its one bundle.
 */
const sdkOutside = {
  name: 'sdk-outside',
  setup(build) {
    build.onResolve({ filter: /^@anthropic-ai\/sdk$/ }, (args) => (args.kind === 'require-call' ? { path: './anthropic-sdk.js', external: true } : undefined));
  },
};

/**
 * Octokit (the GitHub ticket source and pull requests, src/core/tickets/github/githubClient.ts) is
 * loaded on first use too; for the extension it is dist/octokit.js, one file exporting the client and
 * its two plugins, so activation neither reads nor parses it when tickets come from files.
 */
const OCTOKIT_PACKAGES = ['@octokit/rest', '@octokit/plugin-retry', '@octokit/plugin-throttling'];
const octokitOutside = {
  name: 'octokit-outside',
  setup(build) {
    build.onResolve({ filter: /^@octokit\/(rest|plugin-retry|plugin-throttling)$/ }, (args) => (args.kind === 'require-call' ? { path: './octokit.js', external: true } : undefined));
  },
};

const common = {
  bundle: true,
  minify: production,
  // Error class names are part of what users and the ledger see (`error: 'AuthenticationError'`);
  // minified identifiers would turn them into one letter (CONVENTIONS.md 18).
  keepNames: true,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: watch ? 'silent' : 'warning',
  plugins: watch ? [problemMatcher, zodEnglishOnly] : [zodEnglishOnly],
};

const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };

// The Claude Agent SDK is loaded only when a Claude Code run starts (src/core/worker/claudeCode/agentSdk.ts):
// kept out of extension.js and cli.js, its own single-file ESM build (Node built-ins only) is copied
// beside them. The `claude` executable itself is never shipped.
const AGENT_SDK = '@anthropic-ai/claude-agent-sdk';
if (!webviewOnly) {
  mkdirSync(dist, { recursive: true });
  copyFileSync(`node_modules/${AGENT_SDK}/sdk.mjs`, `${dist}/claudeAgentSdk.mjs`);
}

const configs = [
  {
    ...node,
    entryPoints: ['src/extension.ts'],
    outfile: `${dist}/extension.js`,
    external: ['vscode', AGENT_SDK],
    plugins: [...common.plugins, sdkOutside, octokitOutside],
    // activate() reports its time from here: loading the bundle is part of what activation costs.
    banner: { js: 'globalThis.flotillaBundleStart = performance.now();' },
  },
  {
    ...node,
    stdin: { contents: "module.exports = require('@anthropic-ai/sdk');", resolveDir: '.', sourcefile: 'anthropic-sdk.js' },
    outfile: `${dist}/anthropic-sdk.js`,
  },
  {
    ...node,
    stdin: { contents: `module.exports = Object.assign({}, ${OCTOKIT_PACKAGES.map((p) => `require('${p}')`).join(', ')});`, resolveDir: '.', sourcefile: 'octokit.js' },
    outfile: `${dist}/octokit.js`,
  },
  {
    ...node,
    entryPoints: ['src/cli/main.ts'],
    outfile: `${dist}/cli.js`,
    banner: { js: '#!/usr/bin/env node' },
    external: [AGENT_SDK],
  },
];

const webviewDir = 'media/src';
const webviewEntries = existsSync(webviewDir)
  ? readdirSync(webviewDir).filter((f) => f.endsWith('.ts')).map((f) => join(webviewDir, f))
  : [];
if (webviewEntries.length > 0) {
  configs.push({ ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: webviewEntries, outdir: `${dist}/webview` });
}

if (tests) {
  const suites = readdirSync('test/integration')
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join('test/integration', f));
  configs.push({
    ...node,
    sourcemap: 'inline',
    entryPoints: [...suites, 'test/integration/index.ts'],
    outdir: 'dist-test/integration',
    // The suites run inside the extension host: `vscode` comes from the host, mocha from node_modules.
    external: ['vscode', 'mocha'],
  });
}

const selected = webviewOnly ? configs.filter((c) => c.outdir === `${dist}/webview`) : configs;

if (watch) {
  const contexts = await Promise.all(selected.map((c) => esbuild.context(c)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(selected.map((c) => esbuild.build(c)));
}
