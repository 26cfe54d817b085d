import type { CacheUsage } from './promptCache';
import type { BilledUsage } from './simulatorTypes';

interface Reported {
  model: string;
  cache: CacheUsage;
  outputTokens: number;
}

/**
 * Usage exactly as the simulator put it on the wire. A stream's entry is opened when message_start
 * is written and its output count raised when message_delta is written, so a stream cut in
 * between stays billed at what the client could have seen.
 */
export class BillingLog {
  private readonly entries: Reported[] = [];

  /** Record a reported usage; the returned handle lets a stream raise its output tokens later. */
  report(model: string, cache: CacheUsage, outputTokens: number): { setOutputTokens(n: number): void } {
    const entry: Reported = { model, cache: { ...cache }, outputTokens };
    this.entries.push(entry);
    return {
      setOutputTokens(n: number): void {
        entry.outputTokens = n;
      },
    };
  }

  billed(model?: string): BilledUsage {
    const total: BilledUsage = {
      requests: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      cacheReadTokens: 0,
    };
    for (const e of this.entries) {
      if (model !== undefined && e.model !== model) continue;
      total.requests += 1;
      total.inputTokens += e.cache.inputTokens;
      total.outputTokens += e.outputTokens;
      total.cacheWrite5mTokens += e.cache.cacheWrite5mTokens;
      total.cacheWrite1hTokens += e.cache.cacheWrite1hTokens;
      total.cacheReadTokens += e.cache.cacheReadTokens;
    }
    return total;
  }
}
