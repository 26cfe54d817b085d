/** One uncommitted change in a working tree, as `git status --porcelain` reports it. */
export interface StatusEntry {
  readonly path: string;
  /** Set for renames and copies staged in the index. */
  readonly originalPath?: string;
  /** Two-letter porcelain code, e.g. " M", "A ", "??", "UU". */
  readonly code: string;
  readonly kind: 'modified' | 'added' | 'deleted' | 'renamed' | 'copied' | 'untracked' | 'conflicted' | 'typeChanged';
}

/** Parses `git status --porcelain=v1 -z` (NUL separated; a rename carries its source as the next field). */
export function parseStatusPorcelain(output: string): StatusEntry[] {
  const fields = output.split('\0');
  const entries: StatusEntry[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] ?? '';
    if (field.length < 4) continue;
    const code = field.slice(0, 2);
    const path = field.slice(3);
    const kind = kindOf(code);
    if (code[0] === 'R' || code[0] === 'C') {
      entries.push({ path, originalPath: fields[i + 1] ?? '', code, kind });
      i++;
    } else {
      entries.push({ path, code, kind });
    }
  }
  return entries;
}

function kindOf(code: string): StatusEntry['kind'] {
  if (code === '??') return 'untracked';
  if (code.includes('U') || code === 'AA' || code === 'DD') return 'conflicted';
  if (code.includes('R')) return 'renamed';
  if (code.includes('C')) return 'copied';
  if (code.includes('D')) return 'deleted';
  if (code.includes('A')) return 'added';
  if (code.includes('T')) return 'typeChanged';
  return 'modified';
}
