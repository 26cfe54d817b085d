import type { Metrics, Suggestion } from './metricsSchema';

/** Below these counts a share says more about luck than about the repository. */
const MIN_TICKETS = 5;
const MIN_LOOKUPS = 20;
const STRONG_SHARE_ALERT = 0.3;
const CACHE_HIT_ALERT = 0.5;
const FIX_LOOPS_ALERT = 1.5;

const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** Plain-language advice in the design study's style ("strong tier used for 45% of mechanical tickets"). */
export function suggestImprovements(metrics: Omit<Metrics, 'suggestions'>): Suggestion[] {
  const out: Suggestion[] = [];
  for (const cls of ['mechanical', 'standard'] as const) {
    const rows = metrics.startTierByClass.filter((r) => r.class === cls);
    const total = rows.reduce((s, r) => s + r.tickets, 0);
    const strong = rows.find((r) => r.tier === 'strong');
    if (strong === undefined || total < MIN_TICKETS || strong.share < STRONG_SHARE_ALERT) continue;
    const fast = metrics.outcomes.find((o) => o.class === cls && o.tier === 'fast');
    const evidence =
      fast !== undefined && fast.attempts > 0
        ? `the fast tier passed ${pct(fast.successes / fast.attempts)} of them first time (${fast.successes}/${fast.attempts})`
        : 'the fast tier has no results for them yet; let the router explore it';
    out.push({ id: 'strong-tier-overuse', message: `strong tier used for ${pct(strong.share)} of ${cls} tickets; ${evidence}.` });
  }
  if (metrics.cache.hitRate !== null && metrics.cache.lookups >= MIN_LOOKUPS && metrics.cache.hitRate < CACHE_HIT_ALERT) {
    out.push({
      id: 'low-cache-hit-rate',
      message: `cache hit rate ${pct(metrics.cache.hitRate)} (${metrics.cache.hits} of ${metrics.cache.lookups} classification, planning and review calls); prompts that vary between runs (timestamps, ordering) defeat it.`,
    });
  }
  const unpriced = new Map<string, number>();
  for (const r of metrics.byModelClass) if (r.unpricedCalls > 0) unpriced.set(r.model, (unpriced.get(r.model) ?? 0) + r.unpricedCalls);
  for (const [model, calls] of unpriced) {
    out.push({ id: 'unpriced-model', message: `${calls} calls to ${model} have no price, so their cost is missing from every total; add the model to the pricing settings.` });
  }
  for (const o of metrics.outcomes) {
    if (o.attempts >= MIN_TICKETS && o.fixLoops / o.attempts >= FIX_LOOPS_ALERT) {
      out.push({ id: 'many-fix-loops', message: `${o.class} tickets on the ${o.tier} tier average ${(o.fixLoops / o.attempts).toFixed(1)} fix loops; starting them one tier up may cost less.` });
    }
  }
  return out;
}
