import * as z from 'zod';
import { BATCH_PHASES } from '../vocabulary/batchStates';
import { DECISIONS, TICKET_LIFECYCLES, TICKET_RUN_STATES } from '../vocabulary/ticketStates';

/*
 * What the batch panel shows, as the host sends it to the view (src/core/panel/panelProtocol.ts).
 * Written by PanelModel in the extension host; read by media/src/panel.ts in the browser, which parses
 * every message with these schemas. zod and the vocabulary only: this module is bundled for the browser too.
 */

const count = z.number().int().nonnegative();
const usd = z.number().nullable();
/** Milliseconds since the batch started (the timeline's origin). */
const relMs = z.number().nonnegative();

/** What a person can do to a ticket from its row; each becomes the command of the same name. */
export const TICKET_ACTIONS = ['review', 'accept', 'reject', 'cancel', 'retry', 'setModel'] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

export const ticketTokensSchema = z.object({
  input: count,
  output: count,
  cacheRead: count,
  cacheWrite: count,
  /** All five token classes; from the ticket's record when its usage records are not at hand. */
  total: count,
});

export const ticketRowSchema = z.object({
  id: z.string(),
  title: z.string(),
  complexityClass: z.string(),
  score: z.number().nullable(),
  tier: z.string().nullable(),
  model: z.string(),
  /** The worker engine of its last run (or of the batch before its first), in words: "Claude Code". */
  engine: z.string().nullable(),
  /** Why this tier or model: the router's one line. */
  reason: z.string(),
  /** Every tier (or model id) it ran on, in order: `fast → balanced` after a failed gate. */
  tierPath: z.array(z.string()),
  /** The run state, as stored (vocabulary/ticketStates.ts). */
  state: z.enum(TICKET_RUN_STATES),
  /** What the row says: the lifecycle, the same words as the tree, `flotilla status` and the report. */
  lifecycle: z.enum(TICKET_LIFECYCLES),
  /** Tickets of this batch it depends on that are not done yet (while it is queued). */
  waitingOn: z.array(z.string()),
  /** What it is doing, why it failed, or the worker's summary when done. */
  detail: z.string(),
  /** Live while a worker runs: turn n of max and the tool it called last. */
  progress: z.object({ turn: count, maxTurns: count, tool: z.string().nullable(), phase: z.string().nullable() }).nullable(),
  tokens: ticketTokensSchema,
  costUsd: usd,
  fixLoops: count,
  escalations: count,
  /** Command gates of the last review (`test: fail`); their output is one click away. */
  gates: z.array(z.object({ name: z.string(), status: z.string() })),
  review: z.object({ level: z.string(), result: z.string(), findings: count }).nullable(),
  decision: z.enum(DECISIONS).nullable(),
  files: z.array(z.object({ path: z.string(), added: count.nullable(), deleted: count.nullable() })),
  actions: z.array(z.enum(TICKET_ACTIONS)),
});
export type TicketRow = z.infer<typeof ticketRowSchema>;

export const SEGMENT_KINDS = ['queued', 'waiting', 'working', 'gates', 'review'] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];

export const segmentSchema = z.object({
  kind: z.enum(SEGMENT_KINDS),
  /** The tier a working segment ran on (null for a model picked by id, and for other kinds). */
  tier: z.string().nullable(),
  fromMs: relMs,
  /** Null while it lasts: drawn up to the timeline's now. */
  toMs: relMs.nullable(),
});
export type Segment = z.infer<typeof segmentSchema>;

export const laneSchema = z.object({
  ticketId: z.string(),
  segments: z.array(segmentSchema),
  /** The lifecycle the lane ended in, once final. */
  end: z.enum(TICKET_LIFECYCLES).nullable(),
});
export type Lane = z.infer<typeof laneSchema>;

export const timelineFrameSchema = z.object({
  /** Epoch ms of the batch start. */
  originMs: z.number(),
  /** Now, or the batch end, relative to the origin. */
  nowMs: relMs,
  planning: z.object({ fromMs: relMs, toMs: relMs.nullable() }).nullable(),
  /** Where the segments come from when not every kind could be told apart (a stored batch). */
  note: z.string().nullable(),
});
export type TimelineFrame = z.infer<typeof timelineFrameSchema>;

