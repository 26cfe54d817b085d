// Deterministic token estimates. The real tokenizer is not available offline, so the simulator
// counts ceil(characters / 4): close enough for cost shapes, and identical on every run so tests
// and benchmarks can assert exact numbers.

/** ceil(chars / 4); 0 only for the empty string. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * JSON with sorted keys and every `cache_control` marker removed. Two blocks that differ only in
 * key order or in where the breakpoints sit must be the same prefix, as they are for the API.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      if (key === 'cache_control') continue;
      const inner = (value as Record<string, unknown>)[key];
      if (inner !== undefined) out[key] = normalise(inner);
    }
    return out;
  }
  return value;
}

/** Output tokens the simulator reports for generated content (at least 1, as the API never reports 0). */
export function estimateOutputTokens(parts: readonly string[]): number {
  return Math.max(1, estimateTokens(parts.join('')));
}
