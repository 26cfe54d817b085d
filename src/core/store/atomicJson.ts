import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import type { StoreProblem } from './storeProblem';
import { errorMessage } from '../errorText';
import { redactSecrets } from '../redactSecrets';

/**
 * Writes JSON so that a reader (or a process restarted after kill -9 or power loss) sees either the
 * old file or the new one, never half of each: temp file in the same folder (rename is only atomic
 * within one file system), fsync it, rename over the target, then fsync the folder so the rename
 * itself is durable.
 */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeTextAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** The same guarantee for any text file (the YAML execution log, reports). Keys never reach the disk. */
export async function writeTextAtomic(path: string, raw: string): Promise<void> {
  const text = redactSecrets(raw);
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  // Some platforms (Windows) cannot open a folder for fsync; the rename is still atomic there.
  const handle = await open(dir, 'r').catch(() => null);
  if (handle === null) return;
  try {
    await handle.sync();
  } catch {
    // Durability of the rename is best effort where the platform refuses a folder fsync.
  } finally {
    await handle.close();
  }
}

export type JsonReadResult<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | { readonly kind: 'missing' }
  | { readonly kind: 'quarantined'; readonly problem: StoreProblem };

/**
 * Reads and validates a JSON file. A file that does not parse or validate (hand-edited, truncated
 * by a crash on a file system without atomic rename) is moved to `<name>.corrupt-<timestamp>` and
 * reported: never fatal, and the evidence is kept for the user instead of being overwritten.
 */
export async function readJsonFile<S extends z.ZodType>(
  path: string,
  schema: S,
  now: () => number = Date.now,
): Promise<JsonReadResult<z.infer<S>>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return { kind: 'missing' };
    throw error;
  }
  let message: string;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return { kind: 'ok', value: parsed.data };
    message = `not a valid file: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`;
  } catch (error) {
    message = `not valid JSON: ${errorMessage(error)}`;
  }
  const movedTo = await quarantine(path, now);
  return { kind: 'quarantined', problem: { file: path, message, movedTo } };
}

/** Moves a bad file aside under a name that sorts by time and never collides with a live file. */
export async function quarantine(path: string, now: () => number = Date.now): Promise<string> {
  const stamp = new Date(now()).toISOString().replace(/[:.]/g, '-');
  const target = `${path}.corrupt-${stamp}-${randomBytes(2).toString('hex')}`;
  await rename(path, target);
  return target;
}

export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}
