import type { CacheUsage } from './promptCache';
import type { BilledRequest, BilledUsage } from './simulatorTypes';

interface Reported {
  requestId: string;
  model: string;
  cache: CacheUsage;
  outputTokens: number;
  answered: boolean;
}

/**
 * Usage exactly as the simulator put it on the wire. A stream's entry is opened when message_start
 * is written and its output count raised when message_delta is written, so a stream cut in
 * between stays billed at what the client could have seen.
 */
export class BillingLog {
  private readonly entries: Reported[] = [];

  /** `onAnswered`: told each time an answer has been written whole (tests time a kill by it). */
  constructor(private readonly onAnswered?: (request: BilledRequest) => void) {}

  /**
   * Record a reported usage; the returned handle lets a stream raise its output tokens later and
   * says when the answer has been written whole.
   */
  report(requestId: string, model: string, cache: CacheUsage, outputTokens: number): { setOutputTokens(n: number): void; answered(): void } {
    const entry: Reported = { requestId, model, cache: { ...cache }, outputTokens, answered: false };
    this.entries.push(entry);
    return {
      setOutputTokens(n: number): void {
        entry.outputTokens = n;
      },
      answered: () => {
        entry.answered = true;
        this.onAnswered?.(billedRequest(entry));
      },
    };
  }

  /** Every billed request, in the order their answers started. */
  requests(): BilledRequest[] {
    return this.entries.map(billedRequest);
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

function billedRequest(e: Reported): BilledRequest {
  return { requestId: e.requestId, model: e.model, ...e.cache, outputTokens: e.outputTokens, answered: e.answered };
}
