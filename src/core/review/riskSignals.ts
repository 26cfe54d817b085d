import type { RiskFeatures } from './riskFeatures';

export type RiskSignalName =
  | 'docsOnly'
  | 'testsOnly'
  | 'sensitiveArea'
  | 'severalSensitiveAreas'
  | 'destructiveSql'
  | 'schemaSql'
  | 'rawSql'
  | 'size'
  | 'breadth'
  | 'buildConfig';

/**
 * The risk signals and their weights: one table, so every level can be explained and tuned in one
 * place (the complexity score in src/core/routing works the same way). Each signal measures a value
 * in [0, 1]; its contribution is `weight × value` score points on top of RISK_BASE_SCORE.
 *
 * Weights are set by hand so the cases ARCHITECTURE.md names land where it says: a small ordinary
 * code change is `standard` (30), docs-only and tests-only changes are `minimal`, one sensitive
 * area is `thorough` (55), and destructive SQL in a migration is `comprehensive` (90).
 */
export interface RiskSignal {
  readonly name: RiskSignalName;
  readonly weight: number;
  readonly measure: (features: RiskFeatures) => number;
  readonly describe: (features: RiskFeatures) => string;
}

/** An ordinary code change with nothing else to say about it. */
export const RISK_BASE_SCORE = 30;

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const sqlPhrase = (hits: RiskFeatures['rawSql']) =>
  `${hits.map((h) => h.statement).slice(0, 3).join(', ')} in ${hits[0]?.path ?? ''}`;

export const RISK_SIGNALS: readonly RiskSignal[] = [
  {
    name: 'docsOnly',
    weight: -30,
    measure: (f) => (f.fileCount > 0 && f.docsFiles === f.fileCount ? 1 : 0),
    describe: (f) => `documentation only (${plural(f.docsFiles, 'file')})`,
  },
  {
    name: 'testsOnly',
    weight: -20,
    // Tests plus their docs still count: nothing that ships changes.
    measure: (f) => (f.testFiles > 0 && f.testFiles + f.docsFiles === f.fileCount ? 1 : 0),
    describe: (f) => `tests only (${plural(f.testFiles, 'file')})`,
  },
  {
    name: 'sensitiveArea',
    weight: 25,
    measure: (f) => (f.areas.length > 0 ? 1 : 0),
    describe: (f) => `touches ${f.areas[0]?.area ?? ''} (${f.areas[0]?.path ?? ''})`,
  },
  {
    name: 'severalSensitiveAreas',
    weight: 10,
    measure: (f) => (f.areas.length > 1 ? 1 : 0),
    describe: (f) => `touches ${f.areas.map((a) => a.area).join(' + ')}`,
  },
  {
    name: 'destructiveSql',
    weight: 35,
    measure: (f) => (f.destructiveSql.length > 0 ? 1 : 0),
    describe: (f) => `destructive SQL: ${sqlPhrase(f.destructiveSql)}`,
  },
  {
    name: 'schemaSql',
    weight: 15,
    measure: (f) => (f.schemaSql.length > 0 ? 1 : 0),
    describe: (f) => `schema change: ${sqlPhrase(f.schemaSql)}`,
  },
  {
    name: 'rawSql',
    weight: 10,
    measure: (f) => (f.rawSql.length > 0 ? 1 : 0),
    describe: (f) => `raw SQL: ${sqlPhrase(f.rawSql)}`,
  },
  {
    name: 'size',
    weight: 20,
    // Log scale: 50 changed lines → 0, 1,600 → 1; the thousandth line adds less than the hundredth.
    measure: (f) => clamp01(Math.log2(Math.max(f.changedLines, 1) / 50) / 5),
    describe: (f) => `${f.changedLines} changed lines`,
  },
  {
    name: 'breadth',
    weight: 15,
    // One file → 0, 20 or more shipped files → 1.
    measure: (f) => clamp01((f.shippedFiles - 1) / 19),
    describe: (f) => `${plural(f.shippedFiles, 'file')} changed outside docs and tests`,
  },
  {
    name: 'buildConfig',
    weight: 10,
    measure: (f) => (f.buildConfigFiles.length > 0 ? 1 : 0),
    describe: (f) => `build or dependency files (${f.buildConfigFiles.slice(0, 2).join(', ')})`,
  },
];
