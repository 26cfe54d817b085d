import type { BudgetExceededError } from '../store/budget';
import type { LlmError } from './llmErrors';
import type { Stage, Tier, UsageRecord, WorkerEngineName } from './usageRecord';
import { formatUsd } from '../vocabulary/amounts';
import { formatUsdLimit } from '../usdAmount';

/** Who the requests of one worker run are for; every usage record of the run carries these. */
export interface ProxyRunTags {
  readonly workspace: string;
  readonly batchId: string;
  readonly ticketId: string | null;
  readonly stage: Stage;
  readonly tier: Tier | null;
  readonly engine: WorkerEngineName;
}

/** The worker settings a run may not pass (`flotilla.worker.maxCostUsd`, `maxOutputTokens`). */
export interface ProxyRunLimits {
  readonly maxCostUsd: number;
  readonly maxOutputTokens: number;
}

/** Why the proxy refused a run's requests from some point on. */
export type ProxyRunStop =
  | { readonly kind: 'budget'; readonly error: BudgetExceededError }
  | { readonly kind: 'run-limit'; readonly reason: string };

/**
 * One worker run behind the metering proxy (one Claude Code process): its own URL prefix, its tags,
 * what it has spent so far, and why the proxy stopped it, if it did. Closed runs are refused.
 */
export class ProxyRun {
  readonly records: UsageRecord[] = [];
  /** null once a call had no known price. */
  costUsd: number | null = 0;
  outputTokens = 0;
  stop: ProxyRunStop | undefined;
  /** The last attempt's failure (cleared by a success): what to report when the run gives up on the API. */
  lastFailure: LlmError | undefined;
  closed = false;

  constructor(
    readonly id: string,
    readonly baseURL: string,
    readonly tags: ProxyRunTags,
    readonly limits: ProxyRunLimits,
    private readonly onRecord?: (record: UsageRecord, run: ProxyRun) => void,
  ) {}

  /** The per-run cap that a new request would break, or undefined. */
  limitReached(): string | undefined {
    if (this.costUsd !== null && this.costUsd >= this.limits.maxCostUsd) {
      return `cost limit reached (${formatUsd(this.costUsd)} ≥ ${formatUsdLimit(this.limits.maxCostUsd)})`;
    }
    if (this.outputTokens >= this.limits.maxOutputTokens) {
      return `output token limit reached (${this.outputTokens} ≥ ${this.limits.maxOutputTokens})`;
    }
    return undefined;
  }

  /** Called once the record is in the ledger. */
  add(record: UsageRecord, failure: LlmError | undefined): void {
    this.records.push(record);
    this.costUsd = this.costUsd === null || record.costUsd === null ? null : this.costUsd + record.costUsd;
    this.outputTokens += record.outputTokens;
    this.lastFailure = failure;
    this.onRecord?.(record, this);
  }

  close(): void {
    this.closed = true;
  }
}
