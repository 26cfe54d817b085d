import { z } from 'zod';
import type { TicketRecord } from '../batch/batchTypes';
import { DECISIONS, TICKET_RUN_STATES } from '../vocabulary/ticketStates';
import { TIERS, WORKER_ENGINES } from '../llm/usageRecord';
import type { StoredBatch } from './batchState';

/**
 * Everything Flotilla keeps in state.json's `extra` besides the ticket states, defined once for the
 * writers and every reader (CONVENTIONS.md 16). Who writes what:
 * - `resume`  — BatchRuntime when a batch starts: what a resume needs (repository, mode, picks).
 * - `records` — BatchRecorder on every ticket change: each ticket's full TicketRecord.
 * - `summary` — BatchRecorder when the batch ends: end state, totals, savings analysis.
 * - `reviewDecisions` — the session's ticket decisions (accept, reject, per file).
 * - `budget`  — BatchRuntime: the batch's own limit, so a resume is held to it (batchBudget.ts).
 * - `github`  — BatchRuntime when a batch of GitHub issues starts: the repository, the API address
 *               (never a token) and each issue ticket as it ran, so a resume, a change request and
 *               `flotilla pr` need neither the network nor the token to know the ticket.
 * - `pullRequests` — the session's Open Pull Request (session/pullRequests.ts): each ticket's pull
 *               request, its link and its state as GitHub last said (open, merged, closed).
 * Reading is tolerant: a hand-edited or older state shows what it can, never crashes; an entry that
 * does not parse is left out (and the caller may say so), the others still count.
 */

const tier = z.enum(TIERS).nullable().catch(null);
const usd = z.number().nullable().catch(null);
const count = z.number().int().nonnegative().catch(0);

const stageSchema = z.object({
  stage: z.enum(['work', 'fix', 'review']),
  model: z.string(),
  tier,
  tokens: z.number().catch(0),
  costUsd: usd,
  result: z.string().catch(''),
  engine: z.enum(WORKER_ENGINES).optional().catch(undefined),
});

const tierChangeSchema = z.object({ tier, model: z.string(), reason: z.string().catch('') });

const numstatSchema = z.object({
  path: z.string(),
  oldPath: z.string().optional(),
  added: z.number().int().nonnegative().nullable(),
  deleted: z.number().int().nonnegative().nullable(),
});

/** One ticket's TicketRecord as the recorder stored it (`extra.records[id]`). */
export const ticketRecordSchema = z.object({
  id: z.string(),
  title: z.string().catch(''),
  complexityClass: z.string().catch('unclassified'),
  score: z.number().catch(0),
  tier,
  model: z.string().catch(''),
  reason: z.string().catch(''),
  maxTier: tier.optional().transform((t) => t ?? null),
  state: z.enum(TICKET_RUN_STATES),
  detail: z.string().catch(''),
  stages: z.array(stageSchema).catch([]),
  fixLoops: count,
  escalations: count,
  tierHistory: z.array(tierChangeSchema).catch([]),
  review: z.object({ level: z.string(), result: z.string(), findings: z.number() }).nullable().catch(null),
  startCommit: z.string().nullable().optional().catch(undefined),
  branch: z.string().nullable().catch(null),
  commit: z.string().nullable().catch(null),
  diffStats: z.array(numstatSchema).catch([]),
  costUsd: usd,
  tokens: z.number().catch(0),
  /** Stopped from outside (a budget limit, the model unreachable, Ctrl-C): a resume runs it again. */
  resumable: z.boolean().optional().catch(undefined),
}) satisfies z.ZodType<TicketRecord, unknown>;

/** What a resume needs besides the ticket states (`extra.resume`). */
export const resumeInfoSchema = z.object({
  repoRoot: z.string().min(1),
  workspace: z.string().min(1).optional(),
  mode: z.string().catch('auto'),
  tier: z.string().catch('auto'),
  simulated: z.boolean().catch(false),
  picks: z.record(z.string(), z.string()).catch({}),
});
export interface ResumeInfo {
  readonly repoRoot: string;
  readonly workspace: string;
  readonly mode: string;
  readonly tier: string;
  readonly simulated: boolean;
  readonly picks: Readonly<Record<string, string>>;
}

/** The end of a batch (`extra.summary`). */
export const batchSummaryExtraSchema = z.object({
  state: z.string(),
  totals: z.object({ tokens: z.number(), costUsd: z.number().nullable(), cacheReadShare: z.number() }),
  analysis: z.object({
    orchestratedUsd: z.number().nullable(),
    singleAgentEstimateUsd: z.number().nullable(),
    savingsPct: z.number().nullable(),
    routingSavingsVsStrongPct: z.number().nullable(),
  }),
});
export type BatchSummaryExtra = z.infer<typeof batchSummaryExtraSchema>;

/** An issue ticket as a batch ran it (`extra.github.tickets[id]`; issueTicket.ts turns it back into a Ticket). */
export const storedIssueTicketSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  labels: z.array(z.string()).catch([]),
  priority: z.number().int().min(1).max(5).optional().catch(undefined),
  dependsOn: z.array(z.string()).catch([]),
  acceptance: z.array(z.string()).catch([]),
  description: z.string().catch(''),
  issue: z.object({ number: z.number().int().positive(), url: z.string(), repository: z.string(), author: z.string().nullable().catch(null) }),
});
export type StoredIssueTicket = z.infer<typeof storedIssueTicketSchema>;

/** Where a batch's issues came from and its pull requests go (`extra.github`). */
export const storedGitHubSchema = z.object({
  /** `owner/name`. */
  repository: z.string().min(1),
  apiUrl: z.string().min(1),
  tickets: z.record(z.string(), z.unknown()).catch({}),
});
/** What BatchRuntime writes as `extra.github`. */
export interface GitHubExtra {
  readonly repository: string;
  readonly apiUrl: string;
  readonly tickets: Readonly<Record<string, StoredIssueTicket>>;
}
export interface StoredGitHub {
  readonly repository: string;
  readonly apiUrl: string;
  readonly tickets: ReadonlyMap<string, StoredIssueTicket>;
}

