/**
 * Two demo tickets filed as GitHub issues, for the GitHub demo against the tests' fake GitHub
 * (test/fakes/githubFake.ts): issue #1 is D1 and #2 is D2 of the demo repository, so as tickets gh-1
 * and gh-2 the simulated worker runs D1's and D2's scripts on the same files (demoScripts.ts).
 * Acceptance checks are the issue's task list, as Flotilla reads it (issueTicket.ts).
 */
export interface DemoIssue {
  readonly number: number;
  /** The demo ticket whose script the simulated worker runs for it. */
  readonly demoTicket: string;
  readonly title: string;
  readonly labels: readonly string[];
  readonly body: string;
}

export const DEMO_ISSUES: readonly DemoIssue[] = [
  {
    number: 1,
    demoTicket: 'D1',
    title: 'Fix the spelling of "Installation" in the README',
    labels: ['flotilla', 'docs', 'P3'],
    body: 'The README heading says "Instalation".\n\n- [ ] The README heading reads "Installation"\n',
  },
  {
    number: 2,
    demoTicket: 'D2',
    title: 'Trim leading and trailing dashes in slugify',
    labels: ['flotilla', 'bug', 'P2'],
    body: 'slugify("Hello, World!") returns "hello-world-" with a trailing dash, because the final "!" becomes a\ndash. Slugs must not start or end with a dash. Add a test.\n\n- [ ] slugify("  Hello, World!  ") returns "hello-world"\n- [ ] npm test passes\n',
  },
];

/** The demo ticket a GitHub demo ticket id stands for (`gh-2` → `D2`), or the id itself. */
export function demoScriptId(ticketId: string): string {
  return DEMO_ISSUES.find((issue) => `gh-${issue.number}` === ticketId)?.demoTicket ?? ticketId;
}
