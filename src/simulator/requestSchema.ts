import { z } from 'zod';
import { SimulatedApiError } from './apiErrors';

// The parts of a Messages API request the simulator reads. Blocks stay loose (unknown fields pass
// through) because the prefix identity covers the whole block, whatever it holds.

export const cacheControlSchema = z.object({
  type: z.literal('ephemeral'),
  ttl: z.enum(['5m', '1h']).optional(),
});
export type CacheControl = z.infer<typeof cacheControlSchema>;

const blockSchema = z.looseObject({
  type: z.string(),
  cache_control: cacheControlSchema.nullish(),
});
export type RequestBlock = z.infer<typeof blockSchema>;

const messageSchema = z.object({
  // 'system' turns mid-conversation are what Claude Code sends (a beta of the API); they are prompt like any other.
  role: z.enum(['user', 'assistant', 'system']),
  content: z.union([z.string(), z.array(blockSchema)]),
});

const toolSchema = z.looseObject({
  name: z.string().min(1),
  cache_control: cacheControlSchema.nullish(),
});

/** Fields shared by POST /v1/messages and POST /v1/messages/count_tokens. */
export const promptRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  system: z.union([z.string(), z.array(blockSchema)]).optional(),
  tools: z.array(toolSchema).optional(),
  // Automatic caching: one top-level marker that lands on the last cacheable block.
  cache_control: cacheControlSchema.nullish(),
});
export type PromptRequest = z.infer<typeof promptRequestSchema>;

export const messagesRequestSchema = promptRequestSchema.extend({
  max_tokens: z.number().int().min(1),
  stream: z.boolean().optional(),
  stop_sequences: z.array(z.string()).optional(),
});
export type MessagesRequest = z.infer<typeof messagesRequestSchema>;

/** Parse a request body or throw the 400 the API would send, naming the first bad field. */
export function parseRequest<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
  throw new SimulatedApiError('invalid_request_error', `${where}: ${issue?.message ?? 'invalid request'}`);
}
