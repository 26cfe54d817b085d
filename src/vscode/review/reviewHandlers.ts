import * as vscode from 'vscode';
import type { CommandHandlers } from '../commands';
import { showLog } from '../log';
import { requireTrust } from '../workspaceTrust';
import { describeOverlaps, type OverlapWarning } from '../../core/session/acceptTicket';
import type { ReviewableTicket } from '../../core/session/reviewableTickets';
import { decisionRefusal, DecisionNotAllowedError } from '../../core/session/decisionRules';
import type { RefusedOutcome } from '../../core/session/ticketDecisions';
import type { ChangeRequestReport } from '../../core/session/changeRequestReport';
import { DecisionInProgressError } from '../../core/store/decisionLock';
import type { ReviewController } from './reviewController';
import type { ReviewPrompts } from './reviewPrompts';
import { decisionTarget, parseReviewArgs, resolveFile, resolveTicket } from './reviewTargets';

type ReviewCommand = 'reviewTicket' | 'acceptTicket' | 'rejectTicket' | 'requestChanges' | 'showGateOutput' | 'acceptFile' | 'rejectFile';

/** Every review step runs git in the user's repository (hooks, fsmonitor): not in Restricted Mode. */
const TRUST_ACTION = 'review or merge tickets';

const ACCEPT = 'Accept & Merge';
const REJECT = 'Reject';

/**
 * The review commands. Each returns what it did (the integration suites read it), says what
 * happened in one line, and shows the refusals itself — a conflict is an answer, not a failure.
 * Decisions act on the review in front of the user, on a ticket the caller names, or on one the
 * user picks and then confirms by its id, title and target branch (reviewTargets.ts).
 */
export function reviewHandlers(controller: ReviewController): Pick<CommandHandlers, ReviewCommand> {
  const named = (ticket: ReviewableTicket) => `${ticket.ticketId} "${ticket.title}"`;
  const cancelled = { kind: 'cancelled' } as const;

  return {
    reviewTicket: async (arg) => {
      if (!requireTrust(TRUST_ACTION)) return undefined;
      const ticket = await resolveTicket(controller, parseReviewArgs(arg), { preferCurrent: false, title: 'Flotilla: Review Ticket' });
      if (!ticket) return undefined;
      const session = await controller.open(ticket);
      if (session.files.length === 0) void vscode.window.showInformationMessage(`Flotilla: ${ticket.ticketId} changes no file compared with its base commit.`);
      return { batchId: ticket.batchId, ticketId: ticket.ticketId, files: session.files.map((f) => f.path), threads: controller.threads().length };
    },

    acceptTicket: async (arg) => {
      if (!requireTrust(TRUST_ACTION)) return undefined;
      const args = parseReviewArgs(arg);
      const target = await decisionTarget(controller, args, `Flotilla: ${ACCEPT} — which ticket?`);
      if (!target) return undefined;
      const { ticket } = target;
      if (target.mustConfirm) {
        const into = await controller.targetBranch(ticket);
        const detail = `Merges branch ${ticket.branch} into ${into} in ${ticket.repoRoot}, and marks the ticket done. Nothing is merged unless you choose ${ACCEPT}.`;
        if (!(await controller.prompts.confirm({ message: `${ACCEPT} ${named(ticket)} into ${into}?`, detail, action: ACCEPT }))) return cancelled;
      }
      const outcome = await orRefusal(() => controller.accept(ticket, (warnings) => (args.confirmed ? Promise.resolve(true) : confirmOverlaps(controller.prompts, warnings))));
      if (outcome.kind === 'refused') showRefusal(outcome);
      else if (outcome.kind !== 'cancelled') {
        const merged = outcome.kind === 'merged' ? `merged into ${outcome.into} (commit ${outcome.commit.slice(0, 12)})` : `already part of ${outcome.into}`;
        if (outcome.followUpProblems.length === 0) void vscode.window.showInformationMessage(`Flotilla: accepted ${ticket.ticketId} — ${merged}, marked done, its branch removed.`);
        else void vscode.window.showWarningMessage(`Flotilla: accepted ${ticket.ticketId} — ${merged}, but ${outcome.followUpProblems.join('; ')}.`, 'Open Log').then((choice) => choice && showLog());
      }
      return outcome;
    },

    rejectTicket: async (arg) => {
      if (!requireTrust(TRUST_ACTION)) return undefined;
      const args = parseReviewArgs(arg);
      const target = await decisionTarget(controller, args, `Flotilla: ${REJECT} — which ticket?`);
      if (!target) return undefined;
      const { ticket } = target;
      // Rejecting deletes the work (only its transcript and costs stay), so it is always confirmed.
      if (!args.confirmed) {
        const detail = `Deletes its worktree and branch ${ticket.branch}; the transcript, the review and the costs are kept, and the ticket is open again.`;
        if (!(await controller.prompts.confirm({ message: `${REJECT} ${named(ticket)}?`, detail, action: REJECT }))) return cancelled;
      }
      const outcome = await orRefusal(async () => {
        await controller.reject(ticket);
        return { kind: 'rejected' } as const;
      });
      if (outcome.kind === 'refused') showRefusal(outcome);
      else void vscode.window.showInformationMessage(`Flotilla: rejected ${ticket.ticketId} — its branch is deleted and the ticket is open again.`);
      return outcome;
    },

    requestChanges: async (arg) => {
      if (!requireTrust(TRUST_ACTION)) return undefined;
      const args = parseReviewArgs(arg);
      const target = await decisionTarget(controller, args, 'Flotilla: Request Changes — which ticket?');
      if (!target) return undefined;
      const { ticket } = target;
      // Asked before the feedback is typed; core checks again when the fix loop starts.
      const notNow = decisionRefusal(ticket, 'requestChanges');
      if (notNow !== undefined) return showRefusal(refusedWith(notNow));
      // The input box names the ticket: typing the feedback is the confirmation, Escape sends nothing.
      const feedback =
        args.feedback ??
        (await vscode.window.showInputBox({
          title: `Flotilla: Request Changes to ${ticket.ticketId} "${ticket.title}"`,
          prompt: `What should the agent change? Its fix loop gets this text with the current diff of ${ticket.branch}.`,
          ignoreFocusOut: true,
          validateInput: (text) => (text.trim() ? undefined : 'Say what to change.'),
        }));
      if (!feedback?.trim()) return cancelled;
      void vscode.window.showInformationMessage(`Flotilla: sent your feedback on ${ticket.ticketId} to its agent; the fix loop is running.`);
      const outcome = await orRefusal(async () => ({ kind: 'requested', report: await controller.requestChanges(ticket, feedback.trim()) }) as const);
      if (outcome.kind === 'refused') showRefusal(outcome);
      else void announceChangeRequest(controller, ticket, outcome.report);
      return outcome;
    },

    showGateOutput: async (arg) => {
      const ticket = await resolveTicket(controller, parseReviewArgs(arg), { preferCurrent: true, title: 'Flotilla: Show Gate Output' });
      return ticket ? (await controller.showGateOutput(ticket)).toString() : undefined;
    },

    acceptFile: async (arg) => {
      if (!requireTrust(TRUST_ACTION)) return undefined;
      const args = parseReviewArgs(arg);
      const target = await decisionTarget(controller, args, 'Flotilla: Accept File — of which ticket?');
      const file = target && (await resolveFile(controller, target.ticket, args));
      if (!target || !file) return undefined;
      const { ticket } = target;
      if (target.mustConfirm) {
        const into = await controller.targetBranch(ticket);
        const detail = `Commits ${ticket.ticketId}'s change to ${file.path} on ${into}; the rest of the ticket stays under review.`;
        if (!(await controller.prompts.confirm({ message: `Accept ${file.path} from ${named(ticket)} into ${into}?`, detail, action: 'Accept File' }))) return cancelled;
      }
      const outcome = await orRefusal(() => controller.acceptFile(ticket, file));
      if (outcome.kind === 'refused') showRefusal(outcome);
      else void vscode.window.showInformationMessage(outcome.kind === 'committed' ? `Flotilla: accepted ${file.path} from ${ticket.ticketId} — committed on ${outcome.into}.` : `Flotilla: ${file.path} already matches ${ticket.ticketId}.`);
      return outcome;
    },

    rejectFile: async (arg) => {
      if (!requireTrust(TRUST_ACTION)) return undefined;
      const args = parseReviewArgs(arg);
      const target = await decisionTarget(controller, args, 'Flotilla: Reject File — of which ticket?');
      const file = target && (await resolveFile(controller, target.ticket, args));
      if (!target || !file) return undefined;
      const { ticket } = target;
      if (target.mustConfirm) {
        const detail = `Takes ${file.path} back to the base version on branch ${ticket.branch} (a commit in its worktree); the rest of the ticket stays under review.`;
        if (!(await controller.prompts.confirm({ message: `Reject ${file.path} of ${named(ticket)}?`, detail, action: 'Reject File' }))) return cancelled;
      }
      const outcome = await orRefusal(async () => ({ kind: 'rejected', commit: await controller.rejectFile(ticket, file) }) as const);
      if (outcome.kind === 'refused') showRefusal(outcome);
      else void vscode.window.showInformationMessage(`Flotilla: rejected ${file.path} — it is no longer part of ${ticket.ticketId}.`);
      return outcome;
    },
  };
}

