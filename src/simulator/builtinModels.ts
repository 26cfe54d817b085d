import type { SimulatedModel } from './simulatorTypes';

/**
 * The models the simulator answers for, with each one's minimum cacheable prompt length from the
 * prompt-caching docs (a shorter prefix is processed but never cached, and no error is raised).
 * Dated ids and aliases are listed separately because the API keeps a separate cache per model id.
 */
export const BUILTIN_MODELS: readonly SimulatedModel[] = [
  model('claude-opus-4-6', 'Claude Opus 4.6', 4096, '2026-02-05T00:00:00Z'),
  model('claude-sonnet-4-6', 'Claude Sonnet 4.6', 2048, '2026-02-17T00:00:00Z'),
  model('claude-opus-4-5', 'Claude Opus 4.5', 4096, '2025-11-01T00:00:00Z'),
  model('claude-opus-4-5-20251101', 'Claude Opus 4.5', 4096, '2025-11-01T00:00:00Z'),
  model('claude-haiku-4-5', 'Claude Haiku 4.5', 4096, '2025-10-01T00:00:00Z'),
  model('claude-haiku-4-5-20251001', 'Claude Haiku 4.5', 4096, '2025-10-01T00:00:00Z'),
  model('claude-sonnet-4-5', 'Claude Sonnet 4.5', 1024, '2025-09-29T00:00:00Z'),
  model('claude-sonnet-4-5-20250929', 'Claude Sonnet 4.5', 1024, '2025-09-29T00:00:00Z'),
  model('claude-opus-4-1', 'Claude Opus 4.1', 1024, '2025-08-05T00:00:00Z'),
  model('claude-opus-4-1-20250805', 'Claude Opus 4.1', 1024, '2025-08-05T00:00:00Z'),
  model('claude-sonnet-4-0', 'Claude Sonnet 4', 1024, '2025-05-14T00:00:00Z'),
  model('claude-sonnet-4-20250514', 'Claude Sonnet 4', 1024, '2025-05-14T00:00:00Z'),
  model('claude-3-5-haiku-latest', 'Claude Haiku 3.5', 2048, '2024-10-22T00:00:00Z'),
  model('claude-3-5-haiku-20241022', 'Claude Haiku 3.5', 2048, '2024-10-22T00:00:00Z'),
];

function model(id: string, displayName: string, minCacheableTokens: number, createdAt: string): SimulatedModel {
  return { id, displayName, minCacheableTokens, createdAt };
}

export function findModel(models: readonly SimulatedModel[], id: string): SimulatedModel | undefined {
  return models.find((m) => m.id === id);
}
