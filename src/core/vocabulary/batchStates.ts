/*
 * How a batch runs and where it stands, said once (CONVENTIONS.md 22), beside ticketStates.ts.
 * Imports nothing: the panel's browser bundle uses it too.
 */

/**
 * How a batch shares work (ARCHITECTURE.md idea 1): `orchestrated` (one shared planning call),
 * `direct` (no shared planning: below the break-even point), `single` (one strong-tier agent per
 * ticket with no shared context, the baseline a batch is measured against). Stored as state.json's
 * `mode` and the execution log's `batch.mode` by the batch runtime.
 */
export const BATCH_MODES = ['orchestrated', 'direct', 'single'] as const;
export type BatchMode = (typeof BATCH_MODES)[number];

/** What a person asks for (`--mode`, the resume info): `auto` lets the break-even estimate decide. */
export const BATCH_MODE_CHOICES = ['auto', ...BATCH_MODES] as const;
export type BatchModeChoice = (typeof BATCH_MODE_CHOICES)[number];

/**
 * A batch's `status` in state.json. Written by the batch state store and BatchRecorder; `interrupted`
 * when it said running but its process is gone (a crash, kill -9, a closed window).
 */
export const BATCH_STATUSES = ['running', 'paused', 'done', 'failed', 'cancelled', 'interrupted'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/**
 * How a batch ended, as its summary says (`batch-finished`, `extra.summary.state`, the execution
 * log's `batch.state`). Written by runBatch.
 */
export const BATCH_END_STATES = ['done', 'failed', 'cancelled', 'stopped-by-budget'] as const;
export type BatchEndState = (typeof BATCH_END_STATES)[number];

/** Where a batch stands in the panel's header: before and while it runs, how it ended, or cut off. */
export const BATCH_PHASES = ['planning', 'running', ...BATCH_END_STATES, 'interrupted'] as const;
export type BatchPhase = (typeof BATCH_PHASES)[number];

/** The words for every batch state a person sees (the ids above are stored; these are shown). */
export const BATCH_STATE_LABELS: Readonly<Record<BatchPhase | BatchStatus, string>> = {
  planning: 'planning',
  running: 'running',
  paused: 'paused',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
  'stopped-by-budget': 'stopped by the budget',
  interrupted: 'interrupted',
};

/** A batch state or stored status in words; one this version does not know (a newer file) as it is. */
export function batchStateLabel(state: string): string {
  return (BATCH_STATE_LABELS as Readonly<Record<string, string>>)[state] ?? state;
}