const REVIEW_AGAIN = 'Review Changes';

/** The fix loop has finished: how it ended and which files it changed, with the way back to the review. */
async function announceChangeRequest(controller: ReviewController, ticket: ReviewableTicket, report: ChangeRequestReport): Promise<void> {
  const show = report.passed ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  const choice = await show(`Flotilla: ${report.text}`, report.passed ? REVIEW_AGAIN : 'Open Log');
  if (choice === REVIEW_AGAIN) await controller.open(ticket);
  else if (choice) showLog();
}

function showRefusal(outcome: RefusedOutcome): RefusedOutcome {
  void vscode.window.showErrorMessage(`Flotilla: ${outcome.message}`, 'Open Log').then((choice) => {
    if (choice) showLog();
  });
  return outcome;
}

function refusedWith(message: string): RefusedOutcome {
  return { kind: 'refused', message, files: [] };
}

/**
 * Core's refusals of a decision — it does not apply to the ticket as it stands (decided meanwhile,
 * built on a dependency not accepted), or another decision holds the batch — are answers shown in
 * one line, not failures of the command.
 */
async function orRefusal<T>(decide: () => Promise<T>): Promise<T | RefusedOutcome> {
  try {
    return await decide();
  } catch (error) {
    if (DecisionNotAllowedError.is(error)) return refusedWith(error.message);
    if (DecisionInProgressError.is(error)) return refusedWith(`${error.message} ${error.nextStep}`);
    throw error;
  }
}

function confirmOverlaps(prompts: ReviewPrompts, warnings: readonly OverlapWarning[]): Promise<boolean> {
  return prompts.confirm({
    message: 'This ticket merges cleanly into your branch, but conflicts with other accepted tickets not on it. Merge anyway?',
    detail: describeOverlaps(warnings),
    action: 'Merge Anyway',
  });
}
