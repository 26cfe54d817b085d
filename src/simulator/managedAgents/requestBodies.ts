import { z } from 'zod';

// The request bodies of the Managed Agents endpoints the simulator serves, as far as it reads them.
// Unknown fields pass (the SDK may send fields newer than this file); known ones are checked and a
// bad one is the API's 400 naming the field (parseRequest).

const metadata = z.record(z.string().max(64), z.string().max(512)).refine((m) => Object.keys(m).length <= 16, 'at most 16 pairs');

/** The simulator runs custom tools only: their calls go to the environment's workers. */
export const customToolSchema = z.looseObject({
  type: z.literal('custom'),
  name: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, '1-128 letters, digits, underscores or hyphens'),
  description: z.string(),
  input_schema: z.looseObject({ type: z.literal('object') }),
});

const modelParam = z.union([z.string().min(1), z.looseObject({ id: z.string().min(1) })]);

export const agentCreateSchema = z.looseObject({
  name: z.string().min(1),
  model: modelParam,
  system: z.string().nullish(),
  description: z.string().nullish(),
  tools: z.array(customToolSchema).max(256).optional(),
  metadata: metadata.optional(),
});

export const agentUpdateSchema = z.looseObject({
  name: z.string().min(1).optional(),
  model: modelParam.optional(),
  system: z.string().nullish(),
  description: z.string().nullish(),
  tools: z.array(customToolSchema).max(256).nullish(),
  metadata: z.record(z.string(), z.string().nullable()).nullish(),
  /** Optimistic concurrency: the version the caller last saw. */
  version: z.number().int().min(1).optional(),
});

export const environmentCreateSchema = z.looseObject({
  name: z.string().min(1),
  description: z.string().nullish(),
  config: z.looseObject({ type: z.enum(['self_hosted', 'cloud']) }).nullish(),
  metadata: metadata.optional(),
});

const textBlock = z.object({ type: z.literal('text'), text: z.string() });
const resultBlock = z.looseObject({ type: z.string() });

export const userMessageSchema = z.object({ type: z.literal('user.message'), content: z.array(textBlock).min(1) });

/** The events a client may send (EventSendParams); the simulator plays the ones Flotilla and the worker send. */
export const sendEventSchema = z.discriminatedUnion('type', [
  userMessageSchema,
  z.object({ type: z.literal('user.interrupt'), session_thread_id: z.string().nullish() }),
  z.object({ type: z.literal('user.custom_tool_result'), custom_tool_use_id: z.string().min(1), content: z.array(resultBlock).optional(), is_error: z.boolean().nullish() }),
  z.object({ type: z.literal('user.tool_result'), tool_use_id: z.string().min(1), content: z.array(resultBlock).optional(), is_error: z.boolean().nullish() }),
]);
export type SentEvent = z.infer<typeof sendEventSchema>;

export const sendEventsSchema = z.object({ events: z.array(sendEventSchema).min(1).max(50) });

const money = z.object({ amount: z.string().regex(/^(0|[1-9]\d*)$/, 'an integer number of minor units, no leading zeros'), currency: z.literal('USD') });

export const sessionCreateSchema = z.looseObject({
  agent: z.union([z.string().min(1), z.looseObject({ id: z.string().min(1), type: z.literal('agent'), version: z.number().int().min(1).optional() })]),
  environment_id: z.string().min(1),
  budget: z.object({ type: z.literal('limit'), max_list_cost: money }).optional(),
  initial_events: z.array(userMessageSchema).max(50).optional(),
  metadata: metadata.optional(),
  title: z.string().nullish(),
});

export const workStopSchema = z.looseObject({ force: z.boolean().optional() }).optional();
