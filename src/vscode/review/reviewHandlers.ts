import * as vscode from 'vscode';
import type { CommandHandlers } from '../commands';
import { showLog } from '../log';
import { requireTrust } from '../workspaceTrust';
import { describeOverlaps, type OverlapWarning } from '../../core/session/acceptTicket';
import type { RefusedOutcome } from '../../core/session/ticketDecisions';
import type { ReviewController } from './reviewController';
import { parseReviewArgs, resolveFile, resolveTicket } from './reviewTargets';

type ReviewCommand = 'reviewTicket' | 'acceptTicket' | 'rejectTicket' | 'requestChanges' | 'showGateOutput' | 'acceptFile' | 'rejectFile';

/** Every review step runs git in the user's repository (hooks, fsmonitor): not in Restricted Mode. */
const TRUST_ACTION = 'review or merge tickets';

/**
 * The review commands. Each returns what it did (the integration suites read it) and shows the
 * refusals itself — a conflict is an answer, not a failure of the command.
 */
export function reviewHandlers(controller: ReviewController): Pick<CommandHandlers, ReviewCommand> {
  return {
    reviewTicket: async (arg) => {
      if (!requireTrust(TRUST_ACTION)) return undefined;
      const ticket = await resolveTicket(controller, parseReviewArgs(arg), { preferCurrent: false });
      if (!ticket) return undefined;
      const session = await controller.open(ticket);
      if (session.files.length === 0) void vscode.window.showInformationMessage(`Flotilla: ${ticket.ticketId} changes no file compared with its base commit.`);
      return { batchId: ticket.batchId, ticketId: ticket.ticketId, files: session.files.map((f) => f.path), threads: controller.threads().length };
    },

    acceptTicket: async (arg) => {
      if (!requireTrust(TRUST_ACTION)) return undefined;
      const args = parseReviewArgs(arg);
      const ticket = await resolveTicket(controller, args, { preferCurrent: true });
      if (!ticket) return undefined;
      const outcome = await controller.accept(ticket, (warnings) => (args.confirmed ? Promise.resolve(true) : confirmOverlaps(warnings)));
      if (outcome.kind === 'refused') showRefusal(outcome);
      else if (outcome.kind === 'merged') void vscode.window.showInformationMessage(`Flotilla: merged ${ticket.ticketId} into ${outcome.into}.`);
      else if (outcome.kind === 'alreadyMerged') void vscode.window.showInformationMessage(`Flotilla: ${ticket.ticketId} is already part of ${outcome.into}.`);
      return outcome;
    },

    rejectTicket: async (arg) => {
      if (!requireTrust(TRUST_ACTION)) return undefined;
      const args = parseReviewArgs(arg);
      const ticket = await resolveTicket(controller, args, { preferCurrent: true });
      if (!ticket) return undefined;
      if (!args.confirmed && !(await confirm(`Reject ${ticket.ticketId}? Its worktree and branch ${ticket.branch} are deleted; the transcript and costs are kept.`, 'Reject'))) {
        return { kind: 'cancelled' };
      }
      await controller.reject(ticket);
      return { kind: 'rejected' };
    },

    requestChanges: async (arg) => {
      if (!requireTrust(TRUST_ACTION)) return undefined;
      const args = parseReviewArgs(arg);
      const ticket = await resolveTicket(controller, args, { preferCurrent: true });
      if (!ticket) return undefined;
      const feedback =
        args.feedback ??
        (await vscode.window.showInputBox({
          title: `Flotilla: Request Changes to ${ticket.ticketId}`,
          prompt: 'What should the agent change? The fix loop gets this text with the current diff.',
          ignoreFocusOut: true,
          validateInput: (text) => (text.trim() ? undefined : 'Say what to change.'),
        }));
      if (!feedback?.trim()) return { kind: 'cancelled' };
      await controller.requestChanges(ticket, feedback.trim());
      return { kind: 'requested' };
    },

    showGateOutput: async (arg) => {
      const ticket = await resolveTicket(controller, parseReviewArgs(arg), { preferCurrent: true });
      return ticket ? (await controller.showGateOutput(ticket)).toString() : undefined;
    },

    acceptFile: async (arg) => {
      if (!requireTrust(TRUST_ACTION)) return undefined;
      const args = parseReviewArgs(arg);
      const ticket = await resolveTicket(controller, args, { preferCurrent: true });
      const file = ticket && (await resolveFile(controller, ticket, args));
      if (!ticket || !file) return undefined;
      const outcome = await controller.acceptFile(ticket, file);
      if (outcome.kind === 'refused') showRefusal(outcome);
      else void vscode.window.showInformationMessage(outcome.kind === 'committed' ? `Flotilla: ${file.path} from ${ticket.ticketId} committed on ${outcome.into}.` : `Flotilla: ${file.path} already matches ${ticket.ticketId}.`);
      return outcome;
    },

    rejectFile: async (arg) => {
      if (!requireTrust(TRUST_ACTION)) return undefined;
      const args = parseReviewArgs(arg);
      const ticket = await resolveTicket(controller, args, { preferCurrent: true });
      const file = ticket && (await resolveFile(controller, ticket, args));
      if (!ticket || !file) return undefined;
      const commit = await controller.rejectFile(ticket, file);
      return { kind: 'rejected', commit };
    },
  };
}

function showRefusal(outcome: RefusedOutcome): void {
  void vscode.window.showErrorMessage(`Flotilla: ${outcome.message}`, 'Open Log').then((choice) => {
    if (choice) showLog();
  });
}

async function confirm(message: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true }, action)) === action;
}

function confirmOverlaps(warnings: readonly OverlapWarning[]): Promise<boolean> {
  return confirm(`This ticket merges cleanly into your branch, but conflicts with other accepted tickets not on it: ${describeOverlaps(warnings)}. Merge anyway?`, 'Merge Anyway');
}
