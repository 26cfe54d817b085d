import type { DiffFileChange, DiffSummary } from '../../../src/core/review/diffSummary';

export interface FakeFile {
  readonly path: string;
  /** New lines, each becomes one `+` line of a single hunk starting at line `start`. */
  readonly added?: readonly string[];
  readonly removed?: readonly string[];
  readonly start?: number;
  readonly status?: DiffFileChange['status'];
}

/** A DiffSummary whose counts and unified text agree, written the way `git diff` prints it. */
export function fakeDiff(files: readonly FakeFile[]): DiffSummary {
  const unified = files
    .map((f) => {
      const added = f.added ?? [];
      const removed = f.removed ?? [];
      const start = f.start ?? 1;
      const isNew = f.status === 'added';
      return [
        `diff --git a/${f.path} b/${f.path}`,
        isNew ? 'new file mode 100644' : 'index 1111111..2222222 100644',
        isNew ? '--- /dev/null' : `--- a/${f.path}`,
        `+++ b/${f.path}`,
        `@@ -${isNew ? 0 : start},${removed.length} +${start},${added.length} @@`,
        ...removed.map((l) => `-${l}`),
        ...added.map((l) => `+${l}`),
      ].join('\n');
    })
    .join('\n');
  return {
    files: files.map((f) => ({ path: f.path, status: f.status ?? 'modified', added: (f.added ?? []).length, deleted: (f.removed ?? []).length })),
    unified: unified.length > 0 ? `${unified}\n` : '',
  };
}

export function lines(count: number, text = 'const x = 1;'): string[] {
  return Array.from({ length: count }, (_, i) => `${text} // ${i}`);
}
