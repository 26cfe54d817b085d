import type { BatchModeChoice } from '../vocabulary/batchStates';
import { priceFor } from '../llm/pricing';
import { TIERS } from '../llm/usageRecord';
import type { RouteDecision } from '../routing/routeTicket';
import type { Settings } from '../settings/settingsSchema';
import type { GitHubTarget } from '../tickets/github/githubRepository';
import type { Ticket } from '../tickets/ticketSchema';
import type { WorkerEngineChoice } from '../worker/workerEngine';

/** What a batch runs, as either front end chose it (the CLI's flags, the editor's ticked tickets). */
export interface BatchSelection {
  /** A folder inside the git repository the tickets change. */
  readonly repo: string;
  readonly tickets: readonly Ticket[];
  readonly settings: Settings;
  readonly mode: BatchModeChoice;
  /** A tier for every ticket, or 'auto'. */
  readonly tier: string;
  /** Per-ticket picks made in the UI ("Set Model"). */
  readonly picks?: Readonly<Record<string, string>>;
  /** The routing the user confirmed, so the run uses what was shown. */
  readonly decisions?: ReadonlyMap<string, RouteDecision>;
  /** A hard limit for this batch (`--budget-usd`); null: the setting `flotilla.budget.batchUsd`. */
  readonly budgetUsd: number | null;
  /** `--engine`, else `flotilla.worker.engine`. */
  readonly engine: WorkerEngineChoice;
  /** Where the tickets' GitHub issues came from (the batch records it, never the token); absent for ticket files. */
  readonly github?: GitHubTarget;
}

/** A ticket's `model:` names neither a tier nor a model with a price: nothing was started. */
export class UnknownModelError extends Error {
  override readonly name = 'UnknownModelError';
  constructor(
    readonly ticketId: string,
    readonly model: string,
  ) {
    super(`${ticketId}: model "${model}" is neither a tier (auto, fast, balanced, strong) nor a known model id; use a tier, or add the model's price to flotilla.llm.pricing`);
  }
}

/** Every ticket's `model:` must be a tier or a priced model id, or its cost could not be held to a budget. */
export function checkTicketModels(tickets: readonly Ticket[], settings: Settings): void {
  for (const ticket of tickets) {
    const model = ticket.model;
    if (model !== 'auto' && !(TIERS as readonly string[]).includes(model) && !priceFor(model, settings['llm.pricing'])) throw new UnknownModelError(ticket.id, model);
  }
}

/** The settings a batch runs with: the selection's budget replaces the setting's. */
export function settingsForBatch(selection: Pick<BatchSelection, 'settings' | 'budgetUsd'>): Settings {
  return selection.budgetUsd === null ? selection.settings : { ...selection.settings, 'budget.batchUsd': selection.budgetUsd };
}
