import { z } from 'zod';
import { COMPLEXITY_CLASSES } from '../routing/complexityScore';
import type { RouteDecision } from '../routing/routeTicket';
import type { Ticket } from '../tickets/ticketSchema';

/** One ticket's part of the shared plan, as the planning model must return it. */
export const ticketPlanSchema = z.object({
  id: z.string().min(1),
  class: z.enum(COMPLEXITY_CLASSES),
  likelyFiles: z.array(z.string().min(1)).max(50),
  steps: z.array(z.string().min(1)).min(1).max(20),
  acceptanceChecks: z.array(z.string().min(1)).max(20),
});

export const batchPlanSchema = z.object({
  summary: z.string().min(1),
  tickets: z.array(ticketPlanSchema).min(1),
});

export type TicketPlan = z.infer<typeof ticketPlanSchema>;
export type BatchPlan = z.infer<typeof batchPlanSchema> & { readonly source: 'model' | 'heuristic' | 'direct' };

/** The plan Flotilla can make without a model: the router's class and the ticket's own hints. */
export function heuristicTicketPlan(ticket: Ticket, decision: RouteDecision): TicketPlan {
  return {
    id: ticket.id,
    class: decision.complexityClass,
    likelyFiles: [...ticket.files],
    steps: [
      ticket.files.length ? `Read ${ticket.files.join(', ')} and the code around the change` : 'Find the code the ticket is about with search_text and list_dir',
      'Make the smallest change that satisfies the ticket',
      'Check it against the acceptance checks',
    ],
    acceptanceChecks: ticket.acceptance.length ? [...ticket.acceptance] : [`${ticket.title} — done as described`],
  };
}

export function heuristicPlan(tickets: readonly Ticket[], decisions: ReadonlyMap<string, RouteDecision>, source: 'heuristic' | 'direct'): BatchPlan {
  const summary = source === 'direct' ? 'Direct mode: no shared planning call; each worker plans its own ticket.' : 'Heuristic plan (the planning call gave no usable plan).';
  return { summary, source, tickets: tickets.map((t) => heuristicTicketPlan(t, decisions.get(t.id) as RouteDecision)) };
}

/** The plan as the text every worker reads in its shared, cached context. */
export function renderBatchPlan(plan: BatchPlan, tickets: readonly Ticket[]): string {
  const byId = new Map(plan.tickets.map((p) => [p.id, p]));
  const lines = [plan.summary, '', 'Tickets in this batch:'];
  for (const ticket of tickets) {
    const part = byId.get(ticket.id);
    lines.push(`- ${ticket.id}: ${ticket.title}${ticket.dependsOn.length ? ` (after ${ticket.dependsOn.join(', ')})` : ''}`);
    if (part?.likelyFiles.length) lines.push(`  files: ${part.likelyFiles.join(', ')}`);
  }
  return lines.join('\n');
}

/** One ticket's steps and checks, for its own (uncached) ticket block. */
export function renderTicketPlanNotes(plan: TicketPlan | undefined): string | undefined {
  if (!plan) return undefined;
  return [...plan.steps.map((s, i) => `${i + 1}. ${s}`), ...plan.acceptanceChecks.map((c) => `check: ${c}`)].join('\n');
}
