import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { GitClient } from '../../core/git/gitClient';
import { DEMO_FILES, DEMO_TICKETS } from './demoRepository';

/** The demo project's files with its tickets in the default tickets folder, by repository path. */
export function demoProjectFiles(): Record<string, string> {
  const files: Record<string, string> = { ...DEMO_FILES };
  for (const [name, text] of Object.entries(DEMO_TICKETS)) files[`.flotilla/tickets/${name}`] = text;
  return files;
}

/**
 * What the demo folder's `.vscode/settings.json` says when the editor creates it: the simulated model
 * (offline, nothing billed) and the project's real tests as the test gate, so D3's wrong first try
 * really fails it.
 */
export const DEMO_WORKSPACE_SETTINGS = {
  'flotilla.provider': 'simulated',
  'flotilla.gates.test': 'node --test',
  'flotilla.commands.allow': ['node --test'],
} as const;

/** Writes the demo project into `repo` (a new folder) and makes its first commit. */
export async function createDemoProject(git: GitClient, repo: string, options: { readonly editorSettings: boolean }): Promise<void> {
  const files = demoProjectFiles();
  if (options.editorSettings) files['.vscode/settings.json'] = `${JSON.stringify(DEMO_WORKSPACE_SETTINGS, null, 2)}\n`;
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(repo, path)), { recursive: true });
    await writeFile(join(repo, path), text);
  }
  const identity = ['-c', 'user.name=Flotilla Demo', '-c', 'user.email=demo@localhost'];
  await git.run(repo, ['init', '-q', '-b', 'main']);
  await git.run(repo, ['add', '.']);
  await git.run(repo, [...identity, 'commit', '-qm', 'textkit: initial version']);
}