export const PULL_REQUEST_STATES = ['open', 'merged', 'closed'] as const;
export type PullRequestState = (typeof PULL_REQUEST_STATES)[number];

/** A ticket's pull request (`extra.pullRequests[id]`). */
export const pullRequestRecordSchema = z.object({
  number: z.number().int().positive(),
  url: z.string().min(1),
  state: z.enum(PULL_REQUEST_STATES),
  /** Where it is: `owner/name` and the API address (never a token), so a refresh needs nothing else. */
  repository: z.string().min(1),
  apiUrl: z.string().min(1),
  /** The pushed ticket branch and the branch it asks to merge into. */
  head: z.string(),
  base: z.string(),
  openedAt: z.string(),
  /** When GitHub was last asked for its state (a refresh, `flotilla status`). */
  checkedAt: z.string().optional(),
});
export type PullRequestRecord = z.infer<typeof pullRequestRecordSchema>;

/** The batch's own limit (`extra.budget`); `batchUsd: null`: no batch limit. */
export const storedBudgetSchema = z.object({ batchUsd: z.number().positive().nullable() });
export type StoredBudget = z.infer<typeof storedBudgetSchema>;

/** The decision on one ticket (`extra.reviewDecisions[id]`). */
export const ticketDecisionSchema = z.object({
  /** The whole ticket's decision; absent while only files were decided. */
  ticket: z.enum(DECISIONS).optional(),
  at: z.string(),
  /** The branch an accepted ticket was merged into (written since the CLI can accept). */
  into: z.string().optional(),
  /** The commit on `into` that brought the ticket in (the merge commit with its `status: done`); absent when it was already part of `into`. */
  commit: z.string().optional(),
  /** The ticket branch's commit that was merged, kept after its branch is deleted: later accepts simulate against it. */
  branchTip: z.string().optional(),
  files: z.record(z.string(), z.enum(DECISIONS)).default({}),
});
export type TicketDecision = z.infer<typeof ticketDecisionSchema>;

export interface StoredRecords {
  readonly records: ReadonlyMap<string, TicketRecord>;
  /** Ticket ids whose stored record did not parse. */
  readonly unreadable: readonly string[];
}

const entries = z.record(z.string(), z.unknown());

export function readRecords(state: StoredBatch): StoredRecords {
  const raw = entries.safeParse(state.extra.records ?? {});
  if (!raw.success) return { records: new Map(), unreadable: [...state.ticketIds] };
  const records = new Map<string, TicketRecord>();
  const unreadable: string[] = [];
  for (const [id, value] of Object.entries(raw.data)) {
    const parsed = ticketRecordSchema.safeParse(value);
    if (parsed.success) records.set(id, parsed.data);
    else unreadable.push(id);
  }
  return { records, unreadable };
}

export function readResumeInfo(state: StoredBatch): ResumeInfo | null {
  const parsed = resumeInfoSchema.safeParse(state.extra.resume);
  return parsed.success ? { ...parsed.data, workspace: parsed.data.workspace ?? parsed.data.repoRoot } : null;
}

/** The batch's GitHub source, or null for a batch of ticket files (or a record that does not parse). */
export function readGitHub(state: Pick<StoredBatch, 'extra'>): StoredGitHub | null {
  const parsed = storedGitHubSchema.safeParse(state.extra.github);
  if (!parsed.success) return null;
  const tickets = new Map<string, StoredIssueTicket>();
  for (const [id, value] of Object.entries(parsed.data.tickets)) {
    const ticket = storedIssueTicketSchema.safeParse(value);
    if (ticket.success) tickets.set(id, ticket.data);
  }
  return { repository: parsed.data.repository, apiUrl: parsed.data.apiUrl, tickets };
}

/** Each ticket's pull request; an entry that does not parse is left out. */
export function readPullRequests(state: Pick<StoredBatch, 'extra'>): Record<string, PullRequestRecord> {
  return readEachEntry(state.extra.pullRequests, pullRequestRecordSchema);
}

/** The state with one ticket's pull request recorded (or its state updated). */
export function withPullRequest(state: StoredBatch, ticketId: string, record: PullRequestRecord): StoredBatch {
  return { ...state, extra: { ...state.extra, pullRequests: { ...readPullRequests(state), [ticketId]: record } } };
}

export function readSummary(state: StoredBatch): BatchSummaryExtra | null {
  const parsed = batchSummaryExtraSchema.safeParse(state.extra.summary);
  return parsed.success ? parsed.data : null;
}

export function readDecisions(state: Pick<StoredBatch, 'extra'>): Record<string, TicketDecision> {
  return readEachEntry(state.extra.reviewDecisions, ticketDecisionSchema);
}

/** The entries of a per-ticket record (`{id: value}`) that parse; the others are left out. */
function readEachEntry<T>(value: unknown, schema: z.ZodType<T, unknown>): Record<string, T> {
  const raw = entries.safeParse(value);
  if (!raw.success) return {};
  const result: Record<string, T> = {};
  for (const [id, entry] of Object.entries(raw.data)) {
    const parsed = schema.safeParse(entry);
    if (parsed.success) result[id] = parsed.data;
  }
  return result;
}

/** The state with one ticket's record replaced (the recorder's write). */
export function withRecord(state: StoredBatch, record: TicketRecord): StoredBatch {
  const records = { ...entries.catch({}).parse(state.extra.records ?? {}), [record.id]: record };
  return { ...state, extra: { ...state.extra, records } };
}
