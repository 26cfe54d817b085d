import { textTurn } from '../responders';
import type { SimulatedTurn } from '../simulatorTypes';
import { demoScriptId } from './demoIssues';

interface DemoFinding {
  readonly file: string;
  readonly line: number | null;
  readonly severity: 'info' | 'warning' | 'error';
  readonly message: string;
}

/** A remark the simulated reviewer makes on a demo ticket when its diff contains `added` in `file`. */
interface DemoRemark {
  readonly file: string;
  /** Text of an added line to point at; null points at the whole file. */
  readonly added: string | null;
  readonly severity: DemoFinding['severity'];
  readonly message: string;
}

/**
 * What the simulated reviewer notices on the demo tickets: real, non-blocking remarks a careful
 * reviewer would make, so the demo shows findings on their lines (and the review UI is exercised)
 * without sending a ticket back to its fix loop.
 */
const REMARKS: Readonly<Record<string, readonly DemoRemark[]>> = {
  D2: [{ file: 'src/slugify.js', added: ".replace(/^-+|-+$/g, '')", severity: 'info', message: 'Consider a test for a title made only of punctuation ("!!!"): it should give an empty slug, not a dash.' }],
  D3: [
    {
      file: 'src/wordCount.js',
      added: 'filter((word) =>',
      severity: 'info',
      message: 'split + filter builds an array of every word just to count them; (text.match(/\\S+/g) ?? []).length counts without it. Fine at this size.',
    },
  ],
  D5: [
    { file: 'src/auth/session.js', added: 'now - session.lastSeen > IDLE_LIMIT_MS', severity: 'warning', message: 'Expired sessions are only removed when they are looked up again; sessions that are never used again stay in the map. A periodic sweep would bound its size.' },
    { file: 'src/auth/session.js', added: null, severity: 'info', message: 'Session ids come from Math.random(), which is not a secure source; crypto.randomUUID() would be (outside this ticket).' },
  ],
};

/** The simulated reviewer's reply: PASS, with the demo remarks whose lines are in the diff. */
export function demoReviewTurn(system: string, prompt: string): SimulatedTurn {
  const judge = system.includes('judge');
  const ticketId = /<ticket id="([^"]+)">/.exec(prompt)?.[1] ?? '';
  const diff = /<diff>\n([\s\S]*?)\n<\/diff>/.exec(prompt)?.[1] ?? '';
  const findings = (REMARKS[demoScriptId(ticketId)] ?? []).flatMap((remark): DemoFinding[] => {
    if (!touchedFiles(diff).has(remark.file)) return [];
    const line = remark.added === null ? null : addedLineNumber(diff, remark.file, remark.added);
    if (remark.added !== null && line === null) return [];
    return [{ file: remark.file, line, severity: remark.severity, message: remark.message }];
  });
  const summary = judge
    ? `Both reviewers found no blocking problem; agreed${findings.length > 0 ? `, with ${findings.length} remark${findings.length === 1 ? '' : 's'} kept` : ''}.`
    : findings.length > 0
      ? 'The change does what the ticket asks; no blocking problem, one thing worth a look.'
      : 'The change does what the ticket asks; no blocking problem.';
  return textTurn(JSON.stringify({ verdict: 'PASS', findings, summary }));
}

function touchedFiles(diff: string): Set<string> {
  return new Set([...diff.matchAll(/^\+\+\+ b\/(.+)$/gm)].map((m) => m[1] ?? ''));
}

/** The new-file line number of the first added line of `file` that contains `text`, from the hunk headers. */
export function addedLineNumber(diff: string, file: string, text: string): number | null {
  let inFile = false;
  let line = 0;
  for (const row of diff.split('\n')) {
    if (row.startsWith('diff --git ')) inFile = false;
    else if (row.startsWith('+++ ')) inFile = row === `+++ b/${file}`;
    else if (!inFile || row.startsWith('--- ')) continue;
    else if (row.startsWith('@@')) line = Number(/\+(\d+)/.exec(row)?.[1] ?? 0);
    else if (row.startsWith('+')) {
      if (row.includes(text)) return line;
      line += 1;
    } else if (!row.startsWith('-') && !row.startsWith('\\')) line += 1;
  }
  return null;
}
