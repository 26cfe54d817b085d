import { z } from 'zod';

/*
 * The Messages API's stream events, as far as the client depends on them. Every event the SDK yields
 * is checked against these schemas (model output is external input); an event type not listed is
 * ignored, as the API's versioning policy asks of clients.
 */

const count = z.number().int().nonnegative();

/** Usage as message_start and message_delta report it; message_delta's numbers are cumulative. */
export const wireUsageSchema = z.object({
  input_tokens: count.nullish(),
  output_tokens: count.nullish(),
  cache_creation_input_tokens: count.nullish(),
  cache_read_input_tokens: count.nullish(),
  cache_creation: z
    .object({ ephemeral_5m_input_tokens: count.nullish(), ephemeral_1h_input_tokens: count.nullish() })
    .nullish(),
});
export type WireUsage = z.infer<typeof wireUsageSchema>;

export const messageStartSchema = z.object({
  type: z.literal('message_start'),
  message: z.object({ id: z.string(), model: z.string(), usage: wireUsageSchema }),
});

/** Block types the client keeps; anything else (server tools, future types) is skipped by index. */
export const contentBlockStartSchema = z.object({
  type: z.literal('content_block_start'),
  index: count,
  content_block: z.object({ type: z.string() }).loose(),
});

export const textBlockSchema = z.object({ type: z.literal('text'), text: z.string() });
export const toolUseBlockSchema = z.object({ type: z.literal('tool_use'), id: z.string(), name: z.string() });
export const thinkingBlockSchema = z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().optional() });
export const redactedThinkingBlockSchema = z.object({ type: z.literal('redacted_thinking'), data: z.string() });

export const contentBlockDeltaSchema = z.object({
  type: z.literal('content_block_delta'),
  index: count,
  delta: z.object({ type: z.string() }).loose(),
});

export const textDeltaSchema = z.object({ type: z.literal('text_delta'), text: z.string() });
export const inputJsonDeltaSchema = z.object({ type: z.literal('input_json_delta'), partial_json: z.string() });
export const thinkingDeltaSchema = z.object({ type: z.literal('thinking_delta'), thinking: z.string() });
export const signatureDeltaSchema = z.object({ type: z.literal('signature_delta'), signature: z.string() });

export const contentBlockStopSchema = z.object({ type: z.literal('content_block_stop'), index: count });

export const messageDeltaSchema = z.object({
  type: z.literal('message_delta'),
  delta: z.object({ stop_reason: z.string().nullish() }).loose(),
  usage: wireUsageSchema.nullish(),
});

export const messageStopSchema = z.object({ type: z.literal('message_stop') });

export const anyEventSchema = z.object({ type: z.string() }).loose();
