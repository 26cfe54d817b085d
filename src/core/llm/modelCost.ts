import type { Logger } from '../logger';
import { costOf, worstCaseCostUsd, type TokenUsage } from './cost';
import { priceFor, type PricingOverrides } from './pricing';

/** Model ids already warned about; one warning per id per process, not one per call. */
const warnedThisProcess = new Set<string>();

export interface ModelCostOptions {
  overrides?: PricingOverrides;
  logger: Logger;
  /** Tests pass their own set; production shares the process-wide one. */
  warned?: Set<string>;
}

/** Prices calls by model id; an unknown id gives `null` (never a guess) and a single warning. */
export class ModelCost {
  private readonly overrides: PricingOverrides;
  private readonly logger: Logger;
  private readonly warned: Set<string>;

  constructor(options: ModelCostOptions) {
    this.overrides = options.overrides ?? {};
    this.logger = options.logger;
    this.warned = options.warned ?? warnedThisProcess;
  }

  costUsd(model: string, usage: TokenUsage): number | null {
    const price = this.lookup(model);
    return price ? costOf(usage, price) : null;
  }

  worstCaseUsd(model: string, inputTokenEstimate: number, maxTokens: number, oneHourCache = true): number | null {
    const price = this.lookup(model);
    return price ? worstCaseCostUsd(inputTokenEstimate, maxTokens, price, oneHourCache) : null;
  }

  private lookup(model: string) {
    const price = priceFor(model, this.overrides);
    if (!price && !this.warned.has(model)) {
      this.warned.add(model);
      this.logger.warn(
        `No price known for model "${model}": its calls are recorded with costUsd null. Add it to the flotilla.llm.pricing setting.`,
      );
    }
    return price;
  }
}
