import type { GateReport, ReviewReport } from './batchTypes';
import type { ReviewVerdict } from './ticketReviewer';

/** Lines of a gate's output a batch event carries: enough to see the failing test, not a whole log. */
export const GATE_OUTPUT_TAIL_LINES = 20;

/** The batch event's view of one attempt's review (ticket terminal, CLI, panel). */
export function reviewReport(verdict: ReviewVerdict, attempt: number, model: string, next: string | null): ReviewReport {
  return {
    attempt,
    model,
    passed: verdict.passed,
    level: verdict.level,
    summary: verdict.summary,
    findings: verdict.findings,
    gates: (verdict.gates ?? []).map(
      (gate): GateReport => ({
        name: gate.name,
        command: gate.command,
        status: gate.status,
        exitCode: gate.exitCode,
        durationMs: gate.durationMs,
        outputTail: lastLines(gate.output, GATE_OUTPUT_TAIL_LINES),
        ...(gate.reason === undefined ? {} : { reason: gate.reason }),
      }),
    ),
    next,
  };
}

function lastLines(text: string, count: number): string {
  const lines = text.trimEnd().split('\n');
  return lines.slice(-count).join('\n');
}
