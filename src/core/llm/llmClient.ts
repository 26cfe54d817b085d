import type Anthropic from '@anthropic-ai/sdk';
import { anthropicSdk } from './anthropicSdk';
import { attemptBilling, type AttemptBilling } from './attemptBilling';
import type { CallTags } from './reservationRecord';
import { silentLogger, type Logger } from '../logger';
import { ZERO_USAGE, type TokenUsage } from './cost';
import { CallCancelledError, RateLimitedError, UsageNotRecordedError } from './llmErrors';
import type { AccumulatedMessage, LlmContentBlock } from './messageAccumulator';
import { ModelCost } from './modelCost';
import type { PricingOverrides } from './pricing';
import { RateLimiter, type AttemptOutcome } from './rateLimiter';
import { DEFAULT_RETRY_POLICY, retryDelayMs, type Random, type RetryPolicy } from './retryPolicy';
import { realSleep, type Sleep } from './sleep';
import { runStreamAttempt, type AttemptResult, type LlmRequest } from './streamAttempt';
import { USAGE_RECORD_VERSION, usageRecordSchema, type Stage, type Tier, type UsageRecord } from './usageRecord';

export type { LlmRequest } from './streamAttempt';
import type { CallSizing } from './callSizing';
import { COUNT_MARGIN, estimateInputTokens, MIN_USEFUL_MAX_TOKENS, usesOneHourCache } from './requestEstimate';
import { errorMessage } from '../errorText';

export interface LlmClientOptions {
  apiKey: string;
  /** The API's base URL; the simulator's url in tests and --simulate. Default: the SDK's. */
  baseURL?: string;
  /**
   * Appends one record to the ledger; awaited before the call returns or throws. `attempt` is the
   * key the budget hook saw for the same attempt (absent for records made outside an attempt);
   * `billing` says whether the record is all the attempt can have been billed (attemptBilling.ts).
   */
  recordUsage: (record: UsageRecord, attempt?: object, billing?: AttemptBilling) => Promise<void> | void;
  /**
   * Budget hook (issue 7): called before each attempt with its worst-case cost (null for a model
   * without a price) at the requested max_tokens. Throw to stop the call; the error reaches the
   * caller unchanged. Return a smaller max_tokens (≥ sizing.minMaxTokens) to send the attempt with
   * that instead — what a hard budget can still pay for.
   */
  beforeCall?: (worstCaseUsd: number | null, request: LlmRequest, sizing: CallSizing) => Promise<number | void> | number | void;
  /** Shared by every worker of the process; one is made per client when absent. */
  limiter?: RateLimiter;
  pricing?: PricingOverrides;
  retry?: Partial<RetryPolicy>;
  firstByteTimeoutMs?: number;
  idleTimeoutMs?: number;
  maxResponseChars?: number;
  logger?: Logger;
  clock?: () => number;
  sleep?: Sleep;
  random?: Random;
}

/** Who the call is for; it goes into the usage record. */
export interface CallMeta {
  workspace: string;
  batchId: string;
  ticketId: string | null;
  stage: Stage;
  tier: Tier | null;
  /** Prompt size estimate for the budget hook; default: characters / 3 of the request (generous). */
  inputTokenEstimate?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Text as it streams in (the live panel). */
  onText?: (delta: string) => void;
}

export interface LlmResult extends AccumulatedMessage {
  text: string;
  toolUses: Extract<LlmContentBlock, { type: 'tool_use' }>[];
  usage: TokenUsage;
  costUsd: number | null;
  requestId: string | null;
  /** Attempts made, this successful one included. */
  attempts: number;
  latencyMs: number;
}

/**
 * The model-access layer: one streamed Messages call with our own retries, the shared rate limiter,
 * cancellation, and exactly one usage record per HTTP attempt — a failed attempt records zeros, a
 * cut stream records what the server reported (partial), so the ledger sums to what was billed.
 */
