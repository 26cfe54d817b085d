import { constants } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Where a `claude` executable was found, in the order they are tried. */
export type ClaudeCodeSource = 'setting' | 'sdk-package' | 'path' | 'vscode-extension';

export interface ClaudeCodeLocation {
  readonly path: string;
  readonly source: ClaudeCodeSource;
}

export interface FindClaudeCodeOptions {
  /** `flotilla.worker.claudeCodePath`; when set it is the only candidate. */
  readonly settingPath: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly home?: string;
  readonly platform?: NodeJS.Platform;
  readonly arch?: string;
  /** Resolves a package's folder next to the SDK; injectable so tests can hide the installed one. */
  readonly resolvePackage?: (name: string) => string | undefined;
  /** Look at the SDK's platform package (default true; `auto` skips it, see workerEngine.ts). */
  readonly includeSdkPackage?: boolean;
}

export interface FindClaudeCodeResult {
  readonly found: ClaudeCodeLocation | undefined;
  /** What was looked at, for the message when nothing was found. */
  readonly tried: readonly string[];
}

/**
 * Finds Claude Code's executable: the path in the setting (only that, when set), the Agent SDK's
 * platform package (`@anthropic-ai/claude-agent-sdk-<platform>-<arch>`, installed next to the SDK),
 * `claude` on PATH, or the binary inside an installed Claude Code VS Code extension (the newest).
 */
export async function findClaudeCode(options: FindClaudeCodeOptions): Promise<FindClaudeCodeResult> {
  const platform = options.platform ?? process.platform;
  const exe = platform === 'win32' ? 'claude.exe' : 'claude';
  const tried: string[] = [];
  if (options.settingPath !== '') {
    if (await isExecutable(options.settingPath)) return { found: { path: options.settingPath, source: 'setting' }, tried };
    return { found: undefined, tried: [`flotilla.worker.claudeCodePath: ${options.settingPath} is not an executable file`] };
  }

  const resolvePackage = options.resolvePackage ?? resolveNextToSdk;
  for (const name of options.includeSdkPackage === false ? [] : platformPackages(platform, options.arch ?? process.arch)) {
    const folder = resolvePackage(name);
    tried.push(`the package ${name}`);
    if (folder && (await isExecutable(join(folder, exe)))) return { found: { path: join(folder, exe), source: 'sdk-package' }, tried };
  }

  const env = options.env ?? process.env;
  const names = platform === 'win32' ? ['claude.exe', 'claude.cmd'] : ['claude'];
  tried.push('claude on PATH');
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) {
      if (await isExecutable(join(dir, name))) return { found: { path: join(dir, name), source: 'path' }, tried };
    }
  }

  const home = options.home ?? homedir();
  tried.push(`the Claude Code extension in ${join(home, '.vscode*', 'extensions')}`);
  const bundled = await newestExtensionBinary(home, exe);
  return { found: bundled ? { path: bundled, source: 'vscode-extension' } : undefined, tried };
}

function platformPackages(platform: NodeJS.Platform, arch: string): string[] {
  const base = `@anthropic-ai/claude-agent-sdk-${platform}-${arch}`;
  return platform === 'linux' ? [base, `${base}-musl`] : [base];
}

function resolveNextToSdk(name: string): string | undefined {
  try {
    return join(require.resolve(`${name}/package.json`, { paths: [__dirname, process.cwd()] }), '..');
  } catch {
    return undefined;
  }
}

/** `<home>/.vscode*\/extensions/anthropic.claude-code-<version>[-<platform>]/resources/native-binary/claude`. */
async function newestExtensionBinary(home: string, exe: string): Promise<string | undefined> {
  const candidates: { path: string; version: number[] }[] = [];
  for (const editor of (await list(home)).filter((name) => name.startsWith('.vscode'))) {
    const extensions = join(home, editor, 'extensions');
    for (const folder of await list(extensions)) {
      const version = /^anthropic\.claude-code-(\d+(?:\.\d+)*)/.exec(folder)?.[1];
      const path = join(extensions, folder, 'resources', 'native-binary', exe);
      if (version && (await isExecutable(path))) candidates.push({ path, version: version.split('.').map(Number) });
    }
  }
  candidates.sort((a, b) => compareVersions(b.version, a.version));
  return candidates[0]?.path;
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

async function list(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch {
    return [];
  }
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