export const batchHeaderSchema = z.object({
  batchId: z.string(),
  state: z.enum(BATCH_PHASES),
  /** Events arrive as it runs (false: read from storage). */
  live: z.boolean(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  elapsedMs: relMs,
  mode: z.string(),
  /** The mode and why, in one plain sentence. */
  modeSentence: z.string(),
  simulated: z.boolean(),
  planning: z.string().nullable(),
  /** Measured: the sum of the batch's usage records. */
  spentUsd: usd,
  tokens: count,
  /** Estimates made before the batch ran. */
  estimate: z.object({ overheadOrchestratedUsd: z.number(), overheadSingleAgentUsd: z.number(), capUsd: z.number() }).nullable(),
  /** Estimate: the same work as one single-agent run per ticket. */
  singleAgentUsd: usd,
  budget: z.object({ monthlyLimitUsd: z.number().nullable(), monthSpentUsd: z.number().nullable(), leftUsd: z.number().nullable() }),
  /** `done` splits into awaiting review, accepted and rejected; `failed` counts blocked ones too. */
  counts: z.object({ total: count, active: count, done: count, awaitingReview: count, accepted: count, rejected: count, failed: count, other: count }),
  stopReason: z.string().nullable(),
});
export type BatchHeader = z.infer<typeof batchHeaderSchema>;

export const SAVINGS_KINDS = ['routing', 'caching', 'batching'] as const;

export const savingsItemSchema = z.object({
  kind: z.enum(SAVINGS_KINDS),
  label: z.string(),
  actualUsd: usd,
  baselineUsd: usd,
  savedUsd: usd,
  savedPct: z.number().nullable(),
  /** `measured`: this batch's own tokens re-priced; `estimate`: includes modelled overheads. */
  basis: z.enum(['measured', 'estimate']),
  how: z.string(),
});
export type SavingsItem = z.infer<typeof savingsItemSchema>;

export const currentBatchSchema = z.object({
  header: batchHeaderSchema,
  rows: z.array(ticketRowSchema),
  timeline: timelineFrameSchema,
  lanes: z.array(laneSchema),
  savings: z.array(savingsItemSchema),
});
export type CurrentBatch = z.infer<typeof currentBatchSchema>;

export const historyBatchSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  status: z.string(),
  mode: z.string(),
  tickets: count,
  done: count,
  accepted: count,
  costUsd: usd,
  /** Cost over accepted tickets; null with none accepted. */
  costPerAcceptedUsd: usd,
  cacheReadShare: z.number().nullable(),
  /** Cost by model, largest first; `tier`: the tier the model was picked for (colours follow the tiers). */
  modelMix: z.array(z.object({ model: z.string(), tier: z.string().nullable(), costUsd: z.number(), share: z.number() })),
});
export type HistoryBatch = z.infer<typeof historyBatchSchema>;

export const outcomeCellSchema = z.object({
  complexityClass: z.string(),
  tier: z.string(),
  attempts: count,
  successes: count,
  successRate: z.number().nullable(),
  /** 95% Wilson lower bound of the success rate; what the router compares with its threshold. */
  lowerBound: z.number().nullable(),
  /** Enough samples and a lower bound at or above the threshold. */
  trusted: z.boolean(),
  avgFixLoops: z.number().nullable(),
  avgCostUsd: z.number().nullable(),
});
export type OutcomeCell = z.infer<typeof outcomeCellSchema>;

export const historySchema = z.object({
  batches: z.array(historyBatchSchema),
  outcomes: z.array(outcomeCellSchema),
  threshold: z.number(),
  minSamples: count,
  problems: z.array(z.string()),
});
export type PanelHistory = z.infer<typeof historySchema>;

export const panelSnapshotSchema = z.object({
  current: currentBatchSchema.nullable(),
  history: historySchema,
});
export type PanelSnapshot = z.infer<typeof panelSnapshotSchema>;

export const EMPTY_HISTORY: PanelHistory = { batches: [], outcomes: [], threshold: 0.7, minSamples: 5, problems: [] };
