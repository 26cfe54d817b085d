import assert from 'node:assert/strict';
import { DEFAULT_STAGE_TOKENS, estimateBreakEven, type TierPrice } from '../../../src/core/routing/breakEven';
import type { Tier } from '../../../src/core/llm/usageRecord';

// Round numbers so the expected costs can be worked out by hand (1 $/MTok input and output).
const FLAT: TierPrice = { inputPerMTok: 1, outputPerMTok: 1, cacheReadPerMTok: 0.1, cacheWritePerMTok: 1.25 };
const HAND = { planning: 1e6, workerStart: 1e6, sharedPrefixShare: 0.5, monitoring: 0, singleAgentDiscovery: 1e6, outputShare: 0 };

// Illustrative relative prices per tier; the real table lives in the pricing module and is passed in.
const PRICES: Record<Tier, TierPrice> = {
  fast: { inputPerMTok: 1, outputPerMTok: 5, cacheReadPerMTok: 0.1 },
  balanced: { inputPerMTok: 3, outputPerMTok: 15, cacheReadPerMTok: 0.3 },
  strong: { inputPerMTok: 5, outputPerMTok: 25, cacheReadPerMTok: 0.5 },
};

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`);

describe('estimateBreakEven', () => {
  it('charges planning and a cache write for one ticket, so one ticket runs direct', () => {
    const e = estimateBreakEven({ ticketTiers: ['balanced'], price: () => FLAT, history: HAND });
    close(e.orchestratedUsd, 1 + 0.5 * 1.25 + 0.5); // plan + prefix written + rest of the start
    close(e.singleAgentUsd, 1 + 1); // own discovery + uncached start
    assert.equal(e.mode, 'direct');
    assert.equal(e.breakEvenTickets, 2);
    assert.match(e.explanation, /run direct/);
  });

  it('reads the shared prefix from cache for the second ticket of a tier', () => {
    const e = estimateBreakEven({ ticketTiers: ['balanced', 'balanced'], price: () => FLAT, history: HAND });
    close(e.orchestratedUsd, 2.125 + 0.5 * 0.1 + 0.5);
    close(e.singleAgentUsd, 4);
    assert.equal(e.mode, 'orchestrated');
  });

  it('writes the prefix once per tier, because caches are per model', () => {
    const same = estimateBreakEven({ ticketTiers: ['fast', 'fast'], price: () => FLAT, history: HAND });
    const mixed = estimateBreakEven({ ticketTiers: ['fast', 'strong'], price: () => FLAT, history: HAND });
    close(mixed.orchestratedUsd - same.orchestratedUsd, 0.5 * (1.25 - 0.1));
  });

  it('pays from a few tickets with the design defaults and runs orchestrated for a real batch', () => {
    const price = (t: Tier) => PRICES[t];
    const e = estimateBreakEven({ ticketTiers: Array.from({ length: 8 }, (): Tier => 'balanced'), price });
    assert.equal(e.mode, 'orchestrated');
    assert.ok(e.orchestratedUsd < e.singleAgentUsd);
    assert.ok(e.breakEvenTickets !== null && e.breakEvenTickets >= 2 && e.breakEvenTickets <= 8);
    assert.equal(DEFAULT_STAGE_TOKENS.planning >= 6_000 && DEFAULT_STAGE_TOKENS.planning <= 15_000, true);
  });

  it('uses history averages: when a lone agent needs no discovery, orchestration never pays', () => {
    const e = estimateBreakEven({
      ticketTiers: ['fast', 'fast', 'fast'],
      price: (t) => PRICES[t],
      history: { singleAgentDiscovery: 0 },
    });
    assert.equal(e.breakEvenTickets, null);
    assert.equal(e.mode, 'direct');
    assert.match(e.explanation, /never pays/);
  });

  it('runs an empty batch direct at no cost', () => {
    const e = estimateBreakEven({ ticketTiers: [], price: () => FLAT });
    assert.equal(e.orchestratedUsd, 0);
    assert.equal(e.singleAgentUsd, 0);
    assert.equal(e.mode, 'direct');
  });
});
