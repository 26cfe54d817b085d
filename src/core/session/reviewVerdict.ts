import type { Decision } from '../vocabulary/ticketStates';
import type { StoredGate, StoredReview } from '../store/storedReview';

// Pure text for the verdict thread of a review (no `vscode` import), unit-tested without a host.

const LEVEL_WORDS: Readonly<Record<string, string>> = {
  minimal: 'build and lint',
  standard: 'build, lint and tests, then a checklist review (T1)',
  thorough: 'build, lint and tests, then a checklist review (T1) and an expert review (T2)',
  comprehensive: 'build, lint and tests, then checklist (T1) and expert (T2) reviews and two independent reviewers with a judge (T3)',
};

/** A gate that failed, on the attempt under review or on one before it (why the ticket was fixed or moved up). */
export interface FailedGateView {
  /** "Attempt 1 on claude-haiku-5-5: test failed (exit 1)" or "test failed (exit 1)". */
  readonly title: string;
  readonly command: string | null;
  /** The last lines of its output, where test runners print what failed. */
  readonly outputTail: string;
}

/** What the verdict thread says, before it is rendered. */
export interface VerdictView {
  /** "PASS" / "FAIL", or null for an outcome stored before verdicts were written. */
  readonly verdict: 'PASS' | 'FAIL' | null;
  readonly level: string;
  /** What that level runs, in plain words. */
  readonly levelWords: string;
  /** Why this level (the first stored reason). */
  readonly levelReason: string | null;
  /** "T1 (fast): PASS — The change does what the ticket asks." */
  readonly reviews: readonly string[];
  /** Reviews of the level that did not run, with why. */
  readonly skipped: readonly string[];
  /** "build ✓ · lint ✓ · test ✓" for the attempt under review; null when no command gate ran. */
  readonly gates: string | null;
  readonly failedGates: readonly FailedGateView[];
  readonly findings: number;
  /**
   * Files decided one by one since the review (Accept File, Reject File): the verdict was given on
   * the change before them, so it is out of date once there is one.
   */
  readonly decidedFiles: { readonly accepted: readonly string[]; readonly rejected: readonly string[] };
}

const TAIL_LINES = 15;
const MAX_FAILURE_LINES = 5;

/** `files`: the file decisions stored for the ticket (`reviewDecisions.<id>.files`). */
export function verdictView(review: StoredReview, files: Readonly<Record<string, Decision>> = {}): VerdictView {
  const latest = review.attempt === undefined ? '' : `Attempt ${review.attempt}: `;
  const failedNow = review.gates.gates.filter(failed).map((g) => failedGate(g, review.earlierAttempts.length > 0 ? latest : ''));
  const failedBefore = review.earlierAttempts.flatMap((a) => a.gates.filter(failed).map((g) => failedGate(g, `Attempt ${a.attempt}${a.model ? ` on ${a.model}` : ''}: `)));
  return {
    verdict: review.verdict ?? null,
    level: review.level,
    levelWords: LEVEL_WORDS[review.level] ?? review.level,
    levelReason: review.reasons[0] ?? null,
    reviews: review.modelReviews.map((r) => `${r.kind} (${r.tier}): ${r.verdict}${r.summary ? ` — ${r.summary}` : ''}${r.reason ? ` (${r.reason})` : ''}`),
    skipped: review.skippedReviews.map((s) => `${s.kind} ${s.reason}`),
    gates: review.gates.gates.length === 0 ? null : review.gates.gates.map((g) => `${g.name} ${g.status === 'pass' ? '✓' : g.status === 'skipped' ? '–' : '✗'}`).join(' · '),
    failedGates: [...failedBefore, ...failedNow],
    findings: review.findings.length,
    decidedFiles: {
      accepted: Object.keys(files).filter((path) => files[path] === 'accepted').sort(),
      rejected: Object.keys(files).filter((path) => files[path] === 'rejected').sort(),
    },
  };
}

function failed(gate: StoredGate): boolean {
  return gate.status === 'fail' || gate.status === 'timeout';
}

function failedGate(gate: StoredGate, prefix: string): FailedGateView {
  const exit = gate.exitCode === null ? (gate.status === 'timeout' ? ' (timed out)' : '') : ` (exit ${gate.exitCode})`;
  return { title: `${prefix}${gate.name} failed${exit}`, command: gate.command, outputTail: outputExcerpt(gate.output) };
}

/** Lines test runners and linters use to say what failed (TAP, mocha/jest, tsc, eslint). */
const FAILURE_LINE = /^\s*(not ok\b|FAIL\b|✗|✘|×|\d+\) |\w*Error\b|\d+:\d+\s+error\b)|\berror TS\d+/;

/**
 * The end of a gate's output, where runners print their summary, preceded by the first lines that
 * say what failed (a TAP "not ok 3 - …" is often far above the summary).
 */
export function outputExcerpt(output: string): string {
  const lines = output.replace(/\r\n?/g, '\n').trimEnd().split('\n');
  if (lines.length <= TAIL_LINES) return lines.join('\n');
  const start = lines.length - TAIL_LINES;
  const failures = lines.slice(0, start).filter((line) => FAILURE_LINE.test(line)).slice(0, MAX_FAILURE_LINES);
  const skipped = start - failures.length;
  return [...failures, `… ${skipped} more line${skipped === 1 ? '' : 's'} in Show Gate Output`, ...lines.slice(start)].join('\n');
}

/** The thread's label: short enough for the comment header. */
export function verdictLabel(view: VerdictView): string {
  return `Flotilla verdict: ${view.verdict ?? 'unknown'} · ${view.level} review${isOutOfDate(view) ? ' · out of date' : ''}`;
}

export function isOutOfDate(view: VerdictView): boolean {
  return view.decidedFiles.accepted.length + view.decidedFiles.rejected.length > 0;
}

/** What the verdict says after file decisions: that it predates them, and which files went which way. */
export function fileDecisionLines(view: VerdictView): string[] {
  if (!isOutOfDate(view)) return [];
  const { accepted, rejected } = view.decidedFiles;
  return [
    'Out of date: this verdict was given on the change before your file decisions. Request Changes to have it reviewed again.',
    ...(rejected.length > 0 ? [`Rejected (taken back to the base on the ticket's branch, no longer in this review): ${rejected.join(', ')}`] : []),
    ...(accepted.length > 0 ? [`Accepted (committed on your branch): ${accepted.join(', ')}`] : []),
  ];
}
