import type { TokenUsage } from '../llm/cost';
import type { Stage, UsageRecord } from '../llm/usageRecord';

export interface UsageTotals extends TokenUsage {
  /** null once any counted record had no known price. */
  costUsd: number | null;
  calls: number;
}

export function emptyTotals(): UsageTotals {
  return { inputTokens: 0, outputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0, costUsd: 0, calls: 0 };
}

export function totalTokens(t: TokenUsage): number {
  return t.inputTokens + t.outputTokens + t.cacheWrite5mTokens + t.cacheWrite1hTokens + t.cacheReadTokens;
}

/** Share of prompt tokens served from the API's cache. */
export function cacheReadShare(t: TokenUsage): number {
  const prompt = t.inputTokens + t.cacheWrite5mTokens + t.cacheWrite1hTokens + t.cacheReadTokens;
  return prompt === 0 ? 0 : t.cacheReadTokens / prompt;
}

function add(into: UsageTotals, r: UsageRecord): void {
  into.inputTokens += r.inputTokens;
  into.outputTokens += r.outputTokens;
  into.cacheWrite5mTokens += r.cacheWrite5mTokens;
  into.cacheWrite1hTokens += r.cacheWrite1hTokens;
  into.cacheReadTokens += r.cacheReadTokens;
  into.costUsd = into.costUsd === null || r.costUsd === null ? null : into.costUsd + r.costUsd;
  into.calls += 1;
}

/**
 * Every usage record of a batch, as the model client writes them to the ledger. Costs shown for a
 * ticket or the batch are sums of these records, so they always agree with the ledger.
 */
export class UsageTally {
  private readonly records: UsageRecord[] = [];
  private readonly listeners = new Set<(record: UsageRecord) => void>();

  add(record: UsageRecord): void {
    this.records.push(record);
    for (const listener of this.listeners) listener(record);
  }

  onRecord(listener: (record: UsageRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  totals(filter: { batchId?: string; ticketId?: string | null; stage?: Stage } = {}): UsageTotals {
    const totals = emptyTotals();
    for (const r of this.records) {
      if (filter.batchId !== undefined && r.batchId !== filter.batchId) continue;
      if (filter.ticketId !== undefined && r.ticketId !== filter.ticketId) continue;
      if (filter.stage !== undefined && r.stage !== filter.stage) continue;
      add(totals, r);
    }
    return totals;
  }

  all(batchId?: string): readonly UsageRecord[] {
    return batchId === undefined ? this.records : this.records.filter((r) => r.batchId === batchId);
  }
}
