import type * as vscode from 'vscode';
import { z } from 'zod';

const KEY = 'flotilla.modelPicks.v1';
/** A tier or a model id, as a ticket's `model:` field takes them. */
const storedPicks = z.record(z.string(), z.string().min(1));

export const PICK_TIERS = ['fast', 'balanced', 'strong'] as const;

/**
 * "Set Model" picks per ticket, kept in workspace state (a user's choice for this workspace, not a
 * change to the ticket file). Passed to the batch as BatchRequest.picks and shown in the tree.
 */
export class ModelPicks {
  private readonly picks: Map<string, string>;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly state: Pick<vscode.Memento, 'get' | 'update'>,
    warn: (message: string) => void = () => undefined,
  ) {
    const parsed = storedPicks.safeParse(state.get(KEY, {}));
    if (!parsed.success) warn(`Stored model picks were unreadable and have been reset: ${parsed.error.message}`);
    this.picks = new Map(parsed.success ? Object.entries(parsed.data) : []);
  }

  get(ticketId: string): string | undefined {
    return this.picks.get(ticketId);
  }

  /** Sets a pick, or clears it with undefined / 'auto'. */
  async set(ticketId: string, pick: string | undefined): Promise<void> {
    const value = pick?.trim();
    if (!value || value === 'auto') this.picks.delete(ticketId);
    else this.picks.set(ticketId, value);
    await this.state.update(KEY, Object.fromEntries(this.picks));
    for (const listener of this.listeners) listener();
  }

  /** The picks of these tickets, for BatchRequest.picks. */
  for(ticketIds: readonly string[]): Record<string, string> {
    return Object.fromEntries(ticketIds.flatMap((id) => (this.picks.has(id) ? [[id, this.picks.get(id) as string]] : [])));
  }

  onDidChange(listener: () => void): vscode.Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