export class LlmClient {
  private readonly sdk: Anthropic;
  private readonly limiter: RateLimiter;
  private readonly cost: ModelCost;
  private readonly policy: RetryPolicy;
  private readonly logger: Logger;
  private readonly clock: () => number;
  private readonly sleep: Sleep;
  private readonly random: Random;

  constructor(private readonly options: LlmClientOptions) {
    this.logger = options.logger ?? silentLogger;
    this.sdk = new (anthropicSdk().Anthropic)({
      apiKey: options.apiKey,
      baseURL: options.baseURL ?? null,
      maxRetries: 0,
      openTelemetry: false,
      logger: sdkLogger(this.logger),
    });
    this.limiter = options.limiter ?? new RateLimiter({ maxConcurrency: 4 });
    this.cost = new ModelCost({ overrides: options.pricing, logger: this.logger });
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
  }

  /** The SDK client, for helpers such as listModels that share its base URL and key. */
  get anthropic(): Anthropic {
    return this.sdk;
  }

  async call(request: LlmRequest, meta: CallMeta, options: CallOptions = {}): Promise<LlmResult> {
    const { signal } = options;
    const estimate = meta.inputTokenEstimate ?? estimateInputTokens(request);
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      const key = {};
      const sent = await this.admit(request, estimate, { key, tags: { ...tagsOf(meta), attempt } }, signal);
      const started = this.clock();
      const result = await this.attempt(sent, options);
      const latencyMs = Math.max(0, this.clock() - started);
      const billing = result.ok ? 'known' : attemptBilling({ error: result.error, partial: result.partial, sent: result.notSent !== true });
      await this.record(this.recordFor(sent, meta, attempt, result, latencyMs), key, billing);
      if (result.ok) return this.toResult(sent, result, attempt, latencyMs);

      const delay = retryDelayMs(result.error, attempt, waited, this.policy, this.random);
      if (delay === null) throw result.error;
      this.logger.info(`${result.error.name} on attempt ${attempt} of ${request.model}; retrying in ${delay} ms.`);
      try {
        await this.sleep(delay, signal);
      } catch (error) {
        throw new CallCancelledError('The call was cancelled while waiting to retry.', { cause: error });
      }
      waited += delay;
    }
  }

  /** Asks the budget hook about one attempt; the request goes out with the max_tokens it allows. */
  private async admit(request: LlmRequest, estimate: number, attempt: { key: object; tags: CallTags }, signal: AbortSignal | undefined): Promise<LlmRequest> {
    const hook = this.options.beforeCall;
    if (!hook) return request;
    const oneHour = usesOneHourCache(request);
    const worstCaseFor = (input: number) => (maxTokens: number) => this.cost.worstCaseUsd(request.model, input, maxTokens, oneHour);
    const sizing: CallSizing = {
      requestedMaxTokens: request.max_tokens,
      minMaxTokens: Math.min(MIN_USEFUL_MAX_TOKENS, request.max_tokens),
      worstCaseFor: worstCaseFor(estimate),
      countedWorstCase: async () => {
        const counted = await this.countInputTokens(request, signal);
        return counted !== null && counted < estimate ? worstCaseFor(counted) : null;
      },
      attempt: attempt.key,
      tags: attempt.tags,
    };
    const allowed = await hook(sizing.worstCaseFor(request.max_tokens), request, sizing);
    if (typeof allowed !== 'number' || allowed >= request.max_tokens) return request;
    return { ...request, max_tokens: Math.max(sizing.minMaxTokens, Math.floor(allowed)) };
  }

  /** The API's count of a request's prompt tokens, with a margin; null when it cannot be had. */
  private async countInputTokens(request: LlmRequest, signal: AbortSignal | undefined): Promise<number | null> {
    try {
      const { model, system, messages, tools, tool_choice, thinking } = request;
      const counted = await this.sdk.messages.countTokens({ model, system, messages, tools, tool_choice, thinking }, { signal });
      return Math.ceil(counted.input_tokens * COUNT_MARGIN);
    } catch (error) {
      this.logger.debug(`Token count unavailable, the budget uses the estimate: ${errorMessage(error)}`);
      return null;
    }
  }

  /** One attempt through the limiter; a cancel while queued is an attempt that never reached the API. */
  private async attempt(request: LlmRequest, options: CallOptions): Promise<AttemptResult> {
    let permit;
    try {
      permit = await this.limiter.acquire(options.signal);
    } catch (error) {
      const cancelled = new CallCancelledError('The call was cancelled before it started.', { cause: error });
      return { ok: false, error: cancelled, usage: null, partial: false, notSent: true, requestId: null, headers: undefined };
    }
    const result = await runStreamAttempt({
      sdk: this.sdk,
      request,
      signal: options.signal,
      firstByteTimeoutMs: this.options.firstByteTimeoutMs ?? 60_000,
      idleTimeoutMs: this.options.idleTimeoutMs ?? 60_000,
      maxResponseChars: this.options.maxResponseChars ?? 8_000_000,
      logger: this.logger,
      clock: this.clock,
      onText: options.onText,
    });
    permit.release(outcomeOf(result));
    return result;
  }

  private recordFor(request: LlmRequest, meta: CallMeta, attempt: number, result: AttemptResult, latencyMs: number): UsageRecord {
    const usage = result.usage ?? ZERO_USAGE;
    const anyTokens = Object.values(usage).some((n) => n > 0);
    return usageRecordSchema.parse({
      v: USAGE_RECORD_VERSION,
      ts: new Date(this.clock()).toISOString(),
      workspace: meta.workspace,
      batchId: meta.batchId,
      ticketId: meta.ticketId,
      stage: meta.stage,
      model: request.model,
      tier: meta.tier,
      ...usage,
      // Nothing billed costs nothing even for an unpriced model; otherwise unknown stays null.
      costUsd: anyTokens ? this.cost.costUsd(request.model, usage) : 0,
      latencyMs,
      requestId: result.requestId,
      cached: false,
      attempt,
      ...(result.ok ? {} : { error: result.error.name, ...(result.partial ? { partial: true } : {}) }),
    });
  }

  private async record(record: UsageRecord, attempt: object, billing: AttemptBilling): Promise<void> {
    try {
      await this.options.recordUsage(record, attempt, billing);
    } catch (error) {
      throw new UsageNotRecordedError('The usage record could not be written, so the result is withheld.', { cause: error });
    }
  }

  private toResult(request: LlmRequest, result: Extract<AttemptResult, { ok: true }>, attempts: number, latencyMs: number): LlmResult {
    const { message } = result;
    return {
      ...message,
      text: message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join(''),
      toolUses: message.content.filter((b): b is Extract<LlmContentBlock, { type: 'tool_use' }> => b.type === 'tool_use'),
      usage: result.usage,
      costUsd: this.cost.costUsd(request.model, result.usage),
      requestId: result.requestId,
      attempts,
      latencyMs,
    };
  }
}

function tagsOf(meta: CallMeta): Omit<CallTags, 'attempt'> {
  return { workspace: meta.workspace, batchId: meta.batchId, ticketId: meta.ticketId, stage: meta.stage, tier: meta.tier };
}

function outcomeOf(result: AttemptResult): AttemptOutcome {
  if (result.ok) return { kind: 'success', headers: result.headers };
  if (result.error instanceof RateLimitedError) {
    return { kind: 'rate_limited', headers: result.headers, retryAfterMs: result.error.retryAfterMs };
  }
  return { kind: 'other', headers: result.headers };
}

/** Routes the SDK's own log lines into ours (never the console). */
function sdkLogger(logger: Logger) {
  const line = (message: string, args: unknown[]) => [message, ...args.map((a) => (errorMessage(a)))].join(' ');
  return {
    error: (message: string, ...args: unknown[]) => logger.error(line(message, args)),
    warn: (message: string, ...args: unknown[]) => logger.warn(line(message, args)),
    info: (message: string, ...args: unknown[]) => logger.debug(line(message, args)),
    debug: (message: string, ...args: unknown[]) => logger.trace(line(message, args)),
  };
}
