import type { SimulatedModel } from './simulatorTypes';

/**
 * The models the simulator answers for, with each one's minimum cacheable prompt length (a shorter
 * prefix is processed but never cached, and no error is raised). Documented values: 512 for
 * Opus 5 / Fable 5 / Mythos 5; 1,024 for Opus 4.8, Sonnet 5, Sonnet 4.6/4.5, Opus 4.1/4; 2,048 for
 * Opus 4.7 and Haiku 3.5; 4,096 for Opus 4.6/4.5 and Haiku 4.5. The 5.x point releases had no
 * published figure at hand: they take their family's value (Haiku 5.5 assumes 2,048). Dated ids
 * and aliases are separate entries because the API keeps a separate cache per model id.
 */
export const BUILTIN_MODELS: readonly SimulatedModel[] = [
  model('claude-opus-5-5', 'Claude Opus 5.5', 512, '2026-09-01T00:00:00Z'),
  model('claude-sonnet-5-5', 'Claude Sonnet 5.5', 1024, '2026-09-01T00:00:00Z'),
  model('claude-haiku-5-5', 'Claude Haiku 5.5', 2048, '2026-09-01T00:00:00Z'),
  model('claude-fable-5-2', 'Claude Fable 5.2', 512, '2026-08-15T00:00:00Z'),
  model('claude-mythos-5-2', 'Claude Mythos 5.2', 512, '2026-08-15T00:00:00Z'),
  model('claude-fable-5-1', 'Claude Fable 5.1', 512, '2026-07-01T00:00:00Z'),
  model('claude-mythos-5-1', 'Claude Mythos 5.1', 512, '2026-07-01T00:00:00Z'),
  model('claude-opus-5', 'Claude Opus 5', 512, '2026-06-01T00:00:00Z'),
  model('claude-sonnet-5', 'Claude Sonnet 5', 1024, '2026-06-01T00:00:00Z'),
  model('claude-fable-5', 'Claude Fable 5', 512, '2026-06-01T00:00:00Z'),
  model('claude-mythos-5', 'Claude Mythos 5', 512, '2026-06-01T00:00:00Z'),
  model('claude-opus-4-8', 'Claude Opus 4.8', 1024, '2026-05-01T00:00:00Z'),
  model('claude-opus-4-7', 'Claude Opus 4.7', 2048, '2026-04-01T00:00:00Z'),
  model('claude-opus-4-6', 'Claude Opus 4.6', 4096, '2026-02-05T00:00:00Z'),
  model('claude-sonnet-4-6', 'Claude Sonnet 4.6', 1024, '2026-02-17T00:00:00Z'),
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
