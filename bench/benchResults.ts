/**
 * How every benchmark records its figures for `bench/results.json` (issue 15).
 *
 * A bench calls `writeBenchResult(section, values, source)`; that writes one file,
 * `bench/out/<section>.<source>.json`. `npm run bench` (bench/run.ts) merges every file of a section
 * into that section's key of `bench/results.json`. Several sources may share a section (the editor
 * section has figures from this folder and from the panel's bench); their values are merged key by key.
 * A script outside the repository reads results.json, so the section names and keys are the issue's.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const BENCH_SECTIONS = ['batching', 'routing', 'scheduling', 'rate_limit', 'overhead', 'budget', 'editor', 'engines'] as const;
export type BenchSection = (typeof BENCH_SECTIONS)[number];

const sectionSchema = z.enum(BENCH_SECTIONS);
/** A source names the bench that wrote the file; it becomes part of a file name. */
const sourceSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'a source is lower-case letters, digits, "-" or "_"');

export const benchRecordSchema = z.object({
  section: sectionSchema,
  source: sourceSchema,
  recordedAt: z.string(),
  values: z.record(z.string(), z.unknown()),
  /** Why a figure in `values` is null, by key. */
  reasons: z.record(z.string(), z.string()).optional(),
});
export type BenchRecord = z.infer<typeof benchRecordSchema>;

/** `FLOTILLA_BENCH_OUT` lets a bench running elsewhere (e.g. inside the extension host) write here. */
export function benchOutDir(): string {
  return process.env.FLOTILLA_BENCH_OUT ?? join(__dirname, 'out');
}

/** Records a bench's figures; a figure that could not be measured is `null` with its reason in `reasons`. */
export function writeBenchResult(section: string, values: Record<string, unknown>, source: string, reasons?: Record<string, string>): string {
  const record: BenchRecord = benchRecordSchema.parse({ section, source, recordedAt: new Date().toISOString(), values, reasons });
  const dir = benchOutDir();
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${record.section}.${record.source}.json`);
  // Written whole, then renamed: run.ts never reads half a file.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  return file;
}

export interface ReadBenchResults {
  readonly records: readonly BenchRecord[];
  /** Files that are not a valid record, with what is wrong with them. */
  readonly problems: readonly string[];
}

export function readBenchResults(dir = benchOutDir()): ReadBenchResults {
  const records: BenchRecord[] = [];
  const problems: string[] = [];
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return { records, problems };
  }
  for (const file of files) {
    try {
      const parsed = benchRecordSchema.safeParse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      if (!parsed.success) problems.push(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
      else if (file !== `${parsed.data.section}.${parsed.data.source}.json`) problems.push(`${file}: names section "${parsed.data.section}", source "${parsed.data.source}"`);
      else records.push(parsed.data);
    } catch (error) {
      problems.push(`${file}: not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  return { records, problems };
}
