import type { RoutableTicket } from './routableTicket';

/**
 * The complexity signals and their weights: one table, so the score stays explainable and the
 * calibration report can print exactly what was used. Each signal measures a value in [0, 1];
 * its contribution to the score is `weight × value`.
 *
 * Weights are set by hand from the design studies and a look at the SWE-bench calibration set
 * (bench/routingCalibration.ts), deliberately not fitted: 246 rows would let a fitted model
 * memorise repositories rather than learn tickets. On that set only size and breadth carry
 * measurable signal; the domain and label signals come from the architecture (risky areas deserve
 * a stronger first pick) and matter for real tickets, which have labels and files.
 */
export interface ComplexitySignal {
  readonly name: SignalName;
  readonly weight: number;
  readonly measure: (features: TicketFeatures) => number;
  /** The phrase used in a pick's reason when this signal is one of the strongest. */
  readonly describe: (features: TicketFeatures) => string;
}

export type SignalName =
  | 'size'
  | 'domain'
  | 'breadth'
  | 'files'
  | 'dependencies'
  | 'complexLabel'
  | 'mechanicalLabel'
  | 'mechanicalWording';

/** What the signals read, extracted once per ticket. */
export interface TicketFeatures {
  readonly words: number;
  readonly domains: readonly string[];
  readonly breadthWords: readonly string[];
  readonly fileCount: number;
  readonly dependencyCount: number;
  readonly complexLabels: readonly string[];
  readonly mechanicalLabels: readonly string[];
  readonly mechanicalWords: readonly string[];
}

/** Score before any signal: an empty ticket is a small one, but not certainly mechanical. */
export const BASE_SCORE = 15;

// Domain keywords from ARCHITECTURE.md (auth/payment/migration/security) plus concurrency, which
// fails in the same expensive, hard-to-test way.
export const DOMAIN_PATTERNS: Readonly<Record<string, RegExp>> = {
  auth: /\b(auth\w*|login|logout|password\w*|oauth\w*|session tokens?|permissions?|sso)\b/i,
  payment: /\b(payments?|billing|invoices?|checkout|refunds?|subscriptions?)\b/i,
  migration: /\b(migrations?|migrate|schema changes?|alter table|backfill)\b/i,
  security: /\b(security|vulnerab\w*|exploit\w*|cve-\d+|xss|csrf|injection|encrypt\w*|decrypt\w*|sanitiz\w*)\b/i,
  concurrency: /\b(concurren\w*|race conditions?|deadlocks?|thread[- ]safe\w*|mutex\w*)\b/i,
};

const BREADTH = /\b(refactor\w*|redesign\w*|rewrite|architecture|across|multiple|several|various|inconsisten\w*|throughout)\b/gi;
const MECHANICAL_WORDING = /\b(typos?|spelling|misspell\w*|rename\w*|bump|docstrings?|docs|readme|wording|lint\w*|formatting|changelog)\b/gi;
const COMPLEX_LABELS = new Set(['feature', 'enhancement', 'security', 'breaking', 'breaking-change', 'architecture', 'migration', 'performance', 'epic']);
const MECHANICAL_LABELS = new Set(['docs', 'documentation', 'typo', 'chore', 'style', 'lint', 'formatting', 'dependencies', 'trivial', 'good first issue', 'easy']);
// File-like mentions in the text ("src/app/auth.ts", "models.py") count as predicted files.
const PATH_MENTION = /\b[\w./-]*\w\.(py|ts|tsx|js|jsx|kt|java|go|rs|rb|cs|cpp|c|h|sql|ya?ml|json|toml|cfg|rst|md|html|css)\b/gi;

function distinct(matches: Iterable<string>): string[] {
  return [...new Set([...matches].map((m) => m.toLowerCase()))];
}

export function extractFeatures(ticket: RoutableTicket): TicketFeatures {
  const text = `${ticket.title}\n${ticket.body}`;
  const labels = ticket.labels.map((l) => l.trim().toLowerCase());
  const mentionedPaths = distinct(text.match(PATH_MENTION) ?? []);
  return {
    words: text.split(/\s+/).filter((w) => w.length > 0).length,
    domains: Object.keys(DOMAIN_PATTERNS).filter((d) => DOMAIN_PATTERNS[d]?.test(text) || labels.includes(d)),
    breadthWords: distinct(text.match(BREADTH) ?? []),
    fileCount: new Set([...ticket.files, ...mentionedPaths]).size,
    dependencyCount: ticket.dependsOn.length,
    complexLabels: labels.filter((l) => COMPLEX_LABELS.has(l)),
    mechanicalLabels: labels.filter((l) => MECHANICAL_LABELS.has(l)),
    // Wording counts only in the title: a body may mention "docs" in passing, a title names the job.
    mechanicalWords: distinct(ticket.title.match(MECHANICAL_WORDING) ?? []),
  };
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

export const COMPLEXITY_SIGNALS: readonly ComplexitySignal[] = [
  {
    name: 'size',
    weight: 35,
    // Log scale: 30 words → 0, 480 words → 1; the tenth paragraph says less than the second.
    measure: (f) => clamp01(Math.log2(Math.max(f.words, 1) / 30) / 4),
    describe: (f) => (f.words < 120 ? `short ticket (${f.words} words)` : `long ticket (${f.words} words)`),
  },
  {
    name: 'domain',
    weight: 30,
    measure: (f) => Math.min(f.domains.length, 2) / 2,
    describe: (f) => `touches ${f.domains.slice(0, 2).join(' + ')}`,
  },
  {
    name: 'breadth',
    weight: 15,
    measure: (f) => (f.breadthWords.length > 0 ? 1 : 0),
    describe: (f) => `broad change ("${f.breadthWords[0] ?? ''}")`,
  },
  {
    name: 'files',
    weight: 10,
    measure: (f) => Math.min(f.fileCount, 5) / 5,
    describe: (f) => `${f.fileCount} file${f.fileCount === 1 ? '' : 's'} named`,
  },
  {
    name: 'dependencies',
    weight: 5,
    measure: (f) => Math.min(f.dependencyCount, 3) / 3,
    describe: (f) => `${f.dependencyCount} dependenc${f.dependencyCount === 1 ? 'y' : 'ies'}`,
  },
  {
    name: 'complexLabel',
    weight: 15,
    measure: (f) => (f.complexLabels.length > 0 ? 1 : 0),
    describe: (f) => `label ${f.complexLabels[0] ?? ''}`,
  },
  {
    name: 'mechanicalLabel',
    weight: -25,
    measure: (f) => (f.mechanicalLabels.length > 0 ? 1 : 0),
    describe: (f) => `label ${f.mechanicalLabels[0] ?? ''}`,
  },
  {
    name: 'mechanicalWording',
    weight: -15,
    measure: (f) => (f.mechanicalWords.length > 0 ? 1 : 0),
    describe: (f) => `title says "${f.mechanicalWords[0] ?? ''}"`,
  },
];
