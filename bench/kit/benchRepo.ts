/**
 * The repository every batch benchmark works on: 400 small CommonJS modules in 40 feature folders, a
 * README and a check script, committed once. Its repository map (paths only, as Flotilla renders it)
 * is ~11,000 characters (~2,800 tokens), above the minimum cacheable prompt of every default tier
 * model (2,048 for the fast tier's Haiku 5.5), so caching is measured on a realistic shared prefix
 * rather than on one too short to cache.
 *
 * The check script (`node scripts/check.js`) is the build gate: it loads every module and calls every
 * exported `fixed_<ticket>` function; one returning anything but true fails the gate with its name.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { seeded } from './seeded';

const AREAS = [
  'accounts', 'analytics', 'audit', 'billing', 'cache', 'calendar', 'catalog', 'checkout', 'cli', 'comments',
  'config', 'contacts', 'coupons', 'dashboard', 'datasets', 'deploy', 'documents', 'email', 'exports', 'feeds',
  'files', 'forms', 'geo', 'graphs', 'history', 'imports', 'inbox', 'inventory', 'invoices', 'jobs',
  'labels', 'locale', 'logging', 'maps', 'media', 'metrics', 'notifications', 'orders', 'pages', 'payments',
  'permissions', 'plugins', 'preferences', 'pricing', 'profiles', 'projects', 'queue', 'ratings', 'reports', 'search',
  'sessions', 'settings', 'shipping', 'storage', 'subscriptions', 'tags', 'tasks', 'teams', 'themes', 'webhooks',
].slice(0, 40);
const NOUNS = ['record', 'entry', 'batch', 'filter', 'index', 'format', 'parser', 'store', 'view', 'rule', 'policy', 'stream', 'mapper', 'client', 'schema', 'summary'];
const VERBS = ['build', 'load', 'merge', 'normalize', 'resolve', 'render', 'validate', 'collect', 'sort', 'split', 'group', 'apply'];

export const CHECK_COMMAND = 'node scripts/check.js';

const CHECK_SCRIPT = `'use strict';
// The build gate: every exported fixed_<ticket> function must return true. Only modules that
// mention one are loaded, so the check stays fast on a large tree.
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const failures = [];
let checked = 0;
function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.name.endsWith('.js') && readFileSync(path, 'utf8').includes('fixed_')) {
      const exported = require(join(process.cwd(), path));
      for (const [name, fn] of Object.entries(exported)) {
        if (!name.startsWith('fixed_') || typeof fn !== 'function') continue;
        checked++;
        let result;
        try {
          result = fn();
        } catch (error) {
          result = error.message;
        }
        if (result !== true) failures.push(\`\${path}: \${name}() returned \${JSON.stringify(result)}, expected true\`);
      }
    }
  }
}
walk('src');
if (failures.length > 0) {
  console.error(failures.join('\\n'));
  process.exit(1);
}
console.log(\`check: \${checked} ticket check(s) pass\`);
`;

export interface BenchRepo {
  readonly repo: string;
  /** Every module path, repository-relative. */
  readonly modules: readonly string[];
  /** Each module's committed content. */
  readonly content: ReadonlyMap<string, string>;
}

function moduleText(area: string, name: string, random: () => number): string {
  const fns = Array.from({ length: 3 + Math.floor(random() * 3) }, (_, i) => `${VERBS[Math.floor(random() * VERBS.length)]}${name[0]?.toUpperCase()}${name.slice(1)}${i}`);
  const body = fns
    .map(
      (fn) => `/** ${fn}: part of the ${area} ${name} handling. */
function ${fn}(items, options = {}) {
  const limit = options.limit ?? ${10 + Math.floor(random() * 90)};
  const out = [];
  for (const item of items ?? []) {
    if (out.length >= limit) break;
    if (item && item.${area}Id !== undefined) out.push({ ...item, ${name}: true });
  }
  return out;
}`,
    )
    .join('\n\n');
  return `'use strict';\n\n${body}\n\nmodule.exports = { ${fns.join(', ')} };\n`;
}

/** Writes and commits the repository under `dir/repo` (deterministic for a seed). */
export function makeBenchRepo(dir: string, seed = 15): BenchRepo {
  const random = seeded(seed);
  const repo = join(dir, 'repo');
  const content = new Map<string, string>();
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  };
  for (const area of AREAS) {
    const names = new Set<string>();
    while (names.size < 10) names.add(`${NOUNS[Math.floor(random() * NOUNS.length)]}${['', 'Utils', 'Service', 'Helpers'][Math.floor(random() * 4)]}`);
    for (const name of names) {
      const path = `src/${area}/${area}${name[0]?.toUpperCase()}${name.slice(1)}.js`;
      const text = moduleText(area, name, random);
      content.set(path, text);
      write(path, text);
    }
  }
  write('scripts/check.js', CHECK_SCRIPT);
  write('package.json', `${JSON.stringify({ name: 'bench-app', version: '1.0.0', private: true, scripts: { build: CHECK_COMMAND } }, null, 2)}\n`);
  write('README.md', '# bench-app\n\nA web application back end: one folder of modules per feature under src/.\n\nBuild check: `node scripts/check.js`.\n');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.invalid', ...args], { cwd: repo, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-qm', 'bench app');
  return { repo, modules: [...content.keys()], content };
}
