import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { classifyError } from './classifyError';
import { MalformedResponseError } from './llmErrors';

const modelInfoSchema = z.object({
  id: z.string().min(1),
  display_name: z.string(),
  created_at: z.string(),
});

export interface ModelInfo {
  id: string;
  displayName: string;
  createdAt: string;
}

/** Every model the key can use (GET /v1/models, all pages), for the tier pickers in settings. */
export async function listModels(sdk: Anthropic, signal?: AbortSignal): Promise<ModelInfo[]> {
  const models: ModelInfo[] = [];
  try {
    for await (const raw of sdk.models.list({ limit: 100 }, { signal, maxRetries: 0 })) {
      const info = modelInfoSchema.parse(raw);
      models.push({ id: info.id, displayName: info.display_name, createdAt: info.created_at });
    }
  } catch (error) {
    if (error instanceof z.ZodError) throw new MalformedResponseError('GET /v1/models answered with an unexpected shape.', { cause: error });
    throw classifyError(error, { phase: 'request', cancelled: signal?.aborted ?? false, timedOut: false, now: Date.now() });
  }
  return models;
}
