import type { TicketDecision } from '../store/batchExtra';
import type { TicketLifecycle } from '../vocabulary/ticketStates';

/** The decisions a person can make on a finished ticket: the review's actions, the CLI's commands. */
export const DECISION_KINDS = ['accept', 'reject', 'acceptFile', 'rejectFile', 'requestChanges', 'openPullRequest'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** How a decision is named to a person ("accept D1", "request changes on D1"). */
export const DECISION_LABELS: Readonly<Record<DecisionKind, string>> = {
  accept: 'accept',
  reject: 'reject',
  acceptFile: 'accept a file of',
  rejectFile: 'reject a file of',
  requestChanges: 'request changes on',
  openPullRequest: 'open a pull request for',
};

/** Where a finished ticket stands as far as decisions go: the part of its lifecycle they change. */
export type DecisionState = Extract<TicketLifecycle, 'awaitingReview' | 'accepted' | 'rejected'>;

/**
 * Which decision applies in which state — the one table core, the CLI and the editor follow
 * (ARCHITECTURE.md idea 10). A ticket awaiting review takes every decision; accepting or rejecting it
 * is final: its merge stays (a later "reject" would leave it on the branch while saying rejected) or
 * its branch is gone. A new batch runs it again.
 */
export const ALLOWED_DECISIONS: Readonly<Record<DecisionState, readonly DecisionKind[]>> = {
  awaitingReview: DECISION_KINDS,
  accepted: [],
  rejected: [],
};

export interface DecidedTicket {
  readonly ticketId: string;
  readonly batchId: string;
  readonly decision: TicketDecision | undefined;
}

/** A decision that does not apply to the ticket as it stands, refused before anything was changed. */
export class DecisionNotAllowedError extends Error {
  override readonly name = 'DecisionNotAllowedError';

  constructor(
    readonly ticketId: string,
    readonly batchId: string,
    readonly decision: DecisionKind,
    message: string,
  ) {
    super(message);
  }

  static is(error: unknown): error is DecisionNotAllowedError {
    return error instanceof Error && error.name === 'DecisionNotAllowedError';
  }
}

export function decisionState(ticket: Pick<DecidedTicket, 'decision'>): DecisionState {
  return ticket.decision?.ticket ?? 'awaitingReview';
}

/** Why `kind` does not apply to the ticket now (one line with the next step), or undefined when it does. */
export function decisionRefusal(ticket: DecidedTicket, kind: DecisionKind): string | undefined {
  const state = decisionState(ticket);
  if (ALLOWED_DECISIONS[state].includes(kind)) return undefined;
  const label = `${ticket.ticketId} (batch ${ticket.batchId})`;
  if (state === 'rejected') return kind === 'reject' ? `${label} was already rejected; its branch is gone.` : `${label} was rejected: its branch is gone. Run it again in a new batch.`;
  const commit = ticket.decision?.commit;
  const merged = `${label} was already accepted into ${ticket.decision?.into ?? 'your branch'}${commit === undefined ? '' : ` (commit ${commit.slice(0, 12)})`}`;
  switch (kind) {
    case 'accept':
      return `${merged}; there is nothing left to merge.`;
    case 'reject':
      return `${merged}; rejecting it now would not take that merge back. Revert the commit yourself if you no longer want the change.`;
    case 'acceptFile':
    case 'rejectFile':
      return `${merged}; its files can no longer be decided one by one.`;
    case 'requestChanges':
      return `${merged}; run it again in a new batch instead.`;
    case 'openPullRequest':
      return `${merged}; its change is on that branch already: push the branch to share it.`;
  }
}

export function assertDecisionAllowed(ticket: DecidedTicket, kind: DecisionKind): void {
  const refusal = decisionRefusal(ticket, kind);
  if (refusal !== undefined) throw new DecisionNotAllowedError(ticket.ticketId, ticket.batchId, kind, refusal);
}
