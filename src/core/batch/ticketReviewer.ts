import type { DiffWithCounts } from '../git/diff';
import type { GateResult } from '../review/gateTypes';
import type { Ticket } from '../tickets/ticketSchema';

/** What the batch needs to know from a review of one ticket's result. */
export interface ReviewVerdict {
  readonly passed: boolean;
  /** minimal | standard | thorough | comprehensive, or 'none' when no review ran. */
  readonly level: string;
  /** One line: which gate or reviewer failed and why, or what passed. */
  readonly summary: string;
  /** The findings as text for the fix loop; empty when it passed. */
  readonly feedback: string;
  readonly findings: number;
  /** The command gates that ran, for the ticket's terminal and the batch events; absent when none ran. */
  readonly gates?: readonly GateResult[];
}

export interface ReviewInput {
  readonly ticket: Ticket;
  readonly worktree: string;
  readonly baseCommit: string;
  readonly branch: string;
  readonly attempt: number;
  /** The model whose work is reviewed (shown with the attempt in the stored gate history). */
  readonly model?: string;
  /**
   * baseCommit..HEAD of the worktree as the worker read it right after its commit (nothing commits
   * between that and the review); the reviewer reads it from git when absent.
   */
  readonly changes?: DiffWithCounts;
  readonly signal?: AbortSignal;
}

/** Gates and model reviews for one finished attempt (src/core/review supplies the real one). */
export type TicketReviewer = (input: ReviewInput) => Promise<ReviewVerdict>;
