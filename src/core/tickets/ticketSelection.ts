/**
 * The tickets ticked for the next batch. Ids of tickets that disappear stay selected, so a ticket
 * that is briefly invalid while being edited is still ticked once it parses again.
 */
export class TicketSelection {
  private readonly ids: Set<string>;

  constructor(initial: Iterable<string> = []) {
    this.ids = new Set(initial);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  set(ids: Iterable<string>, selected: boolean): boolean {
    let changed = false;
    for (const id of ids) {
      if (selected === this.ids.has(id)) continue;
      if (selected) this.ids.add(id);
      else this.ids.delete(id);
      changed = true;
    }
    return changed;
  }

  clear(): boolean {
    const changed = this.ids.size > 0;
    this.ids.clear();
    return changed;
  }

  /** All selected ids, sorted, for storage. */
  toArray(): string[] {
    return [...this.ids].sort();
  }

  /** Selected ids among the tickets that exist now, in the given order. */
  among(existingIds: readonly string[]): string[] {
    return existingIds.filter((id) => this.ids.has(id));
  }
}
