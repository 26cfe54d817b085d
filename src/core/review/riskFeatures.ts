import { parseUnifiedDiff, type DiffSummary } from './diffSummary';
import { pathKind, sensitiveAreasOf } from './pathKinds';

/** A sensitive area and the first changed path that put the change in it (for the reason text). */
export interface AreaHit {
  readonly area: string;
  readonly path: string;
}

/** A SQL statement kind ("DROP TABLE") and the first file whose added lines contain it. */
export interface SqlHit {
  readonly statement: string;
  readonly path: string;
}

/** What the risk signals read, extracted once per diff. */
export interface RiskFeatures {
  readonly fileCount: number;
  readonly docsFiles: number;
  readonly testFiles: number;
  readonly buildConfigFiles: readonly string[];
  /** Files that are neither documentation nor tests. */
  readonly shippedFiles: number;
  /** Added + deleted lines outside documentation (binary files count 0). */
  readonly changedLines: number;
  readonly areas: readonly AreaHit[];
  readonly destructiveSql: readonly SqlHit[];
  readonly schemaSql: readonly SqlHit[];
  readonly rawSql: readonly SqlHit[];
}

// Case-insensitive: migrations are often written in lower case, and even a comment saying
// "drop table" next to code deserves a look.
const DESTRUCTIVE_SQL = /\b(drop\s+(?:table|database|schema|column|view|index)|truncate(?:\s+table)?\s+["`\w]|delete\s+from)\b/gi;
const SCHEMA_SQL = /\b(alter\s+table|alter\s+column|rename\s+(?:table|column)|create\s+(?:unique\s+)?index)\b/gi;
// Upper case only for plain keywords, or prose ("select the rows from …") would count; plus the
// raw-query escape hatches of common ORMs and drivers.
const RAW_SQL = /(\bSELECT\s[^;]*?\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+["`\w.]+\s+SET\b|\$queryRaw|\$executeRaw|\.raw\(\s*["'`]|\bcursor\.execute\(|\bexecuteQuery\(|\bsequelize\.query\()/g;

export function extractRiskFeatures(diff: DiffSummary): RiskFeatures {
  const kinds = diff.files.map((f) => ({ file: f, kind: pathKind(f.path) }));
  const nonDoc = kinds.filter((k) => k.kind !== 'docs');
  const areas = new Map<string, string>();
  for (const { file } of kinds) {
    for (const area of sensitiveAreasOf(file.path)) if (!areas.has(area)) areas.set(area, file.path);
  }

  const destructive = new Map<string, string>();
  const schema = new Map<string, string>();
  const raw = new Map<string, string>();
  for (const fileDiff of parseUnifiedDiff(diff.unified)) {
    const kind = pathKind(fileDiff.path);
    // SQL in documentation and tests (fixtures that reset a database) changes nothing in production.
    if (kind === 'docs' || kind === 'test') continue;
    for (const line of fileDiff.addedLines) {
      collect(line, DESTRUCTIVE_SQL, fileDiff.path, destructive);
      collect(line, SCHEMA_SQL, fileDiff.path, schema);
      collect(line, RAW_SQL, fileDiff.path, raw, rawSqlLabel);
    }
  }

  return {
    fileCount: diff.files.length,
    docsFiles: kinds.filter((k) => k.kind === 'docs').length,
    testFiles: kinds.filter((k) => k.kind === 'test').length,
    buildConfigFiles: kinds.filter((k) => k.kind === 'buildConfig').map((k) => k.file.path),
    shippedFiles: kinds.filter((k) => k.kind !== 'docs' && k.kind !== 'test').length,
    changedLines: nonDoc.reduce((sum, { file }) => sum + (file.added ?? 0) + (file.deleted ?? 0), 0),
    areas: [...areas].map(([area, path]) => ({ area, path })),
    destructiveSql: toHits(destructive),
    schemaSql: toHits(schema),
    rawSql: toHits(raw),
  };
}

/** "drop   table" → "DROP TABLE": one label per statement kind however it was written. */
function statementLabel(match: string): string {
  return match.trim().toUpperCase().replace(/\s+/g, ' ').replace(/^TRUNCATE(?: TABLE)?.*$/, 'TRUNCATE');
}

function rawSqlLabel(match: string): string {
  if (/^SELECT/.test(match)) return 'SELECT … FROM';
  if (/^UPDATE/.test(match)) return 'UPDATE … SET';
  if (/^INSERT/.test(match)) return 'INSERT INTO';
  return `${match.replace(/[("'`\s]+$/, '')}(…)`;
}

function collect(line: string, pattern: RegExp, path: string, into: Map<string, string>, label = statementLabel): void {
  for (const match of line.matchAll(pattern)) {
    const key = label(match[0]);
    if (!into.has(key)) into.set(key, path);
  }
}

function toHits(map: Map<string, string>): SqlHit[] {
  return [...map].map(([statement, path]) => ({ statement, path }));
}
