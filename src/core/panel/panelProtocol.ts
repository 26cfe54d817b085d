import * as z from 'zod';
import { batchHeaderSchema, historySchema, laneSchema, panelSnapshotSchema, savingsItemSchema, ticketRowSchema, timelineFrameSchema, TICKET_ACTIONS } from './panelSnapshot';

/*
 * The one protocol between the batch panel's host (src/vscode/panel) and its view (media/src/panel.ts):
 * two discriminated unions, parsed with zod on whichever side receives them (CONVENTIONS.md 6).
 *
 * Handshake: the view loads and posts `ready` with its protocol version; only then does the host post,
 * starting with a full `snapshot`; `update`s follow (at most 10 a second) and carry only what changed
 * since `baseRev`. The view answers each with `applied`; a view that missed a revision asks to `resync`
 * and gets a snapshot. State lives in the host (CONVENTIONS.md 8): the view keeps nothing it cannot be sent again.
 */

/** Bump when a message changes shape; a view of another version is reloaded by the host. */
export const PANEL_PROTOCOL_VERSION = 2;

const rev = z.number().int().nonnegative();

export const snapshotMessageSchema = z.object({
  type: z.literal('snapshot'),
  protocol: z.literal(PANEL_PROTOCOL_VERSION),
  rev,
  snapshot: panelSnapshotSchema,
});

/** What changed in the current batch since `baseRev`: rows and lanes by ticket id, the rest whole. */
export const updateMessageSchema = z.object({
  type: z.literal('update'),
  protocol: z.literal(PANEL_PROTOCOL_VERSION),
  baseRev: rev,
  rev,
  header: batchHeaderSchema.optional(),
  rows: z.array(ticketRowSchema),
  lanes: z.array(laneSchema),
  timeline: timelineFrameSchema.optional(),
  savings: z.array(savingsItemSchema).optional(),
  history: historySchema.optional(),
});

export const hostMessageSchema = z.discriminatedUnion('type', [snapshotMessageSchema, updateMessageSchema]);
export type HostMessage = z.infer<typeof hostMessageSchema>;
export type SnapshotMessage = z.infer<typeof snapshotMessageSchema>;
export type UpdateMessage = z.infer<typeof updateMessageSchema>;

const ticketRef = { batchId: z.string().min(1), ticketId: z.string().min(1) };

export const viewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), protocol: z.number().int() }),
  z.object({ type: z.literal('applied'), rev }),
  z.object({ type: z.literal('resync'), reason: z.string().max(500) }),
  z.object({ type: z.literal('ticketAction'), action: z.enum(TICKET_ACTIONS), ...ticketRef }),
  z.object({ type: z.literal('showGateOutput'), ...ticketRef, gate: z.string().optional() }),
  z.object({ type: z.literal('openTicket'), ticketId: z.string().min(1) }),
  z.object({ type: z.literal('showReport'), batchId: z.string().min(1) }),
]);
export type ViewMessage = z.infer<typeof viewMessageSchema>;

export type Parsed<T> = { readonly ok: true; readonly message: T } | { readonly ok: false; readonly error: string };

function parseWith<T>(schema: z.ZodType<T>, data: unknown): Parsed<T> {
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, message: result.data };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'message';
  return { ok: false, error: `${where}: ${issue?.message ?? 'invalid'}` };
}

/** Every message the view receives goes through here; an invalid one is reported, never applied. */
export function parseHostMessage(data: unknown): Parsed<HostMessage> {
  return parseWith(hostMessageSchema, data);
}

/** Every message the host receives goes through here; an invalid one is logged and ignored. */
export function parseViewMessage(data: unknown): Parsed<ViewMessage> {
  return parseWith(viewMessageSchema, data);
}
