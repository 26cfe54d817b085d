import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitClient } from '../../src/core/git/gitClient';
import { createDemoProject, DEMO_WORKSPACE_SETTINGS } from '../../src/simulator/demo/demoProject';

export const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/**
 * The fixture a person opens: the demo project (a small library with real tests and six tickets, D1
 * to D6) as a git repository, with `"flotilla.provider": "simulated"` and the project's test gate in
 * its workspace settings. One worker at a time, so the panel has a batch in progress to show.
 */
export async function createFixtureRepository(dir: string): Promise<void> {
  await createDemoProject(new GitClient(), dir, { editorSettings: true });
  const settings = { ...DEMO_WORKSPACE_SETTINGS, 'flotilla.batch.concurrency': 1 };
  writeFileSync(join(dir, '.vscode/settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  // Part of the first commit, so the working tree is clean when a ticket is accepted.
  git(dir, '-c', 'user.name=Flotilla Demo', '-c', 'user.email=demo@localhost', 'commit', '-qa', '--amend', '--no-edit');
}
