import { z } from 'zod';
import type { BatchStateStore } from '../store/batchStateStore';

export type Decision = 'accepted' | 'rejected';

const decisionSchema = z.enum(['accepted', 'rejected']);
const ticketDecisionSchema = z.object({
  /** The whole ticket's decision; absent while only files were decided. */
  ticket: decisionSchema.optional(),
  at: z.string(),
  /** The branch an accepted ticket was merged into (written since the CLI can accept). */
  into: z.string().optional(),
  files: z.record(z.string(), decisionSchema).default({}),
});
export type TicketDecision = z.infer<typeof ticketDecisionSchema>;

/** Review decisions live in state.json `extra.reviewDecisions` (the store keeps unknown extra keys). */
const EXTRA_KEY = 'reviewDecisions';

/** The decisions recorded for a batch; a malformed entry is ignored rather than failing the review. */
export function decisionsOf(extra: Readonly<Record<string, unknown>>): Record<string, TicketDecision> {
  const raw = z.record(z.string(), z.unknown()).safeParse(extra[EXTRA_KEY]);
  if (!raw.success) return {};
  const result: Record<string, TicketDecision> = {};
  for (const [id, value] of Object.entries(raw.data)) {
    const parsed = ticketDecisionSchema.safeParse(value);
    if (parsed.success) result[id] = parsed.data;
  }
  return result;
}

export interface DecisionChange {
  readonly ticket?: Decision;
  readonly into?: string;
  readonly file?: { readonly path: string; readonly decision: Decision };
}

/** Records a decision atomically through the store, so it survives a reload and the next review sees it. */
export async function recordDecision(store: BatchStateStore, batchId: string, ticketId: string, change: DecisionChange, now: () => Date = () => new Date()): Promise<void> {
  await store.update(batchId, (state) => {
    const all = decisionsOf(state.extra);
    const previous = all[ticketId];
    const files = { ...(previous?.files ?? {}), ...(change.file ? { [change.file.path]: change.file.decision } : {}) };
    const ticket = change.ticket ?? previous?.ticket;
    const into = change.into ?? previous?.into;
    const next: TicketDecision = { ...(ticket ? { ticket } : {}), ...(into ? { into } : {}), at: now().toISOString(), files };
    return { ...state, extra: { ...state.extra, [EXTRA_KEY]: { ...all, [ticketId]: next } } };
  });
}
