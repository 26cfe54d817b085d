import { costOf } from '../llm/cost';
import { priceFor, type PricingOverrides } from '../llm/pricing';
import type { UsageRecord } from '../llm/usageRecord';
import type { SavingsItem } from './panelSnapshot';

export interface SavingsSettings {
  readonly pricing: PricingOverrides;
  /** The strong tier's model id: the "every ticket on the strongest model" baseline. */
  readonly strongModel: string;
}

/** A running sum that turns null for good once one term is unknown. */
class Sum {
  value: number | null = 0;
  missing: string | null = null;

  add(usd: number | null | undefined, missing: string): void {
    if (usd === null || usd === undefined) {
      this.value = null;
      this.missing ??= missing;
    } else if (this.value !== null) {
      this.value += usd;
    }
  }
}

const savedPct = (actual: number | null, baseline: number | null): number | null =>
  actual === null || baseline === null || baseline <= 0 ? null : Math.round(((baseline - actual) / baseline) * 1000) / 10;

function item(kind: SavingsItem['kind'], label: string, actual: number | null, baseline: number | null, basis: SavingsItem['basis'], how: string): SavingsItem {
  return { kind, label, actualUsd: actual, baselineUsd: baseline, savedUsd: actual === null || baseline === null ? null : baseline - actual, savedPct: savedPct(actual, baseline), basis, how };
}

/**
 * The three savings of a batch, from its own usage records re-priced three ways (the same arithmetic
 * as src/core/batch/batchSummary.ts, so the finished numbers agree with the report):
 * - routing: every call at the strong tier's model;
 * - caching: every cache read and cache write billed as plain input at the call's own model;
 * - batching: the single-agent estimate — cache reads as plain input, plus the modelled overhead of
 *   single-agent runs instead of the shared plan (orchestrated mode only).
 */
export class SavingsFold {
  private readonly actual = new Sum();
  private readonly strong = new Sum();
  private readonly noCache = new Sum();
  private readonly uncachedReads = new Sum();

  constructor(private readonly settings: SavingsSettings) {}

  add(record: UsageRecord): void {
    const own = priceFor(record.model, this.settings.pricing);
    const strong = priceFor(this.settings.strongModel, this.settings.pricing);
    this.actual.add(record.costUsd, record.model);
    this.strong.add(strong ? costOf(record, strong) : null, this.settings.strongModel);
    const noCacheUsage = { ...record, inputTokens: record.inputTokens + record.cacheReadTokens + record.cacheWrite5mTokens + record.cacheWrite1hTokens, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 };
    this.noCache.add(own ? costOf(noCacheUsage, own) : null, record.model);
    this.uncachedReads.add(own ? costOf({ ...record, inputTokens: record.inputTokens + record.cacheReadTokens, cacheReadTokens: 0 }, own) : null, record.model);
  }

  /**
   * `overheadDeltaUsd`: single-agent minus orchestrated overhead from the pre-batch estimate (0 in
   * direct mode). `singleAgentUsd`: the batch summary's figure once it exists (it wins).
   */
  items(input: { readonly mode: string; readonly overheadDeltaUsd: number | null; readonly singleAgentUsd?: number | null }): SavingsItem[] {
    const actual = this.actual.value;
    const unknown = (sum: Sum) => {
      const missing = this.actual.missing ?? sum.missing;
      return missing === null ? '' : ` Unknown: no price for ${missing}.`;
    };
    const orchestrated = input.mode === 'orchestrated';
    const singleAgent =
      input.singleAgentUsd !== undefined ? input.singleAgentUsd : this.uncachedReads.value === null || input.overheadDeltaUsd === null ? null : Math.max(0, this.uncachedReads.value + input.overheadDeltaUsd);
    return [
      item('routing', 'vs all-strong (routing)', actual, this.strong.value, 'measured', `This batch's calls, token for token, re-priced at ${this.settings.strongModel} (the strong tier).${unknown(this.strong)}`),
      item('caching', 'vs no cache (prompt caching)', actual, this.noCache.value, 'measured', `The same calls with every cache read and cache write billed as plain input at each call's model.${unknown(this.noCache)}`),
      item(
        'batching',
        'vs single-agent (batching)',
        actual,
        singleAgent,
        'estimate',
        orchestrated
          ? `One single-agent run per ticket: the same calls with cache reads billed as plain input, and each lone agent's own discovery (modelled) instead of the shared plan and monitoring.${unknown(this.uncachedReads)}`
          : `Direct mode ran no shared plan, so only the shared prefix differs: the same calls with cache reads billed as plain input.${unknown(this.uncachedReads)}`,
      ),
    ];
  }
}
