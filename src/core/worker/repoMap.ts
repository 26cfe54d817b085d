import type { GitClient } from '../git/gitClient';

/**
 * A compact map of the repository at the batch's base commit: tracked paths grouped by folder.
 * It is built once per batch and shared by every worker, so it must be deterministic.
 */
export async function buildRepoMap(git: GitClient, repoRoot: string, baseCommit: string, maxChars = 24_000): Promise<string> {
  const { stdout } = await git.run(repoRoot, ['ls-tree', '-r', '--name-only', '-z', baseCommit]);
  return renderRepoMap(stdout.split('\0').filter(Boolean), maxChars);
}

export function renderRepoMap(paths: readonly string[], maxChars: number): string {
  const byFolder = new Map<string, string[]>();
  for (const path of [...paths].sort()) {
    const slash = path.lastIndexOf('/');
    const folder = slash === -1 ? '.' : path.slice(0, slash);
    const list = byFolder.get(folder) ?? [];
    list.push(path.slice(slash + 1));
    byFolder.set(folder, list);
  }
  const lines: string[] = [`${paths.length} tracked files`];
  let length = lines[0]?.length ?? 0;
  for (const [folder, files] of byFolder) {
    const line = `${folder}/: ${files.join(', ')}`;
    if (length + line.length + 1 > maxChars) {
      lines.push(`… (map cut at ${maxChars} characters; use list_dir and search_text for the rest)`);
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n');
}
