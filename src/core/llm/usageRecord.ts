import { z } from 'zod';

/** Version of the usage record format written to the ledger; bump only by adding fields. */
export const USAGE_RECORD_VERSION = 1;

export const STAGES = ['plan', 'work', 'review', 'fix', 'classify'] as const;
export type Stage = (typeof STAGES)[number];

export const TIERS = ['fast', 'balanced', 'strong'] as const;
export type Tier = (typeof TIERS)[number];

/** Who runs a ticket: Flotilla's own agent loop, or Claude Code through the Agent SDK. */
export const WORKER_ENGINES = ['builtin', 'claude-code'] as const;
export type WorkerEngineName = (typeof WORKER_ENGINES)[number];

/** Each engine as people read it (the panel's Engine column). */
export const WORKER_ENGINE_LABELS: Readonly<Record<WorkerEngineName, string>> = { builtin: 'Built-in', 'claude-code': 'Claude Code' };

const tokens = z.number().int().nonnegative();

/** Whom a ledger line's call was for: the same fields, in the same order, in usage and reservation records. */
export const callFields = {
  workspace: z.string(),
  batchId: z.string(),
  ticketId: z.string().nullable(),
  stage: z.enum(STAGES),
  model: z.string(),
  /** The tier the model was picked for; null for a model chosen by id outside the tiers. */
  tier: z.enum(TIERS).nullable(),
};

/**
 * One model call, as appended to the ledger (ARCHITECTURE.md, "Usage record"). A public format:
 * scripts and reports outside the repo read it, so fields are only ever added, never changed.
 */
export const usageRecordSchema = z.object({
  v: z.literal(USAGE_RECORD_VERSION),
  /** ISO 8601 time the call ended. */
  ts: z.string(),
  ...callFields,
  inputTokens: tokens,
  outputTokens: tokens,
  cacheWrite5mTokens: tokens,
  cacheWrite1hTokens: tokens,
  cacheReadTokens: tokens,
  /** null when the model has no known price: never a guess. */
  costUsd: z.number().nonnegative().nullable(),
  latencyMs: z.number().nonnegative(),
  requestId: z.string().nullable(),
  /** Served by Flotilla's own response cache (cost 0), not by the API. */
  cached: z.boolean(),
  /** 1 for the first try of a call, 2.. for retries. */
  attempt: z.number().int().positive(),
  // Additions to the format (optional, so older readers and records stay valid):
  /** The call ended before the final usage arrived (a cut stream); tokens are what the server reported so far. */
  partial: z.boolean().optional(),
  /** Why the call failed, when it did (typed error name). */
  error: z.string().optional(),
  /** The worker engine that made the call (absent: Flotilla's own client, i.e. the built-in engine and reviews). */
  engine: z.enum(WORKER_ENGINES).optional(),
  /**
   * The call went to Flotilla's simulated model (--simulate, the `simulated` provider): nothing was
   * billed. Month spend, forecasts and the monthly limit leave these out; reports label them.
   */
  simulated: z.literal(true).optional(),
  /**
   * The reservation record (reservationRecord.ts) this record closes: the attempt's whole outcome is
   * known. Absent when no reservation was written, or when what the attempt was billed is not known
   * (a cut or cancelled stream): its reservation then stays open at its worst case.
   */
  reservationId: z.string().min(1).optional(),
});

export type UsageRecord = z.infer<typeof usageRecordSchema>;
