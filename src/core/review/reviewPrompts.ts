import { descriptionForModel, type IssueOrigin } from '../tickets/issueText';
import type { ReviewOutput } from './findings';
import type { ReviewPrompt } from './reviewModel';

/** Bump when any prompt below changes meaning: it is part of the review cache key. */
export const REVIEW_PROMPT_VERSION = 1;

/** Checked by T1 on every ticket besides the ticket's own acceptance list. */
export const HOUSE_CHECKLIST: readonly string[] = [
  'No secrets, API keys or credentials are added to the code or configuration.',
  'Errors are handled or passed on, not silently swallowed.',
  'No debugging leftovers (stray console output, commented-out code, TODOs without a ticket).',
  'Changed behaviour is covered by new or updated tests where the project has tests.',
  'The change stays within the ticket: no unrelated edits or reformatting.',
  'Input from outside the program (users, files, network) is validated before use.',
];

/** What every review prompt is built from. */
export interface ReviewContext {
  readonly ticket: { readonly id: string; readonly title: string; readonly description: string; readonly acceptance: readonly string[]; readonly issue?: IssueOrigin };
  /** The unified diff, already capped to what fits a prompt. */
  readonly diff: string;
  readonly checklist: readonly string[];
}

const OUTPUT_CONTRACT = `Reply with one JSON object and nothing else (no prose, no code fence):
{"verdict": "PASS" | "FAIL", "findings": [{"file": "path/as/in/the/diff", "line": <line number in the new file, or null for the whole file>, "severity": "info" | "warning" | "error", "message": "what is wrong and how to fix it"}], "summary": "one sentence"}
Use FAIL only for problems that must be fixed before merging (use severity "error" for them); style preferences are "info". Cite the file path exactly as the diff shows it after "b/". An empty findings list is fine.`;

function ticketBlock(context: ReviewContext): string {
  const acceptance = context.ticket.acceptance.length > 0 ? context.ticket.acceptance.map((a) => `- ${a}`).join('\n') : '(none given)';
  return `<ticket id="${context.ticket.id}">
Title: ${context.ticket.title}

${context.ticket.issue ? descriptionForModel(context.ticket.description.trim(), context.ticket.issue) : context.ticket.description.trim() || '(no description)'}

Acceptance criteria:
${acceptance}
</ticket>`;
}

function diffBlock(context: ReviewContext): string {
  return `<diff>\n${context.diff}\n</diff>`;
}

function prompt(system: string, user: string): ReviewPrompt {
  return { system: `${system}\n\n${OUTPUT_CONTRACT}`, messages: [{ role: 'user', content: user }] };
}

/** T1: a fast checklist pass — is each acceptance criterion met, is each house rule kept. */
export function checklistPrompt(context: ReviewContext): ReviewPrompt {
  const checklist = context.checklist.map((c) => `- ${c}`).join('\n');
  return prompt(
    'You check a code change against a checklist. Go through every acceptance criterion of the ticket and every item of the house checklist, and report each one the diff clearly fails. Do not look for other problems.',
    `${ticketBlock(context)}\n\n<house-checklist>\n${checklist}\n</house-checklist>\n\n${diffBlock(context)}`,
  );
}

/** T2: one senior engineer's review of correctness, edge cases, security and maintainability. */
export function expertPrompt(context: ReviewContext): ReviewPrompt {
  return prompt(
    'You are a senior engineer reviewing a colleague\'s change before it merges. Look for bugs, unhandled edge cases, security problems, data loss, performance traps and code that will be hard to maintain. Check that the change does what the ticket asks.',
    `${ticketBlock(context)}\n\n${diffBlock(context)}`,
  );
}

/** The two T3 reviewers read the same change with different eyes, so their blind spots differ. */
export const PANEL_PERSONAS = {
  A: 'You are an adversarial reviewer. Assume the change is wrong until shown otherwise: hunt for incorrect logic, broken invariants, race conditions, injection and other security holes, and inputs that crash it. Think about what happens in production with real data.',
  B: 'You are the long-term maintainer of this code base. Judge whether the change fits the existing design, whether its tests really prove the ticket\'s acceptance criteria, whether failure modes are observable, and whether a data migration or API change can be rolled out and rolled back safely.',
} as const;

export function panelReviewerPrompt(context: ReviewContext, reviewer: keyof typeof PANEL_PERSONAS): ReviewPrompt {
  return prompt(PANEL_PERSONAS[reviewer], `${ticketBlock(context)}\n\n${diffBlock(context)}`);
}

/** What the judge is told about one reviewer: its review, or why there is none. */
export type PanelOpinion = { readonly ok: true; readonly review: ReviewOutput } | { readonly ok: false; readonly reason: string };

export function judgePrompt(context: ReviewContext, opinions: { readonly A: PanelOpinion; readonly B: PanelOpinion }): ReviewPrompt {
  const show = (name: string, opinion: PanelOpinion) =>
    opinion.ok
      ? `<review reviewer="${name}">\n${JSON.stringify(opinion.review, null, 2)}\n</review>`
      : `<review reviewer="${name}">\n(no usable review: ${opinion.reason})\n</review>`;
  return prompt(
    'You are the judge of a two-person code review. Two reviewers examined the same change independently and may disagree. Check every finding against the diff yourself: keep the ones that are real, drop the ones that are wrong, merge duplicates, and add anything important both missed. Your verdict is final: FAIL only if a kept finding must be fixed before merging. Say in the summary how you settled any disagreement.',
    `${ticketBlock(context)}\n\n${diffBlock(context)}\n\n${show('A', opinions.A)}\n\n${show('B', opinions.B)}`,
  );
}

/** The follow-up after an invalid reply: the model sees its own reply and what was wrong with it. */
export function repairPrompt(original: ReviewPrompt, badReply: string, error: string): ReviewPrompt {
  return {
    system: original.system,
    messages: [
      ...original.messages,
      // An empty assistant turn is rejected by the API; the placeholder keeps the conversation valid.
      { role: 'assistant', content: badReply.trim() || '(empty reply)' },
      { role: 'user', content: `That reply could not be used: ${error}. Reply again with only the JSON object described in the instructions.` },
    ],
  };
}

/** Keeps a prompt affordable: a diff past the cap is cut at a line break, and the reviewers are told. */
export function capDiff(diff: string, maxChars: number): string {
  if (diff.length <= maxChars) return diff;
  const cut = diff.lastIndexOf('\n', maxChars);
  const kept = diff.slice(0, cut > 0 ? cut : maxChars);
  return `${kept}\n[… diff truncated: ${diff.length - kept.length} more characters not shown; review what is shown …]`;
}
