import { z } from 'zod';
import { ticketIdSchema } from '../tickets/ticketSchema';

/** A ticket without a priority sits in the middle of the 1 (highest) .. 5 scale. */
export const DEFAULT_TICKET_PRIORITY = 3;

/**
 * A ticket without an estimate counts as one unit of work, so critical paths still favour
 * long dependency chains when nothing better is known.
 */
export const DEFAULT_ESTIMATED_DURATION = 1;

/** What the scheduler needs to know about one ticket; the planner or the ticket file supplies it. */
export const dagNodeInputSchema = z.object({
  id: ticketIdSchema,
  dependsOn: z.array(ticketIdSchema).default([]),
  predictedFiles: z.array(z.string().trim().min(1)).default([]),
  estimatedDuration: z.number().finite().nonnegative().optional(),
  priority: z.number().int().min(1).max(5).optional(),
});

export type DagNodeInput = z.input<typeof dagNodeInputSchema>;

/** Why one ticket waits for another. */
export type DagEdgeKind = 'dependsOn' | 'fileOverlap';

/** `before` must be finished (or, for a file overlap, at least settled) before `after` starts. */
export interface DagEdge {
  readonly before: string;
  readonly after: string;
  readonly kind: DagEdgeKind;
  /** The shared file that made a file-overlap edge. */
  readonly file?: string;
}

export interface DagNode {
  readonly id: string;
  readonly priority: number;
  readonly estimatedDuration: number;
  readonly predictedFiles: readonly string[];
  /** Explicit prerequisites: if one fails, this ticket is blocked. */
  readonly dependsOn: readonly string[];
  /** Tickets predicted to touch the same files that go first; their failure does not block this one. */
  readonly runsAfter: readonly string[];
  /** Tickets that list this one in `dependsOn`. */
  readonly dependents: readonly string[];
  /** Tickets that wait for this one because of a shared file. */
  readonly runsBefore: readonly string[];
  /** Estimated duration of the longest path from this ticket to a sink, this ticket included. */
  readonly criticalPath: number;
}

export interface Dag {
  readonly nodes: ReadonlyMap<string, DagNode>;
  /** Every id once, each after all the tickets it waits for (ties broken by id). */
  readonly order: readonly string[];
  /** Edges added for predicted file overlap, in the order they were added. */
  readonly overlapEdges: readonly DagEdge[];
}
